// leibniz/core/dispatch.hpp
// call<Op>(args...): one entry point for every op, whatever the operands are. Numbers give a
// number, static expressions give a new expression type, other scalars (tape variables) record.
#pragma once

#include <leibniz/core/constant.hpp>
#include <leibniz/core/expression.hpp>

#include <numbers>
#include <tuple>
#include <type_traits>

namespace leibniz {

/// Names an op in overloads found by argument-dependent lookup: the tape defines
/// `lift(op_tag<Op>, args...)` for its variables; static mode defines `make<Op>`.
template <class Op>
struct op_tag {};

namespace detail {

template <class T>
struct real_of {
  using type = T;
};
template <class T>
struct real_of<std::complex<T>> {
  using type = T;
};

/// Integers compute as double, as in <cmath>.
template <class T>
using promoted = std::conditional_t<std::is_integral_v<T>, double, T>;

/// The number type in which an op on numbers and type constants is computed: the common
/// type of the number operands (type constants adapt to it).
template <class... A>
struct number_type {
  template <class Acc, class Next>
  static consteval auto step() {
    if constexpr (!Number<Next>)
      return std::type_identity<Acc>{};
    else if constexpr (std::is_void_v<Acc>)
      return std::type_identity<promoted<std::remove_cvref_t<Next>>>{};
    else
      return std::type_identity<std::common_type_t<Acc, promoted<std::remove_cvref_t<Next>>>>{};
  }
  template <class Acc, class First, class... Rest>
  static consteval auto fold() {
    using next = typename decltype(step<Acc, First>())::type;
    if constexpr (sizeof...(Rest) == 0)
      return std::type_identity<next>{};
    else
      return fold<next, Rest...>();
  }
  using type = typename decltype(fold<void, A...>())::type;
};

/// The value of a node's op on numbers.
template <class T, class Op, class... A, class... V>
constexpr T node_value(const node<Op, A...>&, const V&... v) {
  return static_cast<T>(Op::value(v...));
}

/// A type constant (exact rational, pi, sqrt(pi)) or a number, as a number of type T.
template <class T, class A>
constexpr T to_number(const A& a) {
  using real = typename real_of<T>::type;
  if constexpr (is_exact_constant<A>)
    return T(std::remove_cvref_t<A>::value.template as<real>());
  else if constexpr (is_named_constant<A>)
    return T(std::numbers::pi_v<real>);
  else if constexpr (is_node<A>)
    return std::apply([&](const auto&... args) { return node_value<T>(a, to_number<T>(args)...); },
                      a.args);
  else
    return static_cast<T>(a);
}

/// A run-time number becomes a literal leaf; an expression stays itself.
template <class A>
constexpr auto as_expression(const A& a) {
  if constexpr (Expression<A>)
    return a;
  else
    return make_literal(a);
}

template <class T>
concept StaticOperand = Expression<T> || Number<T>;

}  // namespace detail

/// Builds the canonical static expression for Op applied to expressions (core/canonical.hpp).
template <class Op, class... A>
constexpr auto make(const A&... a);

/// Applies Op: on numbers (and type constants) it computes the value; if any operand is a
/// symbolic static expression it builds the expression; any other operand (a tape variable)
/// is handed to `lift(op_tag<Op>{}, args...)`, found by argument-dependent lookup.
template <class Op, class... A>
constexpr auto call(const A&... a) {
  if constexpr (!(detail::StaticOperand<A> && ...)) {
    return lift(op_tag<Op>{}, a...);
  } else if constexpr ((SymbolicExpression<A> || ...)) {
    return make<Op>(detail::as_expression(a)...);
  } else if constexpr ((Number<A> || ...)) {
    using T = typename detail::number_type<A...>::type;
    return Op::value(detail::to_number<T>(a)...);
  } else {
    return make<Op>(a...);
  }
}

}  // namespace leibniz
