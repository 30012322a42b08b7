// leibniz/math/trigonometric.hpp
// sin, cos, tan, asin, acos, atan, atan2: std:: at run time, own implementations in constant
// evaluation.
#pragma once

#include <leibniz/math/classify.hpp>
#include <leibniz/math/constants.hpp>
#include <leibniz/math/double_word.hpp>
#include <leibniz/math/pi_reduction.hpp>
#include <leibniz/math/power.hpp>

#include <cmath>
#include <concepts>
#include <type_traits>

namespace leibniz::math::detail {

/// sin r for a double-word |r| <= pi/4, by its Taylor series.
template <std::floating_point T>
constexpr dw<T> sin_kernel(dw<T> r) noexcept {
  const dw<T> r2 = r * r;
  dw<T> term = r;
  dw<T> sum = r;
  for (int n = 2; abs(term.hi) > series_eps<T> * abs(sum.hi); n += 2) {
    term = -(term * r2) / static_cast<T>(n * (n + 1));
    sum = sum + term;
  }
  return sum;
}

/// cos r for a double-word |r| <= pi/4, by its Taylor series.
template <std::floating_point T>
constexpr dw<T> cos_kernel(dw<T> r) noexcept {
  const dw<T> r2 = r * r;
  dw<T> term(T(1));
  dw<T> sum(T(1));
  for (int n = 1; abs(term.hi) > series_eps<T>; n += 2) {
    term = -(term * r2) / static_cast<T>(n * (n + 1));
    sum = sum + term;
  }
  return sum;
}

/// sin x for finite x, reduced modulo pi/2 exactly: almost always correctly rounded.
template <std::floating_point T>
constexpr T sin(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(sin(static_cast<double>(x)));
  } else {
    if (isnan(x)) return x;
    if (isinf(x)) return quiet_nan<T>;
    if (abs(x) < odd_function_tiny<T>) return x;
    const reduced_angle<T> a = reduce_half_pi(x);
    switch (a.quadrant) {
      case 0:
        return sin_kernel(a.r).hi;
      case 1:
        return cos_kernel(a.r).hi;
      case 2:
        return -sin_kernel(a.r).hi;
      default:
        return -cos_kernel(a.r).hi;
    }
  }
}

/// cos x for finite x, reduced modulo pi/2 exactly: almost always correctly rounded.
template <std::floating_point T>
constexpr T cos(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(cos(static_cast<double>(x)));
  } else {
    if (isnan(x)) return x;
    if (isinf(x)) return quiet_nan<T>;
    const reduced_angle<T> a = reduce_half_pi(x);
    switch (a.quadrant) {
      case 0:
        return cos_kernel(a.r).hi;
      case 1:
        return -sin_kernel(a.r).hi;
      case 2:
        return -cos_kernel(a.r).hi;
      default:
        return sin_kernel(a.r).hi;
    }
  }
}

/// tan x = sin r / cos r, or -cos r / sin r in the odd quadrants.
template <std::floating_point T>
constexpr T tan(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(tan(static_cast<double>(x)));
  } else {
    if (isnan(x)) return x;
    if (isinf(x)) return quiet_nan<T>;
    if (abs(x) < odd_function_tiny<T>) return x;
    const reduced_angle<T> a = reduce_half_pi(x);
    const dw<T> s = sin_kernel(a.r);
    const dw<T> c = cos_kernel(a.r);
    return (a.quadrant % 2 == 0 ? s / c : -c / s).hi;
  }
}

/// atan t for a double-word 0 <= t <= 1: t -> t / (1 + sqrt(1 + t^2)) halves the angle; after
/// three halvings t <= 0.1 and the Taylor series t - t^3/3 + t^5/5 - ... converges fast.
template <std::floating_point T>
constexpr dw<T> atan_kernel(dw<T> t) noexcept {
  int halvings = 0;
  while (t.hi > T(0.125)) {
    t = t / (sqrt_dw(t * t + T(1)) + T(1));
    ++halvings;
  }
  const dw<T> t2 = t * t;
  dw<T> power = t;  // t^(2n+1)
  dw<T> sum = t;
  for (int n = 1;; ++n) {
    power = -(power * t2);
    const dw<T> term = power / static_cast<T>(2 * n + 1);
    sum = sum + term;
    if (abs(term.hi) <= series_eps<T> * abs(sum.hi)) break;
  }
  return scale(sum, halvings);
}

/// The angle of the point (x, y) for double-words x, y >= 0, not both 0: in [0, pi/2].
template <std::floating_point T>
constexpr dw<T> first_quadrant_angle(dw<T> y, dw<T> x) noexcept {
  if (y.hi <= x.hi) return atan_kernel(y / x);
  return half_pi<T> - atan_kernel(x / y);
}

/// atan x in [-pi/2, pi/2].
template <std::floating_point T>
constexpr T atan(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(atan(static_cast<double>(x)));
  } else {
    if (isnan(x)) return x;
    if (abs(x) < odd_function_tiny<T>) return x;
    const T a = abs(x);
    if (a <= 1) return copysign(atan_kernel(dw<T>(a)).hi, x);
    // atan a = pi/2 - atan(1/a); past 2^(p+1), atan(1/a) = 1/a to well below an ulp of pi/2, and
    // a double-word 1/a would overflow inside its error-free product.
    constexpr T huge = pow2<T>(digits<T> + 1);
    const dw<T> inverse = a > huge ? dw<T>(1 / a) : T(1) / dw<T>(a);
    return copysign((half_pi<T> - atan_kernel(inverse)).hi, x);
  }
}

/// The angle of the point (x, y) in [-pi, pi], with C's special cases for zeros and infinities
/// (atan2(+-0, -0) = +-pi, atan2(+-inf, -inf) = +-3pi/4, ...).
template <std::floating_point T>
constexpr T atan2(T y, T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(atan2(static_cast<double>(y), static_cast<double>(x)));
  } else {
    if (isnan(x)) return x;
    if (isnan(y)) return y;
    const bool x_negative = signbit(x);
    if (!x_negative && isfinite(y) && abs(y) <= abs(x) && x != 0) {
      const T q = abs(y) / abs(x);  // one rounding, also when subnormal
      if (q < odd_function_tiny<T>) return copysign(q, y);
    }
    dw<T> angle;  // of (|x|, |y|), then mirrored for x < 0
    if (y == 0) {
      angle = T(0);
    } else if (x == 0) {
      angle = half_pi<T>;
    } else if (isinf(x) || isinf(y)) {
      if (isinf(x) && isinf(y))
        angle = scale(half_pi<T>, -1);
      else
        angle = isinf(y) ? half_pi<T> : dw<T>(T(0));
    } else {
      // Scale both so that the larger is near 1: the quotient then neither overflows nor
      // loses bits (unless it is so small that it underflows, and so does the angle).
      const int e = frexp(abs(x) > abs(y) ? x : y).exponent;
      angle = first_quadrant_angle(dw<T>(scale(abs(y), -e)), dw<T>(scale(abs(x), -e)));
    }
    if (x_negative) angle = pi<T> - angle;
    return copysign(angle.hi, y);
  }
}

/// sqrt(1 - x^2) for |x| <= 1 as a double-word: (1 - |x|)(1 + |x|), both factors exact.
template <std::floating_point T>
constexpr dw<T> cosine_of_asin(T x) noexcept {
  const T a = abs(x);
  return sqrt_dw(two_sum(T(1), -a) * two_sum(T(1), a));
}

/// asin x in [-pi/2, pi/2]; NaN outside [-1, 1].
template <std::floating_point T>
constexpr T asin(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(asin(static_cast<double>(x)));
  } else {
    if (isnan(x)) return x;
    if (abs(x) > 1) return quiet_nan<T>;
    if (abs(x) < odd_function_tiny<T>) return x;
    if (abs(x) == 1) return copysign(half_pi<T>.hi, x);
    return copysign(first_quadrant_angle(dw<T>(abs(x)), cosine_of_asin(x)).hi, x);
  }
}

/// acos x in [0, pi]; NaN outside [-1, 1].
template <std::floating_point T>
constexpr T acos(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(acos(static_cast<double>(x)));
  } else {
    if (isnan(x)) return x;
    if (abs(x) > 1) return quiet_nan<T>;
    if (x == 1) return T(0);
    if (x == -1) return pi<T>.hi;
    const dw<T> angle = first_quadrant_angle(cosine_of_asin(x), dw<T>(abs(x)));
    return (x < 0 ? pi<T> - angle : angle).hi;
  }
}

}  // namespace leibniz::math::detail

namespace leibniz::math {

/// sin x, x in radians.
template <arithmetic A>
constexpr floating_t<A> sin(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::sin(static_cast<F>(x));
  return std::sin(static_cast<F>(x));
}

/// cos x, x in radians.
template <arithmetic A>
constexpr floating_t<A> cos(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::cos(static_cast<F>(x));
  return std::cos(static_cast<F>(x));
}

/// tan x, x in radians.
template <arithmetic A>
constexpr floating_t<A> tan(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::tan(static_cast<F>(x));
  return std::tan(static_cast<F>(x));
}

/// asin x in [-pi/2, pi/2]; NaN outside [-1, 1].
template <arithmetic A>
constexpr floating_t<A> asin(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::asin(static_cast<F>(x));
  return std::asin(static_cast<F>(x));
}

/// acos x in [0, pi]; NaN outside [-1, 1].
template <arithmetic A>
constexpr floating_t<A> acos(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::acos(static_cast<F>(x));
  return std::acos(static_cast<F>(x));
}

/// atan x in [-pi/2, pi/2].
template <arithmetic A>
constexpr floating_t<A> atan(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::atan(static_cast<F>(x));
  return std::atan(static_cast<F>(x));
}

/// The angle of the point (x, y) in [-pi, pi] (note the order: y first, as in C).
template <arithmetic A, arithmetic B>
constexpr promoted_t<A, B> atan2(A y, B x) noexcept {
  using F = promoted_t<A, B>;
  if (std::is_constant_evaluated()) return detail::atan2(static_cast<F>(y), static_cast<F>(x));
  return std::atan2(static_cast<F>(y), static_cast<F>(x));
}

}  // namespace leibniz::math
