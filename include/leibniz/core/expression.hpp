// leibniz/core/expression.hpp
// The static expression language: its leaves, its one composite node, and the traits on them.
#pragma once

#include <leibniz/core/fixed_string.hpp>
#include <leibniz/core/rational.hpp>

#include <complex>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace leibniz {

/// What every static expression can do as an object: be called with bindings to evaluate
/// it, `e(x = 2.0, y = 3.0)`. The evaluation itself lives in eval/, found by ADL.
template <class Derived>
struct expression_base {
  template <class... Bindings>
  constexpr auto operator()(const Bindings&... bindings) const {
    return evaluate(static_cast<const Derived&>(*this), bindings...);
  }
};

/// A symbol: a leaf that is bound to a value when the expression is evaluated.
/// `constexpr leibniz::variable<"x"> x;` -- different names are different types.
template <fixed_string Name>
struct variable;

/// Leaves of sums over data (core/vector.hpp): an index i, an element x[i + k], size(x).
template <fixed_string Name>
struct index;
template <fixed_string Vector, fixed_string Index, std::intmax_t Offset>
struct element;
template <fixed_string Vector>
struct size_of;

/// An exact constant, a rational number held in the type: `leibniz::constant<1, 2>`.
template <rational Q>
struct exact : expression_base<exact<Q>> {
  static constexpr rational value = Q;
};

/// A constant known by name whose value is irrational (pi): exact, but not a rational.
template <fixed_string Name>
struct named_constant : expression_base<named_constant<Name>> {
  static constexpr std::string_view name = Name.view();
};

/// A number known only at run time (`3 * x`, `x / 2.0`): held in the node by value.
/// Its type says nothing about its value, so laws that compare terms by type skip it.
template <class T>
struct literal : expression_base<literal<T>> {
  T value{};
  constexpr literal() : value() {}
  constexpr explicit literal(T v) : value(v) {}
};

/// The one composite node: an op applied to arguments. The op carries everything known
/// about the function (value, partial derivatives, symbol); the node carries only the tree.
template <class Op, class... Args>
struct node : expression_base<node<Op, Args...>> {
  std::tuple<Args...> args;
  constexpr node() : args() {}
  constexpr explicit node(const Args&... a) : args(a...) {}
  constexpr explicit node(const std::tuple<Args...>& a) : args(a) {}
};

namespace detail {

template <class T>
struct is_variable_impl : std::false_type {};
template <fixed_string N>
struct is_variable_impl<variable<N>> : std::true_type {};

template <class T>
struct is_exact_constant_impl : std::false_type {};
template <rational Q>
struct is_exact_constant_impl<exact<Q>> : std::true_type {};

template <class T>
struct is_named_constant_impl : std::false_type {};
template <fixed_string N>
struct is_named_constant_impl<named_constant<N>> : std::true_type {};

template <class T>
struct is_literal_impl : std::false_type {};
template <class T>
struct is_literal_impl<literal<T>> : std::true_type {};

template <class T>
struct is_index_impl : std::false_type {};
template <fixed_string N>
struct is_index_impl<index<N>> : std::true_type {};

template <class T>
struct is_element_impl : std::false_type {};
template <fixed_string V, fixed_string I, std::intmax_t O>
struct is_element_impl<element<V, I, O>> : std::true_type {};

template <class T>
struct is_size_of_impl : std::false_type {};
template <fixed_string V>
struct is_size_of_impl<size_of<V>> : std::true_type {};

template <class T>
struct is_node_impl : std::false_type {};
template <class Op, class... A>
struct is_node_impl<node<Op, A...>> : std::true_type {};

template <class T>
struct is_complex : std::false_type {};
template <class T>
struct is_complex<std::complex<T>> : std::true_type {};

}  // namespace detail

template <class T>
inline constexpr bool is_variable = detail::is_variable_impl<std::remove_cvref_t<T>>::value;
template <class T>
inline constexpr bool is_exact_constant =
    detail::is_exact_constant_impl<std::remove_cvref_t<T>>::value;
template <class T>
inline constexpr bool is_named_constant =
    detail::is_named_constant_impl<std::remove_cvref_t<T>>::value;
template <class T>
inline constexpr bool is_literal = detail::is_literal_impl<std::remove_cvref_t<T>>::value;
template <class T>
inline constexpr bool is_node = detail::is_node_impl<std::remove_cvref_t<T>>::value;
template <class T>
inline constexpr bool is_index = detail::is_index_impl<std::remove_cvref_t<T>>::value;
template <class T>
inline constexpr bool is_element = detail::is_element_impl<std::remove_cvref_t<T>>::value;
template <class T>
inline constexpr bool is_size_of = detail::is_size_of_impl<std::remove_cvref_t<T>>::value;

/// Any static expression: a variable, a constant, a literal or a node.
template <class T>
concept Expression = is_variable<T> || is_exact_constant<T> || is_named_constant<T> ||
    is_literal<T> || is_node<T> || is_index<T> || is_element<T> || is_size_of<T>;

/// A plain number: what a variable is bound to and what a literal holds.
template <class T>
concept Number = std::is_arithmetic_v<std::remove_cvref_t<T>> ||
    detail::is_complex<std::remove_cvref_t<T>>::value;

namespace detail {
/// True for an expression of constants only, known from its type: 2, pi, sqrt(pi), log(2).
template <class T>
struct is_closed_impl : std::false_type {};
template <rational Q>
struct is_closed_impl<exact<Q>> : std::true_type {};
template <fixed_string N>
struct is_closed_impl<named_constant<N>> : std::true_type {};
template <class Op, class... A>
struct is_closed_impl<node<Op, A...>> : std::bool_constant<(is_closed_impl<A>::value && ...)> {};
}  // namespace detail

/// A constant whose value the type holds (no run-time data): exact rationals, pi, and
/// expressions of them such as sqrt(pi). Met with a number, it becomes a number.
template <class T>
concept TypeConstant = detail::is_closed_impl<std::remove_cvref_t<T>>::value;

/// An expression that can vary: anything but a constant held in the type.
template <class T>
concept SymbolicExpression = Expression<T> && !TypeConstant<T>;

namespace detail {

/// True when the type alone determines the value: no literal anywhere inside. Laws that
/// identify terms by type (x + x = 2*x, x*x = x^2, shared subexpressions) apply only then.
template <class T>
struct is_exact_type_impl : std::true_type {};
template <class T>
struct is_exact_type_impl<literal<T>> : std::false_type {};
template <class Op, class... A>
struct is_exact_type_impl<node<Op, A...>>
    : std::bool_constant<(is_exact_type_impl<A>::value && ...)> {};

/// True when the expression mentions the variable named Name.
template <class T, fixed_string Name>
struct depends_on_impl : std::false_type {};
template <fixed_string Name>
struct depends_on_impl<variable<Name>, Name> : std::true_type {};
template <fixed_string Name, fixed_string I, std::intmax_t O>
struct depends_on_impl<element<Name, I, O>, Name> : std::true_type {};
template <class Op, class... A, fixed_string Name>
struct depends_on_impl<node<Op, A...>, Name>
    : std::bool_constant<(depends_on_impl<A, Name>::value || ...)> {};

}  // namespace detail

template <class T>
inline constexpr bool is_exact_type = detail::is_exact_type_impl<std::remove_cvref_t<T>>::value;

template <class T, fixed_string Name>
inline constexpr bool depends_on = detail::depends_on_impl<std::remove_cvref_t<T>, Name>::value;

/// The argument types of a node, and its I-th argument.
template <std::size_t I, class Op, class... A>
constexpr const auto& arg(const node<Op, A...>& n) {
  return std::get<I>(n.args);
}

}  // namespace leibniz
