// leibniz/tape/scalar_ops.hpp
// Ops on vars: every function of the op table (through call<Op> and the lift hook), the
// arithmetic operators, comparisons on values. Each recorded entry stores the local partials
// that the op table's partial<I> gives; affine ops with constants are folded, not recorded.
#pragma once

#include <leibniz/config.hpp>
#include <leibniz/core/dispatch.hpp>
#include <leibniz/core/expression.hpp>
#include <leibniz/core/functions.hpp>
#include <leibniz/ops/ops.hpp>
#include <leibniz/tape/tape.hpp>
#include <leibniz/tape/var.hpp>

#include <array>
#include <compare>
#include <concepts>
#include <cstddef>
#include <iterator>
#include <tuple>
#include <type_traits>
#include <utility>

namespace leibniz::tape {

// The user functions, found by argument-dependent lookup for vars: sin(v), pow(v, 2), ...
using leibniz::abs;
using leibniz::acos;
using leibniz::asin;
using leibniz::atan;
using leibniz::cbrt;
using leibniz::cos;
using leibniz::cosh;
using leibniz::erf;
using leibniz::exp;
using leibniz::expm1;
using leibniz::log;
using leibniz::log1p;
using leibniz::max;
using leibniz::min;
using leibniz::pow;
using leibniz::sigmoid;
using leibniz::sign;
using leibniz::sin;
using leibniz::sinh;
using leibniz::sqrt;
using leibniz::step;
using leibniz::tan;
using leibniz::tanh;

namespace detail {

template <class T>
concept is_var = std::same_as<std::remove_cvref_t<T>, var>;

/// A constant operand of a scalar op: a real number, or a constant held in a type (2_c, pi).
template <class T>
concept scalar_constant = std::is_arithmetic_v<std::remove_cvref_t<T>> || TypeConstant<T>;

template <class T>
concept scalar_operand = is_var<T> || scalar_constant<T>;

template <class T>
LEIBNIZ_INLINE double value_of(const T& a) {
  if constexpr (is_var<T> || requires { a.recorded(); })
    return a.value();
  else
    return ::leibniz::detail::to_number<double>(a);
}

template <class T>
LEIBNIZ_INLINE bool grad_of(const T& a) {
  if constexpr (is_var<T>)
    return a.requires_grad();
  else
    return false;
}

/// Ops linear in all their arguments jointly: x + x is 2x, a fold of x's entry.
template <class Op>
inline constexpr bool linear_op =
    std::is_same_v<Op, ::leibniz::sum_op> || std::is_same_v<Op, ::leibniz::sub_op> ||
    std::is_same_v<Op, ::leibniz::neg_op>;

/// Ops linear in argument I when the others are constants: c * x, x / c.
template <class Op, std::size_t I>
inline constexpr bool scaling_in = std::is_same_v<Op, ::leibniz::product_op> ||
                                   (std::is_same_v<Op, ::leibniz::div_op> && I == 0);

/// One operand of an entry being recorded.
struct operand {
  slot_t slot;
  double partial;
};

/// Merges operands that are the same slot (x * x: one record with partial 2x); returns the
/// new count.
template <std::size_t N>
LEIBNIZ_INLINE std::size_t merge_operands(std::array<operand, N>& ops, std::size_t m) {
  if constexpr (N == 1) {
    return m;
  } else if constexpr (N == 2) {
    if (m == 2 && ops[0].slot == ops[1].slot) {
      ops[0].partial += ops[1].partial;
      return 1;
    }
    return m;
  } else {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < m; ++i) {
      std::size_t j = 0;
      while (j < kept && ops[j].slot != ops[i].slot) ++j;
      if (j < kept)
        ops[j].partial += ops[i].partial;
      else
        ops[kept++] = ops[i];
    }
    return kept;
  }
}

/// Records one scalar entry with the given operands; returns its slot.
template <std::size_t N>
LEIBNIZ_INLINE slot_t push_entry(tape_state& t, op_code_t op, const std::array<operand, N>& ops,
                                 std::size_t m) {
  ensure_room(t, 1, m);
  const auto k = static_cast<slot_t>(t.size);
  t.head.data[k] = head_of(op, static_cast<std::uint32_t>(m));
  t.refs.data[k] = 1;
  slot_t* index = t.index.data + t.records;
  double* partial = t.partial.data + t.records;
  for (std::size_t j = 0; j < m; ++j) {
    index[j] = ops[j].slot;
    partial[j] = ops[j].partial;
  }
  t.records += m;
  t.size = k + 1;
  update_limit(t);
  return k;
}

/// Records an entry with one operand; returns the new var.
LEIBNIZ_INLINE var push_unary(tape_state& t, double result, op_code_t code, slot_t slot,
                              double partial) {
  const std::size_t k = t.size;
  const std::size_t r = t.records;
  t.head.data[k] = head_of(code, 1);
  t.refs.data[k] = 1;
  t.index.data[r] = slot;
  t.partial.data[r] = partial;
  t.records = r + 1;
  t.size = k + 1;
  return var_access::fresh(result, static_cast<slot_t>(k), code);
}

/// Records an entry with two operands; returns the new var.
LEIBNIZ_INLINE var push_binary(tape_state& t, double result, op_code_t code, slot_t slot0,
                               double partial0, slot_t slot1, double partial1) {
  const std::size_t k = t.size;
  const std::size_t r = t.records;
  t.head.data[k] = head_of(code, 2);
  t.refs.data[k] = 1;
  t.index.data[r] = slot0;
  t.index.data[r + 1] = slot1;
  t.partial.data[r] = partial0;
  t.partial.data[r + 1] = partial1;
  t.records = r + 2;
  t.size = k + 1;
  return var_access::fresh(result, static_cast<slot_t>(k), code);
}

template <class Op, std::size_t I, class... V>
LEIBNIZ_INLINE double partial_of(double result, V... v) {
  return ::leibniz::detail::to_number<double>(Op::template partial<I>(result, v...));
}

/// The entry of a binary op on two vars that require grad, resolved to sa and sb: two records,
/// or one when they are the same entry (a fold for x + x).
template <class Op>
LEIBNIZ_INLINE var record_binary(tape_state& t, double result, double va, double vb, slot_scale sa,
                                 slot_scale sb) {
  const op_code_t code = op_code<Op>();
  const double pa = partial_of<Op, 0>(result, va, vb) * sa.scale;
  const double pb = partial_of<Op, 1>(result, va, vb) * sb.scale;
  if (sa.slot != sb.slot) [[likely]]
    return push_binary(t, result, code, sa.slot, pa, sb.slot, pb);
  // The same entry twice (x * x, x + x): one operand, the partials added.
  if constexpr (linear_op<Op>)
    return var_access::folded(result, sa.slot, code, pa + pb);
  else
    return push_unary(t, result, code, sa.slot, pa + pb);
}

/// The entry of a binary op of which only operand I (x, resolved to sx) requires grad: a fold
/// for an affine op with a constant, else one record.
template <class Op, std::size_t I>
LEIBNIZ_INLINE var record_one_operand(tape_state& t, double result, double va, double vb,
                                      slot_scale sx) {
  const op_code_t code = op_code<Op>();
  const double p = partial_of<Op, I>(result, va, vb) * sx.scale;
  if constexpr (linear_op<Op> || scaling_in<Op, I>)
    return var_access::folded(result, sx.slot, code, p);
  else
    return push_unary(t, result, code, sx.slot, p);
}

/// A binary op of the op table with at least one var operand, recorded op by op (pow, min,
/// max, atan2-like functions; + - * / are statements). An affine op with a constant records
/// nothing: the result is a fold of the operand's entry, d result / d entry = the operand's
/// scale times the op's partial.
template <class Op, class A, class B>
LEIBNIZ_INLINE var apply_binary(const A& a, const B& b) {
  tape_state& t = the_tape;
  // The common case first: the var operands are results of this recording or leaves already
  // registered in it, and there is room (so no reset can happen; the limit is 0 under
  // no_grad). Nothing to register, no error possible.
  if (t.size < t.limit) [[likely]] {
    if constexpr (is_var<A> && is_var<B>) {
      if (var_access::is_current(t, a) && var_access::is_current(t, b)) [[likely]] {
        const double va = var_access::entry_value(a);
        const double vb = var_access::entry_value(b);
        return record_binary<Op>(t, static_cast<double>(Op::value(va, vb)), va, vb,
                                 var_access::current(a), var_access::current(b));
      }
      operand_view x, y;
      if (var_access::quick(t, a, x) && var_access::quick(t, b, y))
        return record_binary<Op>(t, static_cast<double>(Op::value(x.value, y.value)), x.value,
                                 y.value, x.at, y.at);
    } else if constexpr (is_var<A>) {
      operand_view x;
      if (var_access::quick(t, a, x)) [[likely]] {
        const double vb = value_of(b);
        return record_one_operand<Op, 0>(t, static_cast<double>(Op::value(x.value, vb)), x.value,
                                         vb, x.at);
      }
    } else {
      operand_view y;
      if (var_access::quick(t, b, y)) [[likely]] {
        const double va = value_of(a);
        return record_one_operand<Op, 1>(t, static_cast<double>(Op::value(va, y.value)), va,
                                         y.value, y.at);
      }
    }
  }
  const double va = value_of(a);
  const double vb = value_of(b);
  const double result = static_cast<double>(Op::value(va, vb));
  const bool ga = grad_of(a);
  const bool gb = grad_of(b);
  // Room before the operands are resolved: the tape may be reset here. Under no_grad
  // reserve_small is false: nothing is recorded.
  if (!(ga || gb) || !reserve_small(t)) return var(result);
  if constexpr (is_var<A> && is_var<B>) {
    if (ga && gb) {
      const slot_scale sa = var_access::resolve(t, a);
      const slot_scale sb = var_access::resolve(t, b);
      return record_binary<Op>(t, result, va, vb, sa, sb);
    }
  }
  if constexpr (is_var<A>) {
    if (ga) return record_one_operand<Op, 0>(t, result, va, vb, var_access::resolve(t, a));
  }
  if constexpr (is_var<B>)
    return record_one_operand<Op, 1>(t, result, va, vb, var_access::resolve(t, b));
  else
    return var(result);  // not reached: some operand requires grad
}

/// Op applied to any number of scalar operands, at least one a var (the n-ary sums and
/// products of static expressions): one entry, operands that are the same entry merged.
template <class Op, class... A, std::size_t... I>
var apply_scalar(std::index_sequence<I...>, const A&... a) {
  const std::array<double, sizeof...(A)> v{value_of(a)...};
  const double result = static_cast<double>(Op::value(v[I]...));
  tape_state& t = the_tape;
  if (!t.grad_enabled || !(grad_of(a) || ...)) return var(result);
  reserve_entry(t, 1, sizeof...(A));

  std::array<operand, sizeof...(A)> ops;
  std::size_t m = 0;
  bool scalable = true;  // a single var operand in a position where the op scales it
  const auto args = std::forward_as_tuple(a...);
  (
      [&] {
        using arg = std::tuple_element_t<I, std::tuple<A...>>;
        if constexpr (is_var<arg>) {
          const var& x = std::get<I>(args);
          if (x.requires_grad()) {
            const slot_scale at = var_access::resolve(t, x);
            ops[m++] = {at.slot, partial_of<Op, I>(result, v[I]...) * at.scale};
            scalable = scalable && scaling_in<Op, I>;
          }
        }
      }(),
      ...);
  const std::size_t positions = m;
  m = merge_operands(ops, m);
  const op_code_t code = op_code<Op>();
  if (m == 1 && (linear_op<Op> || (positions == 1 && scalable)))
    return var_access::folded(result, ops[0].slot, code, ops[0].partial);
  const slot_t k = push_entry(t, code, ops, m);
  return var_access::fresh(result, k, code);
}

/// Op on two or more scalar operands (one operand makes a statement): the specialized binary
/// path, or the general one.
template <class Op, class... A>
LEIBNIZ_INLINE var apply(const A&... a) {
  static_assert(sizeof...(A) >= 2);
  if constexpr (sizeof...(A) == 2)
    return apply_binary<Op>(a...);
  else
    return apply_scalar<Op>(std::index_sequence_for<A...>{}, a...);
}

/// Scalar operands, at least one of them a var.
template <class... A>
concept scalar_lift = (is_var<A> || ...) && (scalar_operand<A> && ...);

template <class A, class B>
consteval void check_not_static() {
  static_assert(
      !(SymbolicExpression<A> || SymbolicExpression<B>),
      "leibniz: a static expression (made of leibniz::variable) and a tape::var cannot be "
      "combined in one op; evaluate the expression on vars first, e.g. e(x = v), or use "
      "tape::apply(e, x = v) to record it as one entry");
}

}  // namespace detail

/// The hook of call<Op> (core/dispatch.hpp) for vars: records Op on this thread's tape.
template <class Op, class... A>
requires(detail::scalar_lift<A...> && sizeof...(A) != 1) LEIBNIZ_INLINE var
    lift(op_tag<Op>, const A&... a) {
  return detail::apply<Op>(a...);
}

// + - * / and the functions of one operand are statements (tape/statement.hpp).
inline var operator+(const var& a) { return a; }

// Comparisons are on values, so that code can branch on them (they record nothing).

namespace detail {
template <class T>
concept var_like = is_var<T> || requires(const T& t) {
  t.recorded();
};
template <class A, class B>
concept var_comparable = (var_like<A> || var_like<B>)&&(var_like<A> || std::is_arithmetic_v<A>)&&(
    var_like<B> || std::is_arithmetic_v<B>);
}  // namespace detail

template <class A, class B>
requires detail::var_comparable<A, B>
bool operator==(const A& a, const B& b) noexcept {
  return detail::value_of(a) == detail::value_of(b);
}
template <class A, class B>
requires detail::var_comparable<A, B> std::partial_ordering operator<=>(const A& a,
                                                                        const B& b) noexcept {
  return detail::value_of(a) <=> detail::value_of(b);
}

/// The sum of many vars as one entry with one record per var (instead of a chain of adds).
template <class Range>
requires std::same_as<std::remove_cvref_t<decltype(*std::begin(std::declval<const Range&>()))>, var>
    var sum(const Range& terms) {
  detail::tape_state& t = detail::the_tape;
  double total = 0.0;
  bool record = false;
  for (const var& x : terms) {
    total += x.value();
    record = record || x.requires_grad();
  }
  if (!record || !t.grad_enabled) return var(total);
  detail::reserve_entry(t, 1, 0);
  std::size_t m = 0;
  for (const var& x : terms) m += x.requires_grad() ? 1 : 0;
  // Leaves are registered before the entry's records are written.
  for (const var& x : terms)
    if (x.requires_grad()) (void)detail::var_access::resolve(t, x);
  if (m > detail::max_arity)
    throw error("tape::sum of more than 65,533 vars that require grad: sum them in parts");
  detail::ensure_room(t, 1, m);
  const auto k = static_cast<detail::slot_t>(t.size);
  t.head.data[k] = detail::head_of(detail::sum_code, static_cast<std::uint32_t>(m));
  t.refs.data[k] = 1;
  std::size_t r = t.records;
  for (const var& x : terms) {
    if (!x.requires_grad()) continue;
    const detail::slot_scale at = detail::var_access::resolve(t, x);
    t.index.data[r] = at.slot;
    t.partial.data[r] = at.scale;
    ++r;
  }
  t.records = r;
  t.size = k + 1;
  detail::update_limit(t);
  return detail::var_access::fresh(total, k, detail::sum_code);
}

}  // namespace leibniz::tape

#include <leibniz/tape/statement.hpp>
