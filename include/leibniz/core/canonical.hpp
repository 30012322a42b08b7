// leibniz/core/canonical.hpp
// make<Op>(args...): builds the canonical form of an op applied to static expressions, so that
// equal expressions are the same type. Constants fold, 0 and 1 vanish, like terms and like
// factors collect, operands of + and * sort. Every law only ever shrinks or sorts, so building
// reaches a fixed point.
#pragma once

#include <leibniz/core/functions.hpp>
#include <leibniz/core/order.hpp>

#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace leibniz {
namespace detail {

template <class T>
struct is_power_op_impl : std::false_type {};
template <rational P>
struct is_power_op_impl<power_op<P>> : std::true_type {};
template <class Op>
inline constexpr bool is_power_op = is_power_op_impl<Op>::value;

template <class T, class Op>
struct is_node_of_impl : std::false_type {};
template <class Op, class... A>
struct is_node_of_impl<node<Op, A...>, Op> : std::true_type {};
template <class T, class Op>
inline constexpr bool is_node_of = is_node_of_impl<std::remove_cvref_t<T>, Op>::value;

template <class T>
struct is_power_node_impl : std::false_type {};
template <rational P, class B>
struct is_power_node_impl<node<power_op<P>, B>> : std::true_type {};
template <class T>
inline constexpr bool is_power_node = is_power_node_impl<std::remove_cvref_t<T>>::value;

template <class T>
inline constexpr bool is_sum = is_node_of<T, sum_op>;
template <class T>
inline constexpr bool is_product = is_node_of<T, product_op>;

template <class T, rational Q>
inline constexpr bool is_exactly = std::is_same_v<std::remove_cvref_t<T>, exact<Q>>;

// ---------------------------------------------------------------- tuples

template <class... T>
constexpr auto tail(const std::tuple<T...>& t) {
  return std::apply([](const auto&, const auto&... rest) { return std::tuple{rest...}; }, t);
}

// ---------------------------------------------------------------- coefficients
// A numeric factor of a term: an exact rational (in the type) or a literal (a run-time number).

template <class T>
concept Coefficient = is_exact_constant<T> || is_literal<T>;

template <class T>
struct literal_value_type {
  using type = void;
};
template <class T>
struct literal_value_type<literal<T>> {
  using type = T;
};

template <class A, class B>
using coefficient_number =
    std::common_type_t<std::conditional_t<is_literal<A>, typename literal_value_type<A>::type,
                                          typename literal_value_type<B>::type>,
                       std::conditional_t<is_literal<B>, typename literal_value_type<B>::type,
                                          typename literal_value_type<A>::type>>;

template <class T, class C>
constexpr T coefficient_value(const C& c) {
  if constexpr (is_literal<C>)
    return static_cast<T>(c.value);
  else
    return to_number<T>(c);
}

template <class A, class B>
constexpr auto add_coefficients(const A& a, const B& b) {
  if constexpr (is_exact_constant<A> && is_exact_constant<B>) {
    return exact<A::value + B::value>{};
  } else {
    using T = coefficient_number<A, B>;
    return literal<T>{coefficient_value<T>(a) + coefficient_value<T>(b)};
  }
}

template <class A, class B>
constexpr auto multiply_coefficients(const A& a, const B& b) {
  if constexpr (is_exact_constant<A> && is_exact_constant<B>) {
    return exact<A::value * B::value>{};
  } else if constexpr (is_exactly<A, rational{1}>) {
    return b;
  } else if constexpr (is_exactly<B, rational{1}>) {
    return a;
  } else {
    using T = coefficient_number<A, B>;
    return literal<T>{coefficient_value<T>(a) * coefficient_value<T>(b)};
  }
}

// ---------------------------------------------------------------- terms: coefficient * rest

/// What is left of a term once its coefficient is taken away: nothing, for a constant.
struct no_rest {};

template <class T>
struct has_coefficient_impl : std::false_type {};
template <class C, class... F>
struct has_coefficient_impl<node<product_op, C, F...>> : std::bool_constant<Coefficient<C>> {};
template <class T>
inline constexpr bool has_coefficient = has_coefficient_impl<std::remove_cvref_t<T>>::value;

template <class T>
constexpr auto coefficient_of(const T& t) {
  if constexpr (Coefficient<T>)
    return t;
  else if constexpr (has_coefficient<T>)
    return std::get<0>(t.args);
  else
    return exact<rational{1}>{};
}

template <class C, class... F>
constexpr auto drop_coefficient(const node<product_op, C, F...>& t) {
  if constexpr (sizeof...(F) == 1)
    return std::get<1>(t.args);
  else
    return node<product_op, F...>{tail(t.args)};
}

template <class T>
constexpr auto rest_of(const T& t) {
  if constexpr (Coefficient<T>)
    return no_rest{};
  else if constexpr (has_coefficient<T>)
    return drop_coefficient(t);
  else
    return t;
}

/// c * rest, for a rest that is a single factor or a product without coefficient.
template <class C, class R>
constexpr auto with_coefficient(const C& c, const R& rest) {
  if constexpr (std::is_same_v<R, no_rest>)
    return c;
  else if constexpr (is_exactly<C, rational{1}>)
    return rest;
  else if constexpr (is_product<R>)
    return std::apply(
        [&](const auto&... f) {
          return node<product_op, C, std::remove_cvref_t<decltype(f)>...>{c, f...};
        },
        rest.args);
  else
    return node<product_op, C, R>{c, rest};
}

// ---------------------------------------------------------------- factors: base ^ exponent

template <class F>
struct factor_traits {
  using base = F;
  static constexpr rational exponent{1};
};
template <rational P, class B>
struct factor_traits<node<power_op<P>, B>> {
  using base = B;
  static constexpr rational exponent = P;
};

template <class F>
constexpr const auto& base_of(const F& f) {
  if constexpr (is_power_node<F>)
    return std::get<0>(f.args);
  else
    return f;
}

/// The order of terms in a sum: by their factors, each by base and then by exponent,
/// highest first, so that sums print as polynomials do: x^2 + 2*x*y + y^2 + 1.
template <class A, class B>
consteval int compare_factors() {
  const int c = compare<typename factor_traits<A>::base, typename factor_traits<B>::base>();
  if (c != 0) return c;
  return -compare_rationals(factor_traits<A>::exponent, factor_traits<B>::exponent);
}

template <class... FA, class... FB>
consteval int compare_factor_lists(std::tuple<FA...>*, std::tuple<FB...>*) {
  if constexpr (sizeof...(FA) == 0 || sizeof...(FB) == 0) {
    return sizeof...(FA) == sizeof...(FB) ? 0 : (sizeof...(FA) == 0 ? -1 : 1);
  } else {
    using A = std::tuple<FA...>;
    using B = std::tuple<FB...>;
    const int c = compare_factors<std::tuple_element_t<0, A>, std::tuple_element_t<0, B>>();
    if (c != 0) return c;
    return compare_factor_lists(static_cast<decltype(tail(std::declval<A>()))*>(nullptr),
                                static_cast<decltype(tail(std::declval<B>()))*>(nullptr));
  }
}

template <class R>
struct factor_list_type {
  using type = std::tuple<R>;
};
template <class... F>
struct factor_list_type<node<product_op, F...>> {
  using type = std::tuple<F...>;
};

/// -1, 0 or 1: the order of two terms by their rests. Zero means they collect into one term,
/// which needs equal types that fix their values (no literal inside).
template <class RA, class RB>
consteval int term_order() {
  constexpr bool a_constant = std::is_same_v<RA, no_rest>;
  constexpr bool b_constant = std::is_same_v<RB, no_rest>;
  if constexpr (a_constant && b_constant) {
    return 0;
  } else if constexpr (a_constant || b_constant) {
    return a_constant ? 1 : -1;  // constants come last
  } else {
    const int c = compare_factor_lists(static_cast<typename factor_list_type<RA>::type*>(nullptr),
                                       static_cast<typename factor_list_type<RB>::type*>(nullptr));
    if (c == 0 && !(std::is_same_v<RA, RB> && is_exact_type<RA>)) return -1;
    return c;
  }
}

template <class A, class B>
constexpr auto combine_terms(const A& a, const B& b) {
  const auto c = add_coefficients(coefficient_of(a), coefficient_of(b));
  if constexpr (is_exactly<decltype(c), rational{0}>)
    return std::tuple{};
  else
    return std::tuple{with_coefficient(c, rest_of(a))};
}

template <class... A, class... B>
constexpr auto merge_terms(const std::tuple<A...>& a, const std::tuple<B...>& b) {
  if constexpr (sizeof...(A) == 0) {
    return b;
  } else if constexpr (sizeof...(B) == 0) {
    return a;
  } else {
    const auto& ha = std::get<0>(a);
    const auto& hb = std::get<0>(b);
    constexpr int order = term_order<decltype(rest_of(ha)), decltype(rest_of(hb))>();
    if constexpr (order < 0)
      return std::tuple_cat(std::tuple{ha}, merge_terms(tail(a), b));
    else if constexpr (order > 0)
      return std::tuple_cat(std::tuple{hb}, merge_terms(a, tail(b)));
    else
      return std::tuple_cat(combine_terms(ha, hb), merge_terms(tail(a), tail(b)));
  }
}

template <class T>
constexpr auto terms_of(const T& t) {
  if constexpr (is_sum<T>)
    return t.args;
  else if constexpr (is_exactly<T, rational{0}>)
    return std::tuple{};
  else
    return std::tuple{t};
}

template <class... T>
constexpr auto build_sum(const std::tuple<T...>& terms) {
  if constexpr (sizeof...(T) == 0)
    return exact<rational{0}>{};
  else if constexpr (sizeof...(T) == 1)
    return std::get<0>(terms);
  else
    return node<sum_op, T...>{terms};
}

template <class A, class B>
constexpr auto add(const A& a, const B& b) {
  return build_sum(merge_terms(terms_of(a), terms_of(b)));
}

// ---------------------------------------------------------------- products

template <rational P, class B>
constexpr auto make_power(const B& b);

template <class A, class B>
constexpr auto multiply(const A& a, const B& b);

/// c * (t1 + t2 + ...) = c*t1 + c*t2 + ...: numeric factors spread over sums, so that
/// (x + y) - (x - y) collects to 2*y. The rests do not change, so the order holds.
template <class C, class... T>
constexpr auto distribute(const C& c, const node<sum_op, T...>& s) {
  return std::apply(
      [&](const auto&... t) {
        return node<sum_op, decltype(with_coefficient(multiply_coefficients(c, coefficient_of(t)),
                                                      rest_of(t)))...>{
            with_coefficient(multiply_coefficients(c, coefficient_of(t)), rest_of(t))...};
      },
      s.args);
}

/// The content of a sum: the positive rational g that makes it g times a sum whose exact
/// coefficients have numerators with no common divisor, and no common denominator (2*x - 4*y:
/// 2; x/2 + y/2: 1/2; x/2 + y: 1, which stays as it is). 1 when some coefficient is a run-time
/// number. (Signs stay: taking -1 out of -x + y too would unify y - x with x - y, but print
/// 1 - sigmoid(x) as -(sigmoid(x) - 1).)
template <class... T>
consteval rational content_of_sum() {
  if constexpr ((is_literal<decltype(coefficient_of(std::declval<const T&>()))> || ...)) {
    return rational{1};
  } else {
    const rational q[] = {
        std::remove_cvref_t<decltype(coefficient_of(std::declval<const T&>()))>::value...};
    std::intmax_t num = 0;
    bool same_denominator = true;
    for (const rational c : q) {
      num = std::gcd(num, c.num);
      same_denominator = same_denominator && c.den == q[0].den;
    }
    return rational{num, same_denominator ? q[0].den : 1};
  }
}

template <class T>
struct content_of_impl {
  static constexpr rational value{1};
};
template <class... T>
struct content_of_impl<node<sum_op, T...>> {
  static constexpr rational value = content_of_sum<T...>();
};

/// A factor's share of a product's coefficient and what it adds to the factors. A sum gives
/// its content and its primitive part, so that sums equal up to a positive number meet as one
/// base: (2*x + 2)*(x + 1) = 2*(x + 1)^2, 2*x*(y + 2*z) + x*(2*y + 4*z) = 4*x*(y + 2*z).
template <class T>
constexpr auto coefficient_as_factor(const T& t) {
  constexpr rational g = content_of_impl<T>::value;
  if constexpr (is_sum<T> && !g.is_one())
    return exact<g>{};
  else
    return coefficient_of(t);
}

template <class T>
constexpr auto factors_of(const T& t) {
  constexpr rational g = content_of_impl<T>::value;
  if constexpr (Coefficient<T>)
    return std::tuple{};
  else if constexpr (has_coefficient<T>)
    return tail(t.args);
  else if constexpr (is_product<T>)
    return t.args;
  else if constexpr (is_sum<T> && !g.is_one())
    return std::tuple{distribute(exact<rational{1} / g>{}, t)};  // the primitive part
  else
    return std::tuple{t};
}

/// -1, 0 or 1: the order of two factors by their bases; zero means their exponents add.
template <class FA, class FB>
consteval int factor_order() {
  using A = typename factor_traits<FA>::base;
  using B = typename factor_traits<FB>::base;
  const int c = compare<A, B>();
  if (c == 0 && !(std::is_same_v<A, B> && is_exact_type<A>)) return -1;
  return c;
}

template <class A, class B>
constexpr auto combine_factors(const A& a, const B& /*b*/) {
  const auto combined =
      make_power<factor_traits<A>::exponent + factor_traits<B>::exponent>(base_of(a));
  if constexpr (is_exactly<decltype(combined), rational{1}>)
    return std::tuple{};
  else
    return std::tuple{combined};
}

template <class... A, class... B>
constexpr auto merge_factors(const std::tuple<A...>& a, const std::tuple<B...>& b) {
  if constexpr (sizeof...(A) == 0) {
    return b;
  } else if constexpr (sizeof...(B) == 0) {
    return a;
  } else {
    const auto& ha = std::get<0>(a);
    const auto& hb = std::get<0>(b);
    constexpr int order =
        factor_order<std::remove_cvref_t<decltype(ha)>, std::remove_cvref_t<decltype(hb)>>();
    if constexpr (order < 0)
      return std::tuple_cat(std::tuple{ha}, merge_factors(tail(a), b));
    else if constexpr (order > 0)
      return std::tuple_cat(std::tuple{hb}, merge_factors(a, tail(b)));
    else
      return std::tuple_cat(combine_factors(ha, hb), merge_factors(tail(a), tail(b)));
  }
}

/// acc * f1 * f2 * ..., each step canonical.
template <class A, class... F>
constexpr auto fold_multiply(const A& acc, const F&... f) {
  if constexpr (sizeof...(F) == 0)
    return acc;
  else
    return [&](const auto& first, const auto&... rest) {
      return fold_multiply(multiply(acc, first), rest...);
    }(f...);
}

/// A factor as a product keeps it: not a number, not itself a product.
template <class F>
inline constexpr bool is_plain_factor = !Coefficient<F> && !is_product<F>;

template <class C, class... F>
constexpr auto build_product(const C& c, const std::tuple<F...>& factors) {
  if constexpr (!(is_plain_factor<F> && ...)) {
    // Rare: merged exponents gave a number (sqrt(2)^2) or a product ((x*y)^(1/2) squared).
    return std::apply([&](const auto&... f) { return fold_multiply(c, f...); }, factors);
  } else if constexpr (sizeof...(F) == 0) {
    return c;
  } else if constexpr (sizeof...(F) == 1 && is_exactly<C, rational{1}>) {
    return std::get<0>(factors);
  } else if constexpr (sizeof...(F) == 1 && (is_sum<F> && ...)) {
    return distribute(c, std::get<0>(factors));
  } else if constexpr (is_exactly<C, rational{1}>) {
    return node<product_op, F...>{factors};
  } else {
    return node<product_op, C, F...>{std::tuple_cat(std::tuple{c}, factors)};
  }
}

template <class A, class B>
constexpr auto multiply(const A& a, const B& b) {
  if constexpr (is_exactly<A, rational{0}> || is_exactly<B, rational{0}>) {
    return exact<rational{0}>{};  // 0 * e = 0
  } else if constexpr (Coefficient<A> && Coefficient<B>) {
    return multiply_coefficients(a, b);
  } else if constexpr (Coefficient<A> && is_sum<B>) {
    if constexpr (is_exactly<A, rational{1}>)
      return b;
    else
      return distribute(a, b);
  } else if constexpr (is_sum<A> && Coefficient<B>) {
    return multiply(b, a);
  } else {
    return build_product(multiply_coefficients(coefficient_as_factor(a), coefficient_as_factor(b)),
                         merge_factors(factors_of(a), factors_of(b)));
  }
}

// ---------------------------------------------------------------- powers

/// The integer r with r^n == a, if there is one.
consteval std::optional<std::intmax_t> exact_root(std::intmax_t a, std::intmax_t n) {
  if (a < 0) {
    if (n % 2 == 0) return std::nullopt;
    const auto r = exact_root(-a, n);
    return r ? std::optional{-*r} : std::nullopt;
  }
  std::intmax_t lo = 0;
  std::intmax_t hi = a < 2 ? a : (a < (std::intmax_t{1} << 62) ? a : (std::intmax_t{1} << 62));
  while (lo <= hi) {
    const std::intmax_t mid = lo + (hi - lo) / 2;
    // mid^n compared with a, stopping as soon as it exceeds a.
    std::intmax_t p = 1;
    bool above = false;
    for (std::intmax_t k = 0; k < n; ++k) {
      if (__builtin_mul_overflow(p, mid, &p) || p > a) {
        above = true;
        break;
      }
    }
    if (!above && p == a) return mid;
    if (above)
      hi = mid - 1;
    else
      lo = mid + 1;
  }
  return std::nullopt;
}

/// Q^P exactly, if it is rational: (4/9)^(1/2) = 2/3, 8^(2/3) = 4; else nothing.
consteval std::optional<rational> exact_power(rational q, rational p) {
  if (q.is_zero() && p.is_negative()) throw "leibniz: an exact zero raised to a negative power";
  if (p.is_integer()) return power(q, p.num);
  const auto num = exact_root(q.num, p.den);
  const auto den = exact_root(q.den, p.den);
  if (!num || !den) return std::nullopt;
  return power(rational{*num, *den}, p.num);
}

template <rational P, class B>
constexpr auto make_power(const B& b) {
  if constexpr (P.is_zero()) {
    return exact<rational{1}>{};  // e^0 = 1
  } else if constexpr (P.is_one()) {
    return b;  // e^1 = e
  } else if constexpr (is_exact_constant<B>) {
    constexpr auto value = exact_power(B::value, P);
    if constexpr (value.has_value())
      return exact<*value>{};
    else
      return node<power_op<P>, B>{b};
  } else if constexpr (is_literal<B>) {
    return literal<decltype(b.value)>{power_op<P>::value(b.value)};
  } else if constexpr (is_sum<B> && P.is_integer() && !content_of_impl<B>::value.is_one()) {
    // (g*s)^n = g^n * s^n, s the primitive part: 1/(2*x + 2) = (1/2)/(x + 1).
    return multiply(exact<power(content_of_impl<B>::value, P.num)>{},
                    make_power<P>(std::get<0>(factors_of(b))));
  } else if constexpr (is_power_node<B> && P.is_integer()) {
    // (u^p)^n = u^(p*n) for an integer n; (x^2)^(1/2) = |x| is left alone.
    return make_power<factor_traits<B>::exponent * P>(std::get<0>(b.args));
  } else if constexpr (is_product<B> && P.is_integer()) {
    // (a*b)^n = a^n * b^n for an integer n.
    return std::apply(
        [](const auto&... f) { return fold_multiply(exact<rational{1}>{}, make_power<P>(f)...); },
        b.args);
  } else {
    return node<power_op<P>, B>{b};
  }
}

// ---------------------------------------------------------------- other functions

template <class A>
struct value_type_of {
  using type = void;
};
template <class T>
struct value_type_of<literal<T>> {
  using type = T;
};

template <class T, class A>
constexpr T numeric_value(const A& a) {
  if constexpr (is_literal<A>)
    return static_cast<T>(a.value);
  else
    return to_number<T>(a);
}

template <class Op, class... A>
constexpr auto make_function(const A&... a) {
  if constexpr ((is_exact_constant<A> && ...) && requires { Op::exact_value(A::value...); }) {
    // f at a point where its value is exact: sin(0) = 0, exp(0) = 1, log(1) = 0, ...
    constexpr std::optional<rational> value = Op::exact_value(A::value...);
    if constexpr (value.has_value())
      return exact<*value>{};
    else
      return node<Op, A...>{a...};
  } else if constexpr (((Coefficient<A> || TypeConstant<A>)&&...) && (is_literal<A> || ...)) {
    // f of run-time numbers is a run-time number.
    using T = typename number_type<typename value_type_of<A>::type...>::type;
    return literal<T>{Op::value(numeric_value<T>(a)...)};
  } else {
    return node<Op, A...>{a...};
  }
}

template <class A, class... T>
constexpr auto fold_add(const A& acc, const T&... t) {
  if constexpr (sizeof...(T) == 0)
    return acc;
  else
    return [&](const auto& first, const auto&... rest) {
      return fold_add(add(acc, first), rest...);
    }(t...);
}

}  // namespace detail

/// Builds the canonical static expression for Op applied to expressions.
template <class Op, class... A>
constexpr auto make(const A&... a) {
  if constexpr (std::is_same_v<Op, sum_op>) {
    return detail::fold_add(a...);
  } else if constexpr (std::is_same_v<Op, product_op>) {
    return detail::fold_multiply(exact<rational{1}>{}, a...);
  } else if constexpr (std::is_same_v<Op, sub_op>) {
    static_assert(sizeof...(A) == 2);
    return [](const auto& x, const auto& y) {
      return detail::add(x, detail::multiply(exact<rational{-1}>{}, y));  // a - b = a + (-1)*b
    }(a...);
  } else if constexpr (std::is_same_v<Op, neg_op>) {
    return detail::multiply(exact<rational{-1}>{}, a...);  // -a = (-1)*a
  } else if constexpr (std::is_same_v<Op, div_op>) {
    static_assert(sizeof...(A) == 2);
    return [](const auto& x, const auto& y) {
      return detail::multiply(x, detail::make_power<rational{-1}>(y));  // a / b = a * b^-1
    }(a...);
  } else if constexpr (detail::is_power_op<Op>) {
    return detail::make_power<Op::parameter>(a...);
  } else if constexpr (std::is_same_v<Op, pow_op>) {
    return [](const auto& u, const auto& v) {
      if constexpr (is_exact_constant<decltype(v)>)
        return detail::make_power<std::remove_cvref_t<decltype(v)>::value>(u);
      else
        return detail::make_function<pow_op>(u, v);
    }(a...);
  } else {
    return detail::make_function<Op>(a...);
  }
}

}  // namespace leibniz
