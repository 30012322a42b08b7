// leibniz/symbolic/derivative.hpp
// d(e, x): the derivative of an expression, by the chain rule over each op's partials.
#pragma once

#include <leibniz/core/canonical.hpp>
#include <leibniz/core/reduction.hpp>

#include <cstddef>
#include <tuple>
#include <utility>

namespace leibniz {
namespace detail {

template <fixed_string Name, class E>
constexpr auto derivative(const E& e);

/// sum over i of  d op / d arg_i  *  d arg_i / dx, skipping arguments free of x.
template <fixed_string Name, class Op, class... A, std::size_t... I>
constexpr auto chain_rule(const node<Op, A...>& e, std::index_sequence<I...>) {
  const auto term = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
    using arg = std::tuple_element_t<J, std::tuple<A...>>;
    if constexpr (depends_on<arg, Name>) {
      const auto inner = derivative<Name>(std::get<J>(e.args));
      return std::apply(
          [&](const auto&... args) {
            return make<product_op>(Op::template partial<J>(e, args...), inner);
          },
          e.args);
    } else {
      return zero;
    }
  };
  return make<sum_op>(zero, term(std::integral_constant<std::size_t, I>{})...);
}

/// d/dv sum(i, body) = sum(i, d/dv body): a sum is linear.
template <fixed_string Name, class Op, class Body>
constexpr auto sum_rule(const node<Op, Body>& e) {
  return make_reduction<Op>(derivative<Name>(std::get<0>(e.args)));
}

template <fixed_string Name, class E>
constexpr auto derivative(const E& e) {
  if constexpr (!depends_on<E, Name>)
    return zero;
  else if constexpr (is_variable<E>)
    return one;
  else if constexpr (is_reduction<E>)
    return sum_rule<Name>(e);
  else
    return chain_rule<Name>(e, std::make_index_sequence<std::tuple_size_v<decltype(e.args)>>{});
}

}  // namespace detail

/// The derivative of e with respect to the variable x, as a new expression type:
/// `d(x*x, x)` is `2*x`. Differentiate again for higher orders: `d(d(e, x), y)`.
template <class E, class X>
constexpr auto d(const E& e, const X& /*x*/) {
  static_assert(!is_vector<X>,
                "leibniz::d(e, x): x is a vector; differentiate with respect to a scalar "
                "variable, or take gradient(e, x)(..., into(x) = g) for the whole vector");
  static_assert(is_vector<X> || is_variable<X>,
                "leibniz::d(e, x): x must be a leibniz::variable, e.g. "
                "constexpr leibniz::variable<\"x\"> x;");
  static_assert(Expression<E> || Number<E>,
                "leibniz::d(e, x): e must be a leibniz expression (or a number, whose derivative "
                "is 0)");
  if constexpr (is_variable<X> && Expression<E>)
    return detail::derivative<std::remove_cvref_t<X>::symbol>(e);
  else
    return zero;
}

}  // namespace leibniz
