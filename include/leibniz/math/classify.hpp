// leibniz/math/classify.hpp
// Classification and sign (isnan isinf isfinite signbit abs copysign fmin fmax), and argument
// types.
#pragma once

#include <bit>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace leibniz::math {

/// An argument the elementary functions accept: a floating-point or an integer type.
template <class T>
concept arithmetic = std::floating_point<T> || std::integral<T>;

/// The type a function of one A computes in: A itself, or double for an integer (as in <cmath>).
template <arithmetic A>
using floating_t = std::conditional_t<std::floating_point<A>, A, double>;

/// The type a function of an A and a B computes in: the wider of the two, integers counting as
/// double (as in <cmath>): long double > double > float.
template <arithmetic A, arithmetic B>
using promoted_t = decltype(floating_t<A>{} + floating_t<B>{});

namespace detail {

static_assert(std::numeric_limits<double>::is_iec559 && sizeof(double) == sizeof(std::uint64_t),
              "leibniz::math reads the sign of zero through an IEEE binary64 double");

/// True for a NaN: the one value not equal to itself.
template <std::floating_point T>
constexpr bool isnan(T x) noexcept {
  return x != x;
}

/// True for +inf and -inf.
template <std::floating_point T>
constexpr bool isinf(T x) noexcept {
  return x == std::numeric_limits<T>::infinity() || x == -std::numeric_limits<T>::infinity();
}

/// True for a number that is neither infinite nor NaN.
template <std::floating_point T>
constexpr bool isfinite(T x) noexcept {
  return !isnan(x) && !isinf(x);
}

/// True when the sign bit is set, -0.0 and negative NaNs included. Zeros and NaNs are told apart
/// by the bits of the double of the same sign: converting keeps the sign, and std::bit_cast
/// of a double is a constant expression on every compiler, where a long double's is not.
template <std::floating_point T>
constexpr bool signbit(T x) noexcept {
  if (x < 0) return true;
  if (x > 0) return false;
  return (std::bit_cast<std::uint64_t>(static_cast<double>(x)) >> 63) != 0;
}

/// |x|, with abs(-0.0) = +0.0.
template <std::floating_point T>
constexpr T abs(T x) noexcept {
  return signbit(x) ? -x : x;
}

/// |x| with the sign of y.
template <std::floating_point T>
constexpr T copysign(T x, T y) noexcept {
  return signbit(x) != signbit(y) ? -x : x;
}

/// The smaller of x and y; a NaN counts as missing data, so fmin(NaN, y) = y. fmin(-0, +0) = -0.
template <std::floating_point T>
constexpr T fmin(T x, T y) noexcept {
  if (isnan(x)) return y;
  if (isnan(y)) return x;
  if (x == y) return signbit(x) ? x : y;
  return x < y ? x : y;
}

/// The larger of x and y; a NaN counts as missing data, so fmax(NaN, y) = y. fmax(-0, +0) = +0.
template <std::floating_point T>
constexpr T fmax(T x, T y) noexcept {
  if (isnan(x)) return y;
  if (isnan(y)) return x;
  if (x == y) return signbit(x) ? y : x;
  return x > y ? x : y;
}

}  // namespace detail

/// True when x is a NaN (never for an integer).
template <arithmetic A>
constexpr bool isnan(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::isnan(static_cast<F>(x));
  return std::isnan(static_cast<F>(x));
}

/// True when x is +inf or -inf (never for an integer).
template <arithmetic A>
constexpr bool isinf(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::isinf(static_cast<F>(x));
  return std::isinf(static_cast<F>(x));
}

/// True when x is neither infinite nor NaN.
template <arithmetic A>
constexpr bool isfinite(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::isfinite(static_cast<F>(x));
  return std::isfinite(static_cast<F>(x));
}

/// True when the sign bit of x is set (also for -0.0 and negative NaNs).
template <arithmetic A>
constexpr bool signbit(A x) noexcept {
  using F = floating_t<A>;
  if (std::is_constant_evaluated()) return detail::signbit(static_cast<F>(x));
  return std::signbit(static_cast<F>(x));
}

/// |x|. As std::abs, an integer keeps its type (and abs of the most negative value overflows).
template <arithmetic A>
constexpr A abs(A x) noexcept {
  if constexpr (std::integral<A>) {
    if constexpr (std::is_signed_v<A>)
      return x < 0 ? static_cast<A>(-x) : x;
    else
      return x;
  } else {
    if (std::is_constant_evaluated()) return detail::abs(x);
    return std::abs(x);
  }
}

/// |x| with the sign of y.
template <arithmetic A, arithmetic B>
constexpr promoted_t<A, B> copysign(A x, B y) noexcept {
  using F = promoted_t<A, B>;
  if (std::is_constant_evaluated()) return detail::copysign(static_cast<F>(x), static_cast<F>(y));
  return std::copysign(static_cast<F>(x), static_cast<F>(y));
}

/// The smaller of x and y, ignoring a NaN (as std::fmin).
template <arithmetic A, arithmetic B>
constexpr promoted_t<A, B> fmin(A x, B y) noexcept {
  using F = promoted_t<A, B>;
  if (std::is_constant_evaluated()) return detail::fmin(static_cast<F>(x), static_cast<F>(y));
  return std::fmin(static_cast<F>(x), static_cast<F>(y));
}

/// The larger of x and y, ignoring a NaN (as std::fmax).
template <arithmetic A, arithmetic B>
constexpr promoted_t<A, B> fmax(A x, B y) noexcept {
  using F = promoted_t<A, B>;
  if (std::is_constant_evaluated()) return detail::fmax(static_cast<F>(x), static_cast<F>(y));
  return std::fmax(static_cast<F>(x), static_cast<F>(y));
}

}  // namespace leibniz::math
