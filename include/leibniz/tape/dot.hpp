// leibniz/tape/dot.hpp
// to_dot(y): the graph recorded for a var or array, as Graphviz, in the manner of torchviz:
// leaves that require grad in blue boxes, ops in grey, the output in green; each edge carries
// the local partial d consumer / d operand that the tape stored.
#pragma once

#include <leibniz/tape/array.hpp>
#include <leibniz/tape/names.hpp>
#include <leibniz/tape/sweep.hpp>
#include <leibniz/tape/tape.hpp>
#include <leibniz/tape/var.hpp>

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace leibniz::tape {

namespace detail {

inline std::string dot_number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

/// The drawing of what is reachable from the slots [first, last].
inline std::string draw_graph(std::size_t first, std::size_t last, const std::string& output) {
  tape_state& t = the_tape;
  const std::size_t top = entry_end(t, last);
  const cursor at = cursor_after(t, top);
  mark_reachable(t, first, last, top, at);

  // Which node owns each slot: a leaf block, an array entry, or the slot itself.
  std::vector<std::size_t> owner_of(top + 1);
  for (std::size_t k = 0; k <= top; ++k) owner_of[k] = k;
  std::vector<const leaf_ref*> leaf_at(top + 1, nullptr);
  for (std::size_t i = 0; i < t.leaf_count; ++i) {
    const leaf_ref& ref = t.leaves.data[i];
    for (std::size_t j = 0; j < ref.length && ref.slot + j <= top; ++j)
      owner_of[ref.slot + j] = ref.slot;
    if (ref.slot <= top) leaf_at[ref.slot] = &ref;
  }
  for (std::size_t i = 0; i < t.array_count; ++i) {
    const array_entry& e = t.arrays.data[i];
    for (std::size_t j = 0; j < e.length && e.out + j <= top; ++j) owner_of[e.out + j] = e.out;
  }

  std::string out =
      "digraph tape {\n  rankdir=BT;\n  node [fontname=\"Helvetica\", fontsize=11];\n"
      "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  std::vector<bool> drawn(top + 1, false);
  auto node = [&](std::size_t k) {
    std::string name = "n";  // not "n" + to_string(...): g++ 12 -O3 warns -Wrestrict there
    name += std::to_string(owner_of[k]);
    return name;
  };
  auto reached = [&](std::size_t k) { return (t.refs.data[k] & reached_mark) != 0; };

  std::size_t r = 0;
  std::size_t a = 0;
  for (std::size_t k = 0; k <= top; ++k) {
    const std::uint32_t head = t.head.data[k];
    const std::uint32_t arity = arity_of(head);
    if (arity == array_body) continue;
    if (arity == array_last) {
      const array_entry& e = t.arrays.data[a++];
      bool hit = false;
      for (std::size_t i = e.out; i <= k; ++i) hit = hit || reached(i);
      if (!hit) continue;
      out += "  n" + std::to_string(e.out) + " [label=\"" + std::string(name_of(op_of(head))) +
             (e.length > 1 ? " [" + std::to_string(e.length) + "]" : std::string()) +
             "\", shape=box, style=filled, fillcolor=lightgrey];\n";
      for (std::uint32_t j = 0; j < e.operand_count; ++j) {
        const array_operand& o = t.operands.data[e.first_operand + j];
        std::string label = o.partials == no_partials ? dot_number(o.constant) : "partials";
        if (o.length == 1 && e.length > 1) label += ", broadcast";
        out += "  " + node(o.source) + " -> n" + std::to_string(e.out) + " [label=\"" + label +
               "\"];\n";
      }
      continue;
    }
    if (owner_of[k] != k) continue;  // inside a leaf block
    if (op_of(head) == leaf_op) {
      bool hit = false;
      const leaf_ref* ref = leaf_at[k];
      const std::size_t n = ref != nullptr ? ref->length : 1;
      for (std::size_t i = k; i < k + n && i <= top; ++i) hit = hit || reached(i);
      if (!hit) continue;
      std::string label = "leaf";
      if (ref != nullptr && ref->cell != nullptr) {
        label += ref->length == 1 ? "\\n" + dot_number(ref->cell->values[0])
                                  : " [" + std::to_string(ref->length) + "]";
      } else if (ref == nullptr) {
        label = "input";
      }
      out += "  n" + std::to_string(k) + " [label=\"" + label +
             "\\nrequires_grad\", shape=box, style=filled, fillcolor=lightblue];\n";
      continue;
    }
    const std::size_t first_record = r;
    r += arity;
    if (!reached(k)) continue;
    out += "  n" + std::to_string(k) + " [label=\"" + std::string(name_of(op_of(head))) +
           "\", shape=box, style=filled, fillcolor=lightgrey];\n";
    for (std::size_t j = first_record; j < r; ++j)
      out += "  " + node(t.index.data[j]) + " -> n" + std::to_string(k) + " [label=\"" +
             dot_number(t.partial.data[j]) + "\"];\n";
  }
  std::string tail = output;
  const std::string source = node(first);
  for (std::size_t at_src = tail.find("{src}"); at_src != std::string::npos;
       at_src = tail.find("{src}"))
    tail.replace(at_src, 5, source);
  out += tail;
  out += "}\n";
  return out;
}

}  // namespace detail

/// The graph recorded for y, as a Graphviz digraph (render with `dot -Tsvg`): every entry y
/// depends on, from the leaves up to y. Affine ops with constants (x + c, c * x, -x) are not
/// entries of their own: they show as the partials on the edges.
inline std::string to_dot(const var& y) {
  const std::string value = detail::dot_number(y.value());
  const detail::tape_state& t = detail::the_tape;
  const std::string header =
      "digraph tape {\n  rankdir=BT;\n  node [fontname=\"Helvetica\", fontsize=11];\n";
  if (!y.requires_grad())
    return header + "  out [label=\"constant\\n" + value +
           "\", shape=box, style=filled, fillcolor=darkolivegreen1];\n}\n";
  if (detail::var_access::is_leaf_cell(y))
    return header + "  out [label=\"leaf\\n" + value +
           "\\nrequires_grad\", shape=box, style=filled, fillcolor=lightblue];\n}\n";
  if (!detail::var_access::is_current(t, y))
    return header + "  out [label=\"" + std::string(y.grad_fn().value_or("")) + "\\n" + value +
           "\\n(graph released)\", shape=box, style=filled, fillcolor=darkolivegreen1];\n}\n";
  const detail::slot_t s = detail::var_access::raw_slot(y);
  std::string output = "  out [label=\"output\\n" + value +
                       "\\ngrad_fn=" + std::string(y.grad_fn().value_or("")) +
                       "\", shape=box, style=filled, fillcolor=darkolivegreen1];\n";
  const bool own_entry = !detail::var_access::folded(y);
  if (own_entry)
    output += "  {src} -> out;\n";
  else
    output +=
        "  {src} -> out [label=\"" + detail::dot_number(detail::var_access::scale(y)) + "\"];\n";
  return detail::draw_graph(s, s, output);
}

/// The graph recorded for an array.
inline std::string to_dot(const array& y) {
  const detail::tape_state& t = detail::the_tape;
  const std::string header =
      "digraph tape {\n  rankdir=BT;\n  node [fontname=\"Helvetica\", fontsize=11];\n";
  const std::string size = "[" + std::to_string(y.size()) + "]";
  if (!y.requires_grad() || y.empty())
    return header + "  out [label=\"constant " + size +
           "\", shape=box, style=filled, fillcolor=darkolivegreen1];\n}\n";
  if (detail::array_access::is_leaf_cell(y))
    return header + "  out [label=\"leaf " + size +
           "\\nrequires_grad\", shape=box, style=filled, fillcolor=lightblue];\n}\n";
  if (!detail::array_access::is_current(t, y))
    return header + "  out [label=\"" + size +
           "\\n(graph released)\", shape=box, style=filled, fillcolor=darkolivegreen1];\n}\n";
  const detail::slot_t s = detail::array_access::raw_slot(y);
  const std::string output = "  out [label=\"output " + size +
                             "\\ngrad_fn=" + std::string(y.grad_fn().value_or("")) +
                             "\", shape=box, style=filled, fillcolor=darkolivegreen1];\n"
                             "  {src} -> out;\n";
  return detail::draw_graph(s, s + y.size() - 1, output);
}

}  // namespace leibniz::tape

namespace leibniz {
/// leibniz::to_dot(y) for tape results too (static expressions have their own overload).
using tape::to_dot;
}  // namespace leibniz
