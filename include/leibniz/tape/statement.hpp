// leibniz/tape/statement.hpp
// PROTOTYPE, branch `statements` only (2026-11-27): ops on vars give expression nodes; a var
// made from one records the whole statement as one entry, a record per var leaf (adjacent
// records of one slot merged), partials by the chain rule through the nodes (each op's
// partial from the op table). Enough for the suite's `tape` cases (see /tmp-free harness in
// docs/tape.md "Statements in the library: a prototype"), NOT for the test suite: binary
// functions of nodes (pow), comparisons, arrays, tape::gradient's result check, grad_fn
// names and pictures of fused statements, the var API on an `auto` node, the tape's reset
// when a statement finds it full (here it only grows) are all still to do.
#pragma once

#include <leibniz/config.hpp>
#include <leibniz/core/dispatch.hpp>
#include <leibniz/ops/ops.hpp>
#include <leibniz/tape/names.hpp>
#include <leibniz/tape/tape.hpp>
#include <leibniz/tape/var.hpp>

#include <cstddef>
#include <type_traits>

namespace leibniz::tape {

namespace detail {
/// Where a statement's records go, and the slot of the last one (x * x: one record).
struct statement_cursor {
  slot_t* index;
  double* partial;
  slot_t last;
};
inline constexpr slot_t no_slot = ~slot_t{0};
}  // namespace detail

/// A var as an operand of a statement: its value, and where it sits (copied, not referenced).
struct var_leaf {
  static constexpr std::size_t statement_leaves = 1;
  static constexpr bool statement_linear = true;
  double value;
  double scale;
  detail::slot_t slot;
  bool grad;
  // Member by member: a block copy of a nested node is read back in narrow loads that stall.
  LEIBNIZ_INLINE var_leaf(double v, double c, detail::slot_t k, bool g)
      : value(v), scale(c), slot(k), grad(g) {}
  LEIBNIZ_INLINE var_leaf(const var_leaf& o)
      : value(o.value), scale(o.scale), slot(o.slot), grad(o.grad) {}
  /// Its record; the same slot as the record before it (x * x) adds to that record.
  LEIBNIZ_INLINE void emit(double seed, detail::statement_cursor& c) const {
    if (grad) {
      if (c.last == slot) {
        c.partial[-1] += seed * scale;
      } else {
        *c.index++ = slot;
        *c.partial++ = seed * scale;
        c.last = slot;
      }
    }
  }
};

/// A number in a statement.
struct constant_leaf {
  static constexpr std::size_t statement_leaves = 0;
  static constexpr bool statement_linear = true;
  double value;
  LEIBNIZ_INLINE explicit constant_leaf(double v) : value(v) {}
  LEIBNIZ_INLINE constant_leaf(const constant_leaf& o) : value(o.value) {}
  LEIBNIZ_INLINE void emit(double, detail::statement_cursor&) const {}
};

template <class Op, class A>
struct unary_node {
  static constexpr std::size_t statement_leaves = A::statement_leaves;
  static constexpr bool statement_linear =
      std::is_same_v<Op, neg_op> && A::statement_linear;
  using op = Op;
  double value;
  A a;
  LEIBNIZ_INLINE unary_node(const A& x)
      : value(static_cast<double>(Op::value(x.value))), a(x) {}
  LEIBNIZ_INLINE void emit(double seed, detail::statement_cursor& c) const {
    if constexpr (A::statement_leaves > 0)
      a.emit(seed * ::leibniz::detail::to_number<double>(Op::template partial<0>(value, a.value)), c);
  }
};

template <class Op, class A, class B>
struct binary_node {
  static constexpr std::size_t statement_leaves = A::statement_leaves + B::statement_leaves;
  static constexpr bool statement_linear =
      ((std::is_same_v<Op, sum_op> || std::is_same_v<Op, sub_op>) && A::statement_linear &&
       B::statement_linear) ||
      (std::is_same_v<Op, product_op> &&
       ((A::statement_leaves == 0 && B::statement_linear) ||
        (B::statement_leaves == 0 && A::statement_linear))) ||
      (std::is_same_v<Op, div_op> && B::statement_leaves == 0 && A::statement_linear);
  using op = Op;
  double value;
  A a;
  B b;
  LEIBNIZ_INLINE binary_node(const A& x, const B& y)
      : value(static_cast<double>(Op::value(x.value, y.value))), a(x), b(y) {}
  LEIBNIZ_INLINE void emit(double seed, detail::statement_cursor& c) const {
    if constexpr (A::statement_leaves > 0)
      a.emit(seed * ::leibniz::detail::to_number<double>(
                        Op::template partial<0>(value, a.value, b.value)),
             c);
    if constexpr (B::statement_leaves > 0)
      b.emit(seed * ::leibniz::detail::to_number<double>(
                        Op::template partial<1>(value, a.value, b.value)),
             c);
  }
};

namespace detail {

template <class T>
concept is_node = statement_node<T>;

/// The leaf of a var: a result of this recording or a registered leaf at once; else resolved
/// (a leaf registered: the tape may grow, never reset).
LEIBNIZ_INLINE var_leaf leaf_of(const var& v) {
  tape_state& t = the_tape;
  operand_view o;
  if (var_access::quick(t, v, o)) [[likely]]
    return var_leaf(o.value, o.at.scale, o.at.slot, true);
  if (!v.requires_grad() || !t.grad_enabled) return var_leaf(v.value(), 0.0, 0, false);
  const slot_scale at = var_access::resolve(t, v);
  return var_leaf(v.value(), at.scale, at.slot, true);
}

template <class T>
LEIBNIZ_INLINE auto node_of(const T& a) {
  using t = std::remove_cvref_t<T>;
  if constexpr (std::same_as<t, var>)
    return leaf_of(a);
  else if constexpr (is_node<t>)
    return a;
  else
    return constant_leaf(::leibniz::detail::to_number<double>(a));
}
template <class T>
using node_t = decltype(node_of(std::declval<const T&>()));

template <class E>
LEIBNIZ_INLINE op_code_t top_code() {
  if constexpr (requires { typename E::op; })
    return op_code<typename E::op>();
  else
    return leaf_op;
}

/// The statement's entry, or a fold when it is affine in one var.
template <class E>
LEIBNIZ_INLINE var materialize(const E& e) {
  tape_state& t = the_tape;
  if constexpr (E::statement_leaves == 0) {
    return var(e.value);
  } else {
    if constexpr (E::statement_leaves == 1 && E::statement_linear) {
      if (!t.grad_enabled) [[unlikely]]
        return var(e.value);
      slot_t slot = 0;
      double partial = 0.0;
      statement_cursor c{&slot, &partial, no_slot};
      e.emit(1.0, c);
      if (c.index == &slot) return var(e.value);
      return var_access::folded(e.value, slot, top_code<E>(), partial);
    } else {
      // One comparison for room and grad mode (the limit is 0 under no_grad); the tape grows
      // but is not reset here: the statement's operands are resolved already.
      if (t.size + (E::statement_leaves - 1) / 2 >= t.limit) [[unlikely]] {
        if (!t.grad_enabled) return var(e.value);
        ensure_room(t, 1, E::statement_leaves + 1);
        update_limit(t);
      }
      const std::size_t k = t.size;
      slot_t* const first = t.index.data + t.records;
      statement_cursor c{first, t.partial.data + t.records, no_slot};
      e.emit(1.0, c);
      const auto m = static_cast<std::size_t>(c.index - first);
      if (m == 0) return var(e.value);
      const op_code_t code = top_code<E>();
      t.head.data[k] = head_of(code, static_cast<std::uint32_t>(m));
      t.refs.data[k] = 1;
      t.records += m;
      t.size = k + 1;
      // The room check above passed for N = statement_leaves records, so the limit is above
      // (N - 1) / 2 and lowering it by that keeps it conservative (lower_limit, at compile time).
      if constexpr (E::statement_leaves > 2) t.limit -= (E::statement_leaves - 1) / 2;
      return var_access::fresh(e.value, static_cast<slot_t>(k), code);
    }
  }
}

template <class T>
concept statement_operand = std::same_as<std::remove_cvref_t<T>, var> || is_node<T> ||
                            std::is_arithmetic_v<std::remove_cvref_t<T>>;
template <class A, class B>
concept statement_operands =
    (std::same_as<std::remove_cvref_t<A>, var> || std::same_as<std::remove_cvref_t<B>, var> ||
     is_node<A> || is_node<B>) &&
    statement_operand<A> && statement_operand<B>;

template <class Op, class A, class B>
LEIBNIZ_INLINE auto make_binary(const A& a, const B& b) {
  return binary_node<Op, node_t<A>, node_t<B>>(node_of(a), node_of(b));
}

}  // namespace detail

template <class E>
  requires detail::statement_node<E>
LEIBNIZ_INLINE var::var(const E& e) : var(detail::materialize(e)) {}

template <class A, class B>
  requires detail::statement_operands<A, B>
LEIBNIZ_INLINE auto operator+(const A& a, const B& b) {
  return detail::make_binary<sum_op>(a, b);
}
template <class A, class B>
  requires detail::statement_operands<A, B>
LEIBNIZ_INLINE auto operator-(const A& a, const B& b) {
  return detail::make_binary<sub_op>(a, b);
}
template <class A, class B>
  requires detail::statement_operands<A, B>
LEIBNIZ_INLINE auto operator*(const A& a, const B& b) {
  return detail::make_binary<product_op>(a, b);
}
template <class A, class B>
  requires detail::statement_operands<A, B>
LEIBNIZ_INLINE auto operator/(const A& a, const B& b) {
  return detail::make_binary<div_op>(a, b);
}
template <class A>
  requires(std::same_as<std::remove_cvref_t<A>, var> || detail::is_node<A>)
LEIBNIZ_INLINE auto operator-(const A& a) {
  return unary_node<neg_op, detail::node_t<A>>(detail::node_of(a));
}

/// Unary functions of the op table on a var or a node: a node.
template <class Op, class A>
  requires(std::same_as<std::remove_cvref_t<A>, var> || detail::is_node<A>)
LEIBNIZ_INLINE auto lift(op_tag<Op>, const A& a) {
  return unary_node<Op, detail::node_t<A>>(detail::node_of(a));
}

/// x op= e as x = x op e, one entry.
template <class B>
  requires detail::statement_operand<B>
LEIBNIZ_INLINE var& operator+=(var& x, const B& b) {
  if (detail::var_access::is_leaf_cell(x)) [[unlikely]] {
    if (is_grad_enabled()) detail::throw_inplace_on_leaf();
    detail::var_access::set_leaf_value(x, x.value() + detail::node_of(b).value);
    return x;
  }
  x = detail::materialize(detail::make_binary<sum_op>(x, b));
  return x;
}

}  // namespace leibniz::tape
