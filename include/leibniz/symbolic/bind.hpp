// leibniz/symbolic/bind.hpp
// bind(e, y = data): fixes a vector of data once. A sum whose body is a polynomial in y[i]
// becomes a polynomial in the data's power sums (sum of y, of y^2, ...), computed here, once:
// every later evaluation or gradient of the bound expression costs O(1) in the data's length.
#pragma once

#include <leibniz/core/canonical.hpp>
#include <leibniz/core/reduction.hpp>
#include <leibniz/eval/bindings.hpp>
#include <leibniz/eval/static_tape.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>

namespace leibniz {
namespace detail {

/// Marks an expression that is not a polynomial in the element (see polynomial_in).
struct not_polynomial {};

template <class T>
inline constexpr bool is_polynomial = !std::is_same_v<T, not_polynomial>;

/// c0 + c1*u + ... as the tuple (c0, c1, ...), added term by term.
template <class... A, class... B>
constexpr auto add_polynomials(const std::tuple<A...>& a, const std::tuple<B...>& b) {
  constexpr std::size_t n = sizeof...(A) > sizeof...(B) ? sizeof...(A) : sizeof...(B);
  return [&]<std::size_t... K>(std::index_sequence<K...>) {
    const auto coefficient = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
      if constexpr (J < sizeof...(A) && J < sizeof...(B))
        return make<sum_op>(std::get<J>(a), std::get<J>(b));
      else if constexpr (J < sizeof...(A))
        return std::get<J>(a);
      else
        return std::get<J>(b);
    };
    return std::tuple{coefficient(std::integral_constant<std::size_t, K>{})...};
  }
  (std::make_index_sequence<n>{});
}

/// The product of two polynomials: coefficient k is the sum over j of a_j * b_(k-j).
template <class... A, class... B>
constexpr auto multiply_polynomials(const std::tuple<A...>& a, const std::tuple<B...>& b) {
  constexpr std::size_t n = sizeof...(A) + sizeof...(B) - 1;
  return [&]<std::size_t... K>(std::index_sequence<K...>) {
    const auto coefficient = [&]<std::size_t Kc>(std::integral_constant<std::size_t, Kc>) {
      return [&]<std::size_t... J>(std::index_sequence<J...>) {
        const auto term = [&]<std::size_t Jc>(std::integral_constant<std::size_t, Jc>) {
          if constexpr (Jc < sizeof...(A) && Kc - Jc < sizeof...(B))
            return make<product_op>(std::get<Jc>(a), std::get<Kc - Jc>(b));
          else
            return exact<rational{0}>{};
        };
        return fold_add(exact<rational{0}>{}, term(std::integral_constant<std::size_t, J>{})...);
      }
      (std::make_index_sequence<Kc + 1>{});
    };
    return std::tuple{coefficient(std::integral_constant<std::size_t, K>{})...};
  }
  (std::make_index_sequence<n>{});
}

template <std::size_t N, class P>
constexpr auto power_polynomial(const P& p) {
  if constexpr (N == 1)
    return p;
  else
    return multiply_polynomials(p, power_polynomial<N - 1>(p));
}

/// a + b or a * b of two polynomials, or not_polynomial if either is not one.
template <bool Product, class A, class B>
constexpr auto combine_polynomials(const A& a, const B& b) {
  if constexpr (!is_polynomial<A> || !is_polynomial<B>)
    return not_polynomial{};
  else if constexpr (Product)
    return multiply_polynomials(a, b);
  else
    return add_polynomials(a, b);
}

template <bool Product, class Acc, class... P>
constexpr auto fold_polynomials(const Acc& acc, const P&... p) {
  if constexpr (sizeof...(P) == 0)
    return acc;
  else
    return [&](const auto& first, const auto&... rest) {
      return fold_polynomials<Product>(combine_polynomials<Product>(acc, first), rest...);
    }(p...);
}

/// e as a polynomial in the element u: the tuple (c0, c1, ...) of expressions free of u's
/// index with e = c0 + c1*u + c2*u^2 + ..., or not_polynomial.
template <class Element, class E>
constexpr auto polynomial_in(const E& e) {
  if constexpr (std::is_same_v<E, Element>) {
    return std::tuple{exact<rational{0}>{}, exact<rational{1}>{}};
  } else if constexpr (!varies_with<E, Element::index_symbol>) {
    return std::tuple{e};
  } else if constexpr (is_sum<E> || is_product<E>) {
    return std::apply(
        [](const auto& first, const auto&... rest) {
          return fold_polynomials<is_product<E>>(polynomial_in<Element>(first),
                                                 polynomial_in<Element>(rest)...);
        },
        e.args);
  } else if constexpr (is_power_node<E>) {
    constexpr rational p = factor_traits<E>::exponent;
    if constexpr (p.is_integer() && p.num > 0) {
      const auto base = polynomial_in<Element>(std::get<0>(e.args));
      if constexpr (is_polynomial<decltype(base)>)
        return power_polynomial<static_cast<std::size_t>(p.num)>(base);
      else
        return not_polynomial{};
    } else {
      return not_polynomial{};
    }
  } else {
    return not_polynomial{};
  }
}

template <fixed_string V, class T, class E>
constexpr auto bind_data(const E& e, const vector_binding<V, T>& data);

/// e with every occurrence of the leaf Leaf replaced by r, rebuilt in canonical form.
template <class Leaf, class R, class E>
constexpr auto substitute(const E& e, const R& r) {
  if constexpr (std::is_same_v<E, Leaf>) {
    return r;
  } else if constexpr (is_interior<E>) {
    return [&]<class Op, class... A>(const node<Op, A...>& n) {
      return std::apply([&](const auto&... a) { return make<Op>(substitute<Leaf>(a, r)...); },
                        n.args);
    }(e);
  } else {
    return e;
  }
}

/// sum(i, body) over the bound data y, for a body polynomial in y[i]: with u = y[i] - mean,
/// body = c0 + c1*u + c2*u^2 + ..., so the sum is c0*n + c1*sum(u) + c2*sum(u^2) + ...
/// Powers of the centred u, not of y, keep sum (y - mu)^2 = n (mean - mu)^2 + sum u^2 free
/// of the cancellation in sum y^2 - 2 mu sum y + n mu^2.
template <fixed_string V, class T, fixed_string I, std::intmax_t Lo, std::intmax_t Hi, class Body>
constexpr auto bind_sum(const node<sum_over_op<I, V, Lo, Hi>, Body>& e,
                        const vector_binding<V, T>& data) {
  using u = element<V, I, 0>;
  if constexpr (!is_polynomial<decltype(polynomial_in<u>(std::get<0>(e.args)))>) {
    return e;  // not a polynomial in y[i]: the sum stays, and needs y bound when evaluated
  } else {
    const auto size = static_cast<std::intmax_t>(data.value.size());
    const auto first = static_cast<std::size_t>(Lo);
    const std::size_t end = size + Hi > Lo ? static_cast<std::size_t>(size + Hi) : first;
    double mean = 0;
    for (std::size_t i = first; i < end; ++i) mean += static_cast<double>(data.value[i]);
    if (end > first) mean /= static_cast<double>(end - first);
    // y[i] = mean + u, and the body as a polynomial in u.
    const auto poly = polynomial_in<u>(
        substitute<u>(std::get<0>(e.args), make<sum_op>(literal<double>{mean}, u{})));
    constexpr std::size_t degree = std::tuple_size_v<decltype(poly)> - 1;
    std::array<double, degree + 1> sums{};
    for (std::size_t i = first; i < end; ++i) {
      const double centred = static_cast<double>(data.value[i]) - mean;
      double power = 1;
      for (std::size_t k = 0; k <= degree; ++k) {
        sums[k] += power;
        power *= centred;
      }
    }
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
      return fold_add(exact<rational{0}>{}, make<product_op>(bind_data(std::get<K>(poly), data),
                                                             literal<double>{sums[K]})...);
    }
    (std::make_index_sequence<degree + 1>{});
  }
}

template <fixed_string V, class T, class E>
constexpr auto bind_data(const E& e, const vector_binding<V, T>& data) {
  if constexpr (is_size_of<E>) {
    if constexpr (E::vector_symbol == V)
      return literal<double>{static_cast<double>(data.value.size())};
    else
      return e;
  } else if constexpr (is_reduction<E>) {
    return [&]<class Op, class Body>(const node<Op, Body>& sum) {
      if constexpr (Op::vector_symbol == V)
        return bind_sum(sum, data);
      else
        return sum;
    }(e);
  } else if constexpr (is_node<E>) {
    return [&]<class Op, class... A>(const node<Op, A...>& n) {
      return std::apply([&](const auto&... a) { return make<Op>(bind_data(a, data)...); }, n.args);
    }(e);
  } else {
    return e;
  }
}

}  // namespace detail

/// e with the data bound to the vector y fixed once: `bind(normal_lpdf, y = data)`. Every sum
/// over y whose body is a polynomial in y[i] becomes a polynomial in the power sums of the data,
/// computed here, so evaluating the bound expression and its gradient no longer loops over the
/// data. Other sums keep their loop (bind y again when evaluating them); size(y) becomes a
/// number. The bound expression holds numbers, not a reference to the data.
template <Expression E, fixed_string V, class T>
constexpr auto bind(const E& e, const vector_binding<V, T>& data) {
  return detail::bind_data(e, data);
}

}  // namespace leibniz
