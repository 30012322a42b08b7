// leibniz/core/rational.hpp
// Exact rational numbers for compile-time constants: coefficients and exponents.
#pragma once

#include <cstdint>
#include <numeric>

namespace leibniz {

/// An exact rational number num/den in lowest terms with den > 0. It is a structural
/// type, so it can be a template argument: exact<rational{1, 2}> is the constant 1/2.
/// Arithmetic that overflows std::intmax_t is not a constant expression: a compile error.
struct rational {
  std::intmax_t num = 0;
  std::intmax_t den = 1;

  constexpr rational() = default;
  constexpr rational(std::intmax_t n, std::intmax_t d = 1) : num(n), den(d) {  // NOLINT
    if (d == 0) throw "leibniz::rational: the denominator is zero";
    if (den < 0) {
      num = checked_neg(num);
      den = checked_neg(den);
    }
    const std::intmax_t g = std::gcd(num, den);
    if (g > 1) {
      num /= g;
      den /= g;
    }
  }

  [[nodiscard]] constexpr bool is_integer() const { return den == 1; }
  [[nodiscard]] constexpr bool is_zero() const { return num == 0; }
  [[nodiscard]] constexpr bool is_one() const { return num == 1 && den == 1; }
  [[nodiscard]] constexpr bool is_negative() const { return num < 0; }

  /// The value as a floating-point number, correctly rounded when num and den are exact.
  template <class T>
  [[nodiscard]] constexpr T as() const {
    return static_cast<T>(num) / static_cast<T>(den);
  }

  friend constexpr bool operator==(const rational&, const rational&) = default;

  friend constexpr rational operator-(rational a) { return {checked_neg(a.num), a.den}; }
  friend constexpr rational operator+(rational a, rational b) {
    const std::intmax_t g = std::gcd(a.den, b.den);
    return {checked_add(checked_mul(a.num, b.den / g), checked_mul(b.num, a.den / g)),
            checked_mul(a.den / g, b.den)};
  }
  friend constexpr rational operator-(rational a, rational b) { return a + (-b); }
  friend constexpr rational operator*(rational a, rational b) {
    const std::intmax_t g1 = std::gcd(a.num, b.den);
    const std::intmax_t g2 = std::gcd(b.num, a.den);
    return {checked_mul(a.num / (g1 ? g1 : 1), b.num / (g2 ? g2 : 1)),
            checked_mul(a.den / (g2 ? g2 : 1), b.den / (g1 ? g1 : 1))};
  }
  friend constexpr rational operator/(rational a, rational b) {
    if (b.num == 0) throw "leibniz::rational: division by exact zero";
    return a * rational{b.den, b.num};
  }

 private:
  static constexpr std::intmax_t checked_add(std::intmax_t a, std::intmax_t b) {
    std::intmax_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) throw "leibniz::rational: overflow in an exact constant";
    return r;
  }
  static constexpr std::intmax_t checked_mul(std::intmax_t a, std::intmax_t b) {
    std::intmax_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) throw "leibniz::rational: overflow in an exact constant";
    return r;
  }
  static constexpr std::intmax_t checked_neg(std::intmax_t a) { return checked_mul(a, -1); }
};

/// -1, 0 or 1 as a is below, equal to or above b.
constexpr int compare_rationals(rational a, rational b) {
  const rational diff = a - b;
  return diff.num < 0 ? -1 : (diff.num > 0 ? 1 : 0);
}

/// a^n for an integer n (negative n inverts), exactly.
constexpr rational power(rational a, std::intmax_t n) {
  rational result{1};
  rational base = n < 0 ? rational{1} / a : a;
  for (std::intmax_t k = n < 0 ? -n : n; k > 0; k >>= 1) {
    if (k & 1) result = result * base;
    if (k > 1) base = base * base;
  }
  return result;
}

}  // namespace leibniz
