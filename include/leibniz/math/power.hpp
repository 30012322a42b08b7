// leibniz/math/power.hpp
// sqrt, cbrt, pow(x, y), and powers known at compile time: ipow<N>(x), rpow<Num, Den>(x).
#pragma once

#include <leibniz/math/classify.hpp>
#include <leibniz/math/double_word.hpp>
#include <leibniz/math/exponential.hpp>

#include <climits>
#include <cmath>
#include <concepts>
#include <numeric>
#include <type_traits>

namespace leibniz::math::detail {

/// sqrt(x), correctly rounded as IEEE requires: x = m 4^q with m in [1/2, 2), Newton's iteration
/// from above in T, one double-word Newton step, then the exact residual m - r^2 decides between
/// r and its neighbours (sqrt of a p-bit number is never exactly halfway between two).
template <std::floating_point T>
constexpr T sqrt(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(sqrt(static_cast<double>(x)));  // 53 >= 2 * 24 + 2: one rounding
  } else {
    if (isnan(x) || x == 0 || x == infinity<T>) return x;  // sqrt(-0) = -0
    if (x < 0) return quiet_nan<T>;
    const frexp_result<T> parts = frexp(x);
    const bool odd = parts.exponent % 2 != 0;
    const T m = odd ? parts.fraction * 2 : parts.fraction;
    const int q = odd ? (parts.exponent - 1) / 2 : parts.exponent / 2;
    T y = (1 + m) / 2;  // >= sqrt(m): the iteration decreases to it
    for (int i = 0; i < 16; ++i) {
      const T next = (y + m / y) / 2;
      if (!(next < y)) break;
      y = next;
    }
    const dw<T> residual = m - two_prod(y, y);
    T r = (residual / (2 * y) + y).hi;
    // r is right iff (r - ulp/2)^2 < m < (r + ulp/2)^2, i.e. -r ulp < m - r^2 <= r ulp here.
    const dw<T> p = two_prod(r, r);
    const dw<T> d = two_sum(m - p.hi, -p.lo);  // m - r^2, exact
    constexpr T ulp_above_1 = pow2<T>(1 - digits<T>);
    constexpr T ulp_below_1 = pow2<T>(-digits<T>);
    const T ulp = r >= 1 ? ulp_above_1 : ulp_below_1;
    const T ulp_below = r > 1 ? ulp_above_1 : ulp_below_1;
    if (d.hi > r * ulp || (d.hi == r * ulp && d.lo > 0)) {
      r += ulp;
    } else if (d.hi < -r * ulp_below || (d.hi == -r * ulp_below && d.lo <= 0)) {
      r -= ulp_below;
    }
    return scale(r, q);
  }
}

/// sqrt(a) for a positive double-word: one Newton step from sqrt(a.hi) doubles the precision.
template <std::floating_point T>
constexpr dw<T> sqrt_dw(dw<T> a) noexcept {
  const T y = sqrt(a.hi);
  return (a - two_prod(y, y)) / (2 * y) + y;
}

/// The real cube root (cbrt(-8) = -2), almost always correctly rounded: |x| = m 8^q with m in
/// [1/2, 4), Newton's iteration from above in T, then one double-word Newton step.
template <std::floating_point T>
constexpr T cbrt(T x) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(cbrt(static_cast<double>(x)));
  } else {
    if (isnan(x) || x == 0 || isinf(x)) return x;
    const frexp_result<T> parts = frexp(abs(x));
    const int r = ((parts.exponent % 3) + 3) % 3;
    const int q = (parts.exponent - r) / 3;
    const T m = scale(parts.fraction, r);
    T y = 1 + (m - 1) / 3;  // the tangent at 1 lies above the concave cube root
    for (int i = 0; i < 16; ++i) {
      const T next = (2 * y + m / (y * y)) / 3;
      if (!(next < y)) break;
      y = next;
    }
    const dw<T> y2 = two_prod(y, y);
    const dw<T> root = (m - y2 * y) / (3 * y2.hi) + y;
    return copysign(scale(root.hi, q), x);
  }
}

/// x^y with the special cases of C's pow (pow(x, 0) = 1 and pow(1, y) = 1 even for NaN,
/// pow(-8, 1/3.) = NaN, odd integer y keeps the sign of x and of a zero x), otherwise
/// e^(y ln|x|) with ln|x| and the product in double-word: almost always correctly rounded.
template <std::floating_point T>
constexpr T pow(T x, T y) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(pow(static_cast<double>(x), static_cast<double>(y)));
  } else {
    if (y == 0 || x == 1) return T(1);
    if (isnan(x)) return x;
    if (isnan(y)) return y;
    const bool odd = is_odd_integer(y);
    if (x == 0) {
      if (y < 0) return odd ? copysign(infinity<T>, x) : infinity<T>;
      return odd ? x : T(0);
    }
    if (isinf(y)) {
      if (x == -1) return T(1);
      return (abs(x) > 1) == (y > 0) ? infinity<T> : T(0);
    }
    if (isinf(x)) {
      const T magnitude = y > 0 ? infinity<T> : T(0);
      return x < 0 && odd ? -magnitude : magnitude;
    }
    if (x < 0 && !is_integer(y)) return quiet_nan<T>;
    if (x == -1) return odd ? T(-1) : T(1);  // also for |y| >= 2^p, all even
    const T sign = x < 0 && odd ? T(-1) : T(1);
    const dw<T> log_x = log_kernel(dw<T>(abs(x)));
    // |ln|x|| >= 2^-(p+1) for x != 1, so beyond 2^(p+20) any y overflows or underflows.
    constexpr T huge_y = pow2<T>(digits<T> + 20);
    if (abs(y) > huge_y) {
      return (log_x.hi > 0) == (y > 0) ? sign * infinity<T> : sign * T(0);
    }
    const dw<T> z = log_x * y;
    if (z.hi > exp_overflow_bound<T>) return sign * infinity<T>;
    if (z.hi < exp_underflow_bound<T>) return sign * T(0);
    const scaled<T> e = exp_scaled(z);
    return sign * round_scaled(e.m, e.k);
  }
}

/// The real type under T: T itself, or T::value_type for std::complex and similar.
template <class T>
struct real_type {
  using type = double;
};
template <std::floating_point T>
struct real_type<T> {
  using type = T;
};
template <class T>
requires(!std::floating_point<T> && requires { typename T::value_type; }) struct real_type<T> {
  using type = typename T::value_type;
};

}  // namespace leibniz::math::detail

namespace leibniz::math {

/// sqrt(x): correctly rounded, sqrt(-0) = -0, sqrt(x < 0) = NaN.
template <arithmetic A>
constexpr floating_t<A> sqrt(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::sqrt(static_cast<F>(x));
  return std::sqrt(static_cast<F>(x));
}

/// The real cube root: cbrt(-8) = -2.
template <arithmetic A>
constexpr floating_t<A> cbrt(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::cbrt(static_cast<F>(x));
  return std::cbrt(static_cast<F>(x));
}

/// x^y for real x and y, with C's special cases: a negative x needs an integer y (else NaN).
template <arithmetic A, arithmetic B>
constexpr promoted_t<A, B> pow(A x, B y) noexcept {
  using F = promoted_t<A, B>;
  if (std::is_constant_evaluated()) return detail::pow(static_cast<F>(x), static_cast<F>(y));
  return std::pow(static_cast<F>(x), static_cast<F>(y));
}

/// x^N for an integer N known at compile time, by binary powering (about 2 log2 N
/// multiplications, the same at run time as in constant evaluation; the rounding error grows
/// like log2 N ulp). ipow<0>(x) = 1, ipow<-N>(x) = 1 / ipow<N>(x). Any type with * works
/// (std::complex, ...); an integer x is computed in double, as std::pow would.
template <long long N, class T>
requires requires(const T& x) { x* x; }
constexpr auto ipow(const T& x) {
  static_assert(N != LLONG_MIN, "ipow<N>: -N must be representable");
  if constexpr (std::integral<T>) {
    return ipow<N>(static_cast<double>(x));
  } else if constexpr (N < 0) {
    return T(1) / ipow<-N>(x);
  } else if constexpr (N == 0) {
    return T(1);
  } else {
    auto n = static_cast<unsigned long long>(N);
    T base = x;
    while ((n & 1u) == 0) {
      base = base * base;
      n >>= 1;
    }
    T result = base;
    for (n >>= 1; n != 0; n >>= 1) {
      base = base * base;
      if ((n & 1u) != 0) result = result * base;
    }
    return result;
  }
}

/// x^(Num/Den) for a rational exponent known at compile time, Num/Den in lowest terms, Den > 0:
/// integers by ipow; halves as ipow<Num div 2>(x) * sqrt(x) (x^(1/2) = sqrt(x), x^(3/2) =
/// x sqrt(x)); thirds as ipow<Num div 3>(x) times cbrt(x) or x / cbrt(x), so the real cube root
/// applies (rpow<1, 3>(-8.0) = -2, where std::pow(-8.0, 1/3.) is NaN); a negative exponent as
/// 1 / x^(-Num/Den); anything else by pow.
template <long long Num, long long Den, class T>
constexpr auto rpow(const T& x) {
  static_assert(Den > 0, "rpow<Num, Den>: the denominator Den must be positive");
  static_assert(std::gcd(Num, Den) == 1, "rpow<Num, Den>: write Num/Den in lowest terms");
  if constexpr (std::integral<T>) {
    return rpow<Num, Den>(static_cast<double>(x));
  } else if constexpr (Den == 1) {
    return ipow<Num>(x);
  } else if constexpr (Num < 0) {
    return T(1) / rpow<-Num, Den>(x);
  } else if constexpr (Den == 2) {
    if constexpr (Num == 1)
      return sqrt(x);
    else
      return ipow<Num / 2>(x) * sqrt(x);
  } else if constexpr (Den == 3 && std::floating_point<T>) {
    // x^(2/3) as x / cbrt(x): one rounding fewer than cbrt(x)^2 (but 0/0 and inf/inf).
    const T root = cbrt(x);
    const T fraction = Num % 3 == 1 ? root : x == 0 || isinf(x) ? root * root : x / root;
    if constexpr (Num < 3)
      return fraction;
    else
      return ipow<Num / 3>(x) * fraction;
  } else {
    using R = typename detail::real_type<T>::type;
    return pow(x, static_cast<R>(Num) / static_cast<R>(Den));
  }
}

}  // namespace leibniz::math
