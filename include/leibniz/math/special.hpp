// leibniz/math/special.hpp
// erf and the logistic sigmoid: std:: at run time, own implementations in constant evaluation.
#pragma once

#include <leibniz/math/classify.hpp>
#include <leibniz/math/constants.hpp>
#include <leibniz/math/double_word.hpp>
#include <leibniz/math/exponential.hpp>

#include <cmath>
#include <concepts>
#include <type_traits>

namespace leibniz::math::detail {

/// erf x = 2/sqrt(pi) e^(-x^2) sum_{n>=0} 2^n x^(2n+1) / (1 * 3 * 5 * ... * (2n+1)). Every term
/// is positive, so nothing cancels (the alternating Taylor series loses x^2 log2(e) bits).
/// Beyond |x| = 7, 1 - erf|x| < 5e-23 < 2^-66 and erf x rounds to +-1.
template <std::floating_point T>
constexpr T erf(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(erf(static_cast<double>(x)));
  } else {
    if (isnan(x) || x == 0) return x;
    const T a = abs(x);
    if (a >= 7) return copysign(T(1), x);
    if (a < odd_function_tiny<T>) {  // 2/sqrt(pi) x, rounded once even if it is subnormal
      constexpr int up = 2 * digits<T>;
      return copysign(round_scaled(two_over_sqrt_pi<T> * scale(a, up), -up), x);
    }
    const dw<T> a2 = two_prod(a, a);
    dw<T> term(a);
    dw<T> sum(a);
    for (int n = 1; term.hi > series_eps<T> * sum.hi; ++n) {
      term = term * scale(a2, 1) / static_cast<T>(2 * n + 1);
      sum = sum + term;
    }
    const scaled<T> e = exp_scaled(-a2);
    return copysign((two_over_sqrt_pi<T> * scale(e.m, e.k) * sum).hi, x);
  }
}

/// The logistic function 1 / (1 + e^-x), for x < 0 as e^x / (1 + e^x): nothing overflows, and
/// a result near 0 keeps its relative precision down to the subnormals.
template <std::floating_point T>
constexpr T sigmoid(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(sigmoid(static_cast<double>(x)));
  } else {
    if (isnan(x)) return x;
    if (x >= 0) {
      if (x > static_cast<T>(digits<T> + 2) * ln2<T>.hi) return T(1);  // e^-x < 2^-(p+2)
      const scaled<T> e = exp_scaled(dw<T>(-x));
      return (T(1) / (scale(e.m, e.k) + T(1))).hi;
    }
    if (x < exp_underflow_bound<T>) return T(0);
    const scaled<T> e = exp_scaled(dw<T>(x));
    return round_scaled(e.m / (scale(e.m, e.k) + T(1)), e.k);
  }
}

}  // namespace leibniz::math::detail

namespace leibniz::math {

/// The error function erf x = 2/sqrt(pi) integral_0^x e^(-t^2) dt.
template <arithmetic A>
constexpr floating_t<A> erf(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::erf(static_cast<F>(x));
  return std::erf(static_cast<F>(x));
}

/// The logistic sigmoid 1 / (1 + e^-x), computed without overflow for either sign of x.
template <arithmetic A>
constexpr floating_t<A> sigmoid(A x) noexcept {
  using F = floating_t<A>;
  const F v = static_cast<F>(x);
  if (std::is_constant_evaluated()) return detail::sigmoid(v);
  if (v >= 0) return F(1) / (F(1) + std::exp(-v));
  const F e = std::exp(v);  // also the NaN path
  return e / (F(1) + e);
}

}  // namespace leibniz::math
