// leibniz/core/order.hpp
// A total order on expression types: sorting the operands of + and * makes x*y and y*x one type.
#pragma once

#include <leibniz/core/expression.hpp>

#include <cstddef>
#include <string_view>
#include <type_traits>

namespace leibniz::detail {

/// The kinds of expression, in the order they sort.
template <class T>
consteval int kind_rank() {
  if constexpr (is_exact_constant<T>)
    return 0;
  else if constexpr (is_named_constant<T>)
    return 1;
  else if constexpr (is_literal<T>)
    return 2;
  else if constexpr (is_size_of<T>)
    return 3;
  else if constexpr (is_index<T>)
    return 4;
  else if constexpr (is_variable<T>)
    return 5;
  else if constexpr (is_element<T>)
    return 6;
  else
    return 7;
}

consteval int compare_views(std::string_view a, std::string_view b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

/// Ops that take a parameter in their type (power_op<P>: the exponent) expose it.
template <class Op>
consteval rational op_parameter() {
  if constexpr (requires { Op::parameter; })
    return Op::parameter;
  else
    return rational{0};
}

/// Ops that differ in more than one number (a sum's index and range) spell it out as a key.
template <class Op>
consteval std::string_view op_key() {
  if constexpr (requires { Op::key; })
    return Op::key;
  else
    return {};
}

template <class A, class B>
consteval int compare();

template <class... A, class... B, std::size_t... I>
consteval int compare_arguments(std::tuple<A...>*, std::tuple<B...>*, std::index_sequence<I...>) {
  int result = 0;
  // The first difference decides, argument by argument.
  ((result == 0 ? (result = compare<std::tuple_element_t<I, std::tuple<A...>>,
                                    std::tuple_element_t<I, std::tuple<B...>>>(),
                   0)
                : 0),
   ...);
  return result;
}

template <class OpA, class... A, class OpB, class... B>
consteval int compare_nodes(node<OpA, A...>*, node<OpB, B...>*) {
  constexpr int by_name = compare_views(OpA::name, OpB::name);
  constexpr int by_parameter = compare_rationals(op_parameter<OpA>(), op_parameter<OpB>());
  constexpr int by_key = compare_views(op_key<OpA>(), op_key<OpB>());
  if constexpr (by_name != 0)
    return by_name;
  else if constexpr (by_parameter != 0)
    return by_parameter;
  else if constexpr (by_key != 0)
    return by_key;
  else if constexpr (sizeof...(A) != sizeof...(B))
    return sizeof...(A) < sizeof...(B) ? -1 : 1;
  else
    return compare_arguments(static_cast<std::tuple<A...>*>(nullptr),
                             static_cast<std::tuple<B...>*>(nullptr),
                             std::make_index_sequence<sizeof...(A)>{});
}

template <class T>
consteval int literal_rank() {
  return (is_complex<T>::value ? 100 : 0) + static_cast<int>(sizeof(T));
}

/// -1, 0 or 1 as A sorts before, with, or after B. Zero means the same type, except for
/// literals of one type, whose values the type does not know.
template <class A, class B>
consteval int compare() {
  if constexpr (std::is_same_v<A, B>) {
    return 0;
  } else if constexpr (kind_rank<A>() != kind_rank<B>()) {
    return kind_rank<A>() < kind_rank<B>() ? -1 : 1;
  } else if constexpr (is_exact_constant<A>) {
    return compare_rationals(A::value, B::value);
  } else if constexpr (is_named_constant<A> || is_variable<A> || is_index<A>) {
    return compare_views(A::name, B::name);
  } else if constexpr (is_size_of<A>) {
    return compare_views(A::vector_name, B::vector_name);
  } else if constexpr (is_element<A>) {
    if (int c = compare_views(A::vector_name, B::vector_name); c != 0) return c;
    if (int c = compare_views(A::index_name, B::index_name); c != 0) return c;
    return A::offset < B::offset ? -1 : 1;
  } else if constexpr (is_literal<A>) {
    return literal_rank<decltype(A::value)>() < literal_rank<decltype(B::value)>() ? -1 : 1;
  } else {
    return compare_nodes(static_cast<A*>(nullptr), static_cast<B*>(nullptr));
  }
}

}  // namespace leibniz::detail
