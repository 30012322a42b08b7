// leibniz/math/exponential.hpp
// exp, expm1, log, log1p: std:: at run time, own double-word implementations in constant
// evaluation.
#pragma once

#include <leibniz/math/classify.hpp>
#include <leibniz/math/constants.hpp>
#include <leibniz/math/double_word.hpp>

#include <cmath>
#include <concepts>
#include <limits>
#include <type_traits>

namespace leibniz::math::detail {

/// e^r - 1 for |r| <= ln(2)/2 (a little more does no harm), to about 2^-(p+24) relative:
/// halve r until |r| <= 2^-8, sum the Taylor series, then undo each halving with
/// e^(2r) - 1 = u (u + 2), which keeps the relative error of a small u small.
template <std::floating_point T>
constexpr dw<T> expm1_kernel(dw<T> r) noexcept {
  int halvings = 0;
  while (abs(r.hi) > T(0.00390625)) {
    r = scale(r, -1);
    ++halvings;
  }
  dw<T> term = r;
  dw<T> sum = r;
  for (int n = 2; abs(term.hi) > series_eps<T> * abs(sum.hi); ++n) {
    term = term * r / static_cast<T>(n);
    sum = sum + term;
  }
  for (; halvings > 0; --halvings) sum = sum * (sum + T(2));
  return sum;
}

/// e^x = m * 2^k with m in about [0.7, 1.42]: k = nearest(x / ln 2), r = x - k ln 2 with a
/// double-word ln 2, whose error times k stays far below an ulp for the k of T's exponent range
/// (|k| < 2^15), the only ones the callers pass.
template <std::floating_point T>
constexpr scaled<T> exp_scaled(dw<T> x) noexcept {
  const T k = nearest(x.hi * inv_ln2<T>);
  const dw<T> r = x - ln2<T> * k;
  return {expm1_kernel(r) + T(1), static_cast<int>(k)};
}

/// e^x - 1 for a double-word |x| <= 64, without cancellation for small x.
template <std::floating_point T>
constexpr dw<T> expm1_dw(dw<T> x) noexcept {
  if (abs(x.hi) <= T(0.35)) return expm1_kernel(x);
  const scaled<T> e = exp_scaled(x);
  return scale(e.m, e.k) - T(1);
}

/// ln(a) for a finite positive double-word, to about 2^-(p+24) relative:
/// a = 2^e m with m in [sqrt(1/2), sqrt(2)), and ln m = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...)
/// with s = (m - 1) / (m + 1), |s| <= 0.172. m - 1 is exact, so ln(1 + tiny) keeps every bit.
template <std::floating_point T>
constexpr dw<T> log_kernel(dw<T> a) noexcept {
  const frexp_result<T> parts = frexp(a.hi);
  const int e = parts.fraction < T(0.70710678118654752440L) ? parts.exponent - 1 : parts.exponent;
  const dw<T> m = scale(a, -e);
  const dw<T> s = (m - T(1)) / (m + T(1));
  const dw<T> s2 = s * s;
  dw<T> power = s;  // s^(2n+1)
  dw<T> sum = s;
  for (int n = 1;; ++n) {
    power = power * s2;
    const dw<T> term = power / static_cast<T>(2 * n + 1);
    sum = sum + term;
    if (abs(term.hi) <= series_eps<T> * abs(sum.hi)) break;
  }
  return ln2<T> * static_cast<T>(e) + scale(sum, 1);
}

/// Below this |x|, expm1 x = x + x^2/2 and log1p x = x - x^2/2 round to x.
template <std::floating_point T>
inline constexpr T tiny_for_x_plus_x2 = pow2<T>(-digits<T> - 1);

/// Above this e^x overflows for sure (round_scaled decides the last ln 2).
template <std::floating_point T>
inline constexpr T exp_overflow_bound =
    static_cast<T>(std::numeric_limits<T>::max_exponent + 1) * ln2<T>.hi;

/// Below this e^x is under half the smallest subnormal, so it rounds to +0.
template <std::floating_point T>
inline constexpr T exp_underflow_bound =
    static_cast<T>(std::numeric_limits<T>::min_exponent - digits<T> - 2) * ln2<T>.hi;

/// e^x, almost always correctly rounded (float: computed in double, rounded once).
template <std::floating_point T>
constexpr T exp(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(exp(static_cast<double>(x)));
  } else {
    if (isnan(x)) return x;
    if (x > exp_overflow_bound<T>) return infinity<T>;
    if (x < exp_underflow_bound<T>) return T(0);
    const scaled<T> e = exp_scaled(dw<T>(x));
    return round_scaled(e.m, e.k);
  }
}

/// e^x - 1, accurate also for tiny x, where e^x rounds to 1.
template <std::floating_point T>
constexpr T expm1(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(expm1(static_cast<double>(x)));
  } else {
    if (isnan(x)) return x;
    if (abs(x) < tiny_for_x_plus_x2<T>) return x;  // x + x^2/2 rounds to x; keeps -0
    if (x > exp_overflow_bound<T>) return infinity<T>;
    if (x < -static_cast<T>(digits<T> + 3) * ln2<T>.hi) return T(-1);  // e^x < ulp(1)/8
    if (abs(x) <= T(0.35)) return expm1_kernel(dw<T>(x)).hi;
    const scaled<T> e = exp_scaled(dw<T>(x));
    return round_scaled(e.m - pow2<T>(-e.k), e.k);  // (m - 2^-k) 2^k = e^x - 1
  }
}

/// ln x: -inf at 0, NaN below 0.
template <std::floating_point T>
constexpr T log(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(log(static_cast<double>(x)));
  } else {
    if (isnan(x) || x == infinity<T>) return x;
    if (x < 0) return quiet_nan<T>;
    if (x == 0) return -infinity<T>;
    return log_kernel(dw<T>(x)).hi;
  }
}

/// ln(1 + x), accurate also for tiny x: 1 + x is formed exactly as a double-word.
template <std::floating_point T>
constexpr T log1p(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(log1p(static_cast<double>(x)));
  } else {
    if (isnan(x) || x == infinity<T>) return x;
    if (x < -1) return quiet_nan<T>;
    if (x == -1) return -infinity<T>;
    if (abs(x) < tiny_for_x_plus_x2<T>) return x;  // x - x^2/2 rounds to x; keeps -0
    return log_kernel(two_sum(T(1), x)).hi;
  }
}

}  // namespace leibniz::math::detail

namespace leibniz::math {

/// e^x.
template <arithmetic A>
constexpr floating_t<A> exp(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::exp(static_cast<F>(x));
  return std::exp(static_cast<F>(x));
}

/// e^x - 1, accurate for small x.
template <arithmetic A>
constexpr floating_t<A> expm1(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::expm1(static_cast<F>(x));
  return std::expm1(static_cast<F>(x));
}

/// The natural logarithm: log(0) = -inf, log(x < 0) = NaN.
template <arithmetic A>
constexpr floating_t<A> log(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::log(static_cast<F>(x));
  return std::log(static_cast<F>(x));
}

/// ln(1 + x), accurate for small x: log1p(-1) = -inf, log1p(x < -1) = NaN.
template <arithmetic A>
constexpr floating_t<A> log1p(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::log1p(static_cast<F>(x));
  return std::log1p(static_cast<F>(x));
}

}  // namespace leibniz::math
