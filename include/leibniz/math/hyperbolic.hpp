// leibniz/math/hyperbolic.hpp
// sinh, cosh, tanh: std:: at run time, own implementations (from e^x in double-word) in constant
// evaluation.
#pragma once

#include <leibniz/math/classify.hpp>
#include <leibniz/math/constants.hpp>
#include <leibniz/math/double_word.hpp>
#include <leibniz/math/exponential.hpp>

#include <cmath>
#include <concepts>
#include <type_traits>

namespace leibniz::math::detail {

/// (e^a + sign e^-a) / 2 for a >= 1 below the overflow bound: once e^-a is under 2^-(p+3) e^a,
/// it is e^a / 2 = m 2^(k-1), which is finite a little beyond the overflow of e^a.
template <std::floating_point T>
constexpr T exp_pair_half(T a, T sign) noexcept {
  const scaled<T> e = exp_scaled(dw<T>(a));
  if (e.k > digits<T> / 2 + 2) return round_scaled(e.m, e.k - 1);
  const dw<T> ea = scale(e.m, e.k);
  return scale(ea + sign / ea, -1).hi;
}

/// sinh x: (u + u / (u + 1)) / 2 with u = e^|x| - 1 for |x| < 1, free of cancellation.
template <std::floating_point T>
constexpr T sinh(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(sinh(static_cast<double>(x)));
  } else {
    if (isnan(x) || isinf(x) || x == 0) return x;
    const T a = abs(x);
    if (a > exp_overflow_bound<T> + 1) return copysign(infinity<T>, x);
    if (a < odd_function_tiny<T>) return x;
    if (a < 1) {
      const dw<T> u = expm1_dw(dw<T>(a));
      return copysign(scale(u + u / (u + T(1)), -1).hi, x);
    }
    return copysign(exp_pair_half(a, T(-1)), x);
  }
}

/// cosh x = (e^|x| + e^-|x|) / 2.
template <std::floating_point T>
constexpr T cosh(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(cosh(static_cast<double>(x)));
  } else {
    if (isnan(x)) return x;
    const T a = abs(x);
    if (a > exp_overflow_bound<T> + 1) return infinity<T>;
    return exp_pair_half(a, T(1));
  }
}

/// tanh x = u / (u + 2) with u = e^(2|x|) - 1; +-1 once 1 - tanh|x| < 2^-(p+2).
template <std::floating_point T>
constexpr T tanh(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(tanh(static_cast<double>(x)));
  } else {
    if (isnan(x) || x == 0) return x;
    const T a = abs(x);
    if (a > static_cast<T>(digits<T> + 3) * ln2<T>.hi / 2) return copysign(T(1), x);
    if (a < odd_function_tiny<T>) return x;
    const dw<T> u = expm1_dw(dw<T>(2 * a));
    return copysign((u / (u + T(2))).hi, x);
  }
}

}  // namespace leibniz::math::detail

namespace leibniz::math {

/// sinh x.
template <arithmetic A>
constexpr floating_t<A> sinh(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::sinh(static_cast<F>(x));
  return std::sinh(static_cast<F>(x));
}

/// cosh x.
template <arithmetic A>
constexpr floating_t<A> cosh(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::cosh(static_cast<F>(x));
  return std::cosh(static_cast<F>(x));
}

/// tanh x.
template <arithmetic A>
constexpr floating_t<A> tanh(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::tanh(static_cast<F>(x));
  return std::tanh(static_cast<F>(x));
}

}  // namespace leibniz::math
