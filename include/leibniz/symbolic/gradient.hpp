// leibniz/symbolic/gradient.hpp
// gradient(e, x, y, ...) and hessian(e, x, y, ...): all first or second derivatives at once,
// as expressions to print and as callables that evaluate them in one pass.
#pragma once

#include <leibniz/config.hpp>
#include <leibniz/eval/reverse_sweep.hpp>
#include <leibniz/symbolic/derivative.hpp>

#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

namespace leibniz {

namespace detail {
template <class... X>
consteval bool distinct_variables() {
  constexpr std::array<std::string_view, sizeof...(X) + 1> names{X::name..., ""};
  for (std::size_t i = 0; i < sizeof...(X); ++i)
    for (std::size_t j = i + 1; j < sizeof...(X); ++j)
      if (names[i] == names[j]) return false;
  return true;
}

/// Checks the variables of gradient() and hessian(); returns whether they are fine.
template <class... X>
consteval bool check_variables() {
  constexpr bool all_variables = ((is_variable<X> || is_vector<X>)&&...);
  static_assert(all_variables,
                "leibniz::gradient / hessian: differentiate with respect to leibniz::variable "
                "(or leibniz::vector) objects, e.g. gradient(f, x, y)");
  if constexpr (all_variables) {
    constexpr bool distinct = distinct_variables<X...>();
    static_assert(distinct, "leibniz::gradient / hessian: a variable is named twice");
    return distinct;
  } else {
    return false;
  }
}
/// Whether evaluating the symbolic derivatives of a small expression together takes fewer
/// steps than a forward and a reverse pass over it: only for plain numbers (a tape variable
/// records whatever it is given), scalar variables, no sums over data, and at most 16 tape
/// entries, so that large expressions never pay for deriving the types at compile time.
template <class E, class... Vars, class... B>
consteval bool symbolic_is_cheaper(std::tuple<Vars...>*, std::tuple<B...>*) {
  if constexpr (!check_bindings<B...>() || TypeConstant<E> || !(is_variable<Vars> && ...)) {
    return false;
  } else if constexpr (!std::is_floating_point_v<typename scalar_of<B...>::type>) {
    return false;
  } else {
    using list = tape_of<E>;
    if constexpr (std::size_t{list::size} > 16 || holds_reduction<list>::value)
      return false;
    else
      return std::size_t{tape_of<decltype(d(std::declval<const E&>(), Vars{}))...>::size} <=
             std::size_t{list::size};
  }
}

}  // namespace detail

/// The gradient of E with respect to Vars...: call it with bindings for the compiled gradient
/// (one forward and one reverse pass), or ask for the symbolic derivatives.
template <class E, class... Vars>
struct gradient_expression {
  E function;

  /// All partial derivatives at the bound point, as std::array in the order Vars are named.
  template <class... B>
  LEIBNIZ_INLINE constexpr auto operator()(const B&... bindings) const {
    if constexpr (detail::symbolic_is_cheaper<E>(static_cast<std::tuple<Vars...>*>(nullptr),
                                                 static_cast<std::tuple<B...>*>(nullptr)))
      return symbolic_gradient(bindings...);
    else
      return detail::compiled_gradient<Vars...>(function, bindings...);
  }

  /// The partial derivatives as expressions: a std::tuple of d(e, x), d(e, y), ...
  constexpr auto derivatives() const { return std::tuple{d(function, Vars{})...}; }

 private:
  /// The symbolic derivatives evaluated together on one static tape, which computes their
  /// shared subexpressions once (2*x*y in both partials of x^2*y + x*y^2).
  template <class... B>
  LEIBNIZ_INLINE constexpr auto symbolic_gradient(const B&... bindings) const {
    using T = typename detail::scalar_of<B...>::type;
    const auto partials = derivatives();
    return std::apply(
        [&](const auto&... partial) {
          const std::tuple<const std::remove_cvref_t<decltype(partial)>&...> roots{partial...};
          const auto pass = detail::run_forward<T>(roots, bindings...);
          return [&]<std::size_t... K>(std::index_sequence<K...>) {
            return std::array<T, sizeof...(Vars)>{pass.template root<K>()...};
          }
          (std::index_sequence_for<Vars...>{});
        },
        partials);
  }
};

template <Expression E, class... X>
constexpr auto gradient(const E& e, const X&...) {
  if constexpr (detail::check_variables<X...>())
    return gradient_expression<E, X...>{e};
  else
    return gradient_expression<E>{e};  // a static_assert has said what is wrong
}

/// The Hessian of E with respect to Vars...: the matrix of second derivatives, evaluated
/// together so that shared subexpressions are computed once.
template <class E, class... Vars>
struct hessian_expression {
  E function;
  static constexpr std::size_t n = sizeof...(Vars);

  /// The second derivatives as expressions, row by row: d(d(e, x_i), x_j).
  constexpr auto derivatives() const { return std::tuple_cat(row(d(function, Vars{}))...); }

  template <class... B>
  constexpr auto operator()(const B&... bindings) const {
    using T = typename detail::scalar_of<B...>::type;
    static_assert(detail::check_bindings<B...>());
    const auto entries = derivatives();
    return std::apply(
        [&](const auto&... second) {
          const std::tuple<const std::remove_cvref_t<decltype(second)>&...> roots{second...};
          const auto pass = detail::run_forward<T>(roots, bindings...);
          std::array<std::array<T, n>, n> matrix{};
          [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((matrix[K / n][K % n] = pass.template root<K>()), ...);
          }
          (std::make_index_sequence<n * n>{});
          return matrix;
        },
        entries);
  }

 private:
  template <class First>
  static constexpr auto row(const First& first) {
    return std::tuple{d(first, Vars{})...};
  }
};

template <Expression E, class... X>
constexpr auto hessian(const E& e, const X&...) {
  if constexpr (detail::check_variables<X...>())
    return hessian_expression<E, X...>{e};
  else
    return hessian_expression<E>{e};  // a static_assert has said what is wrong
}

}  // namespace leibniz
