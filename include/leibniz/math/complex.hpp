// leibniz/math/complex.hpp
// std::complex overloads: std:: at run time; exp, log, sqrt, sin, cos, abs also in constant
// evaluation.
#pragma once

#include <leibniz/math/classify.hpp>
#include <leibniz/math/constants.hpp>
#include <leibniz/math/double_word.hpp>
#include <leibniz/math/exponential.hpp>
#include <leibniz/math/hyperbolic.hpp>
#include <leibniz/math/power.hpp>
#include <leibniz/math/trigonometric.hpp>

#include <complex>
#include <concepts>
#include <type_traits>

namespace leibniz::math::detail {

// In constant evaluation the parts are formed from the real functions. The usual formulas are
// used as they stand: a result that overflows, or a NaN or infinite part, does not compile.

/// hypot(a, b) = sqrt(a^2 + b^2) without overflow: both scaled so the larger is near 1, the
/// sum of squares in double-word, one rounding at the end.
template <std::floating_point T>
constexpr T hypot(T a, T b) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(hypot(static_cast<double>(a), static_cast<double>(b)));
  } else {
    if (isinf(a) || isinf(b)) return infinity<T>;
    if (isnan(a)) return a;
    if (isnan(b)) return b;
    const T big = abs(a) > abs(b) ? abs(a) : abs(b);
    const T small = abs(a) > abs(b) ? abs(b) : abs(a);
    if (big == 0) return T(0);
    const int e = frexp(big).exponent;
    const T sb = scale(big, -e);
    const T ss = scale(small, -e);  // rounds only when too small to matter
    return round_scaled(sqrt_dw(two_prod(sb, sb) + two_prod(ss, ss)), e);
  }
}

/// ln|a + bi| = ln(a^2 + b^2) / 2, the sum of squares in double-word after scaling: accurate also
/// when |z| is near 1. a and b finite, not both zero.
template <std::floating_point T>
constexpr T log_abs(T a, T b) noexcept {
  if constexpr (computed_in_double<T>) {
    return static_cast<T>(log_abs(static_cast<double>(a), static_cast<double>(b)));
  } else {
    const T big = abs(a) > abs(b) ? abs(a) : abs(b);
    const T small = abs(a) > abs(b) ? abs(b) : abs(a);
    const int e = frexp(big).exponent;
    const T sb = scale(big, -e);
    const T ss = scale(small, -e);
    const dw<T> squares = two_prod(sb, sb) + two_prod(ss, ss);
    return (scale(log_kernel(squares), -1) + ln2<T> * static_cast<T>(e)).hi;
  }
}

/// e^(a + bi) = e^a (cos b + i sin b).
template <std::floating_point T>
constexpr std::complex<T> exp(const std::complex<T>& z) noexcept {
  const T r = exp(z.real());
  if (z.imag() == 0) return {r, z.imag()};
  return {r * cos(z.imag()), r * sin(z.imag())};
}

/// ln z = ln|z| + i arg z, the principal branch: arg z in (-pi, pi]; ln 0 = -inf.
template <std::floating_point T>
constexpr std::complex<T> log(const std::complex<T>& z) noexcept {
  const T a = z.real();
  const T b = z.imag();
  const T modulus_log = a == 0 && b == 0 ? -infinity<T> : log_abs(a, b);
  return {modulus_log, atan2(b, a)};
}

/// The principal square root (real part >= 0), as in C's csqrt.
template <std::floating_point T>
constexpr std::complex<T> sqrt(const std::complex<T>& z) noexcept {
  const T a = z.real();
  const T b = z.imag();
  if (a == 0 && b == 0) return {T(0), b};
  const T t = sqrt(abs(a) / 2 + hypot(a, b) / 2);
  if (a >= 0) return {t, b / (2 * t)};
  return {abs(b) / (2 * t), copysign(t, b)};
}

/// sin(a + bi) = sin a cosh b + i cos a sinh b.
template <std::floating_point T>
constexpr std::complex<T> sin(const std::complex<T>& z) noexcept {
  const T a = z.real();
  const T b = z.imag();
  return {sin(a) * cosh(b), cos(a) * sinh(b)};
}

/// cos(a + bi) = cos a cosh b - i sin a sinh b.
template <std::floating_point T>
constexpr std::complex<T> cos(const std::complex<T>& z) noexcept {
  const T a = z.real();
  const T b = z.imag();
  return {cos(a) * cosh(b), -(sin(a) * sinh(b))};
}

}  // namespace leibniz::math::detail

namespace leibniz::math {

/// |z|, without overflow in the sum of squares.
template <std::floating_point T>
constexpr T abs(const std::complex<T>& z) noexcept {
  if (std::is_constant_evaluated()) return detail::hypot(z.real(), z.imag());
  return std::abs(z);
}

/// e^z.
template <std::floating_point T>
constexpr std::complex<T> exp(const std::complex<T>& z) noexcept {
  if (std::is_constant_evaluated()) return detail::exp(z);
  return std::exp(z);
}

/// The principal logarithm, imaginary part in (-pi, pi].
template <std::floating_point T>
constexpr std::complex<T> log(const std::complex<T>& z) noexcept {
  if (std::is_constant_evaluated()) return detail::log(z);
  return std::log(z);
}

/// The principal square root, real part >= 0.
template <std::floating_point T>
constexpr std::complex<T> sqrt(const std::complex<T>& z) noexcept {
  if (std::is_constant_evaluated()) return detail::sqrt(z);
  return std::sqrt(z);
}

/// sin z.
template <std::floating_point T>
constexpr std::complex<T> sin(const std::complex<T>& z) noexcept {
  if (std::is_constant_evaluated()) return detail::sin(z);
  return std::sin(z);
}

/// cos z.
template <std::floating_point T>
constexpr std::complex<T> cos(const std::complex<T>& z) noexcept {
  if (std::is_constant_evaluated()) return detail::cos(z);
  return std::cos(z);
}

// Run time only: std:: has the branch cuts and special cases right.

/// tan z.
template <std::floating_point T>
std::complex<T> tan(const std::complex<T>& z) {
  return std::tan(z);
}

/// sinh z.
template <std::floating_point T>
std::complex<T> sinh(const std::complex<T>& z) {
  return std::sinh(z);
}

/// cosh z.
template <std::floating_point T>
std::complex<T> cosh(const std::complex<T>& z) {
  return std::cosh(z);
}

/// tanh z.
template <std::floating_point T>
std::complex<T> tanh(const std::complex<T>& z) {
  return std::tanh(z);
}

/// The principal asin z.
template <std::floating_point T>
std::complex<T> asin(const std::complex<T>& z) {
  return std::asin(z);
}

/// The principal acos z.
template <std::floating_point T>
std::complex<T> acos(const std::complex<T>& z) {
  return std::acos(z);
}

/// The principal atan z.
template <std::floating_point T>
std::complex<T> atan(const std::complex<T>& z) {
  return std::atan(z);
}

/// z^w = e^(w ln z), principal branch.
template <std::floating_point T>
std::complex<T> pow(const std::complex<T>& z, const std::complex<T>& w) {
  return std::pow(z, w);
}

/// z^y for a real y.
template <std::floating_point T, arithmetic A>
std::complex<T> pow(const std::complex<T>& z, A y) {
  return std::pow(z, static_cast<T>(y));
}

/// x^w for a real x.
template <arithmetic A, std::floating_point T>
std::complex<T> pow(A x, const std::complex<T>& w) {
  return std::pow(static_cast<T>(x), w);
}

}  // namespace leibniz::math
