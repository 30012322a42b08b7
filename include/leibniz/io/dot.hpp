// leibniz/io/dot.hpp
// to_dot(e): the expression as a Graphviz graph, each shared subexpression drawn once.
#pragma once

#include <leibniz/eval/static_tape.hpp>
#include <leibniz/io/to_string.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace leibniz {
namespace detail {

template <class Op, class... A>
constexpr std::string_view nodop_name(node<Op, A...>*) {
  return Op::name;
}
template <class E>
constexpr std::string_view op_name() {
  return nodop_name(static_cast<E*>(nullptr));
}

/// The label of one node of the drawing: its op's symbol, or the leaf itself.
template <class E>
std::string dot_label(const E& e) {
  if constexpr (is_sum<E>) {
    return "+";
  } else if constexpr (is_product<E>) {
    return "*";
  } else if constexpr (is_power_node<E>) {
    constexpr rational p = factor_traits<E>::exponent;
    if constexpr (p == rational{1, 2})
      return "sqrt";
    else if constexpr (p == rational{1, 3})
      return "cbrt";
    else
      return "^" + to_string(exact<p>{}).str();
  } else if constexpr (is_node_of<E, pow_op>) {
    return "^";
  } else if constexpr (is_reduction<E>) {
    return to_string(e).str();
  } else if constexpr (is_node<E>) {
    return std::string(op_name<E>());
  } else {
    return to_string(e).str();
  }
}

inline std::string dot_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

template <class E>
std::string dot_shape() {
  if constexpr (is_variable<E>)
    return "shape=box, style=filled, fillcolor=\"#cfe8ff\"";
  else if constexpr (is_element<E>)
    return "shape=box, style=filled, fillcolor=\"#e4f2dc\"";
  else if constexpr (is_reduction<E>)
    return "shape=box";
  else if constexpr (is_node<E>)
    return "shape=ellipse";
  else
    return "shape=plaintext";
}

template <class E>
void dot_tape(std::string& out, const E& e, const std::string& prefix);

/// The label of a sum over data in a drawing: its index and range; the body is drawn apart.
template <fixed_string I, fixed_string V, std::intmax_t Lo, std::intmax_t Hi, class Body>
std::string range_label(const node<sum_over_op<I, V, Lo, Hi>, Body>&) {
  std::string label = "sum over ";
  if (Lo != 0) label += std::to_string(Lo) + " <= ";
  label += std::string(I.view()) + " < size(" + std::string(V.view()) + ")";
  if (Hi > 0) label += " + " + std::to_string(Hi);
  if (Hi < 0) label += " - " + std::to_string(-Hi);
  return label;
}

/// One entry of a tape as Graphviz nodes and edges, its names prefixed (a sum's body is a
/// tape of its own, drawn inside the sum's cluster).
template <class List, class Roots, std::size_t K>
void dot_entry(std::string& out, const Roots& roots, const std::string& prefix) {
  using E = typename entry_at_t<K, List>::expr;
  using P = typename entry_at_t<K, List>::where;
  const E& e = at_path(P{}, roots);
  const std::string name = prefix + "n" + std::to_string(K);
  if constexpr (is_reduction<E>) {
    // The sum, and its body in a box below it.
    out += "  " + name + " [label=\"" + dot_escape(range_label(e)) + "\", shape=box];\n";
    out += "  subgraph cluster_" + name + " {\n  style=dashed;\n  label=\"for each i\";\n";
    dot_tape(out, std::get<0>(e.args), name + "_");
    out += "  }\n";
    using body = std::remove_cvref_t<decltype(std::get<0>(e.args))>;
    out += "  " + name + " -> " + name + "_n" + std::to_string(tape_of<body>::size - 1) + ";\n";
    return;
  }
  out += "  " + name + " [label=\"" + dot_escape(dot_label(e)) + "\", " + dot_shape<E>() + "];\n";
  if constexpr (is_interior<E>) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            using A = argument_type<E, I>;
            std::string to;
            if constexpr (TypeConstant<A>) {
              // A constant is drawn at each use: it has no slot of its own.
              to = prefix + "c" + std::to_string(K) + "_" + std::to_string(I);
              out += "  " + to + " [label=\"" + dot_escape(to_string(A{}).str()) + "\", " +
                     dot_shape<A>() + "];\n";
            } else {
              using wires = tape_tables<List>;
              to = prefix + "n" +
                   std::to_string(wires::arguments::value[wires::first::value[K] + I]);
            }
            out += "  " + name + " -> " + to;
            if constexpr (arity_of<E>::value > 1 && !is_sum<E> && !is_product<E>)
              out += " [label=\"" + std::to_string(I) + "\"]";
            out += ";\n";
          }(),
          ...);
    }
    (std::make_index_sequence<arity_of<E>::value>{});
  }
}

template <class E>
void dot_tape(std::string& out, const E& e, const std::string& prefix) {
  using list = tape_of<E>;
  const std::tuple<const E&> roots{e};
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    (dot_entry<list, std::tuple<const E&>, K>(out, roots, prefix), ...);
  }
  (std::make_index_sequence<list::size>{});
}

}  // namespace detail

/// The expression as a Graphviz digraph (render with `dot -Tsvg`): ops point to their
/// arguments; a subexpression used twice is drawn once, as the compiled code computes it; a
/// sum over data is a box whose body is drawn inside it.
template <Expression E>
std::string to_dot(const E& e) {
  std::string out = "digraph expression {\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n";
  if constexpr (TypeConstant<E>)
    out += "  c [label=\"" + detail::dot_escape(to_string(e).str()) + "\", shape=plaintext];\n";
  else
    detail::dot_tape(out, e, "");
  out += "}\n";
  return out;
}

}  // namespace leibniz
