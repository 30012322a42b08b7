// leibniz/math/double_word.hpp
// The working precision of the constexpr implementations: exact scaling by powers of two, and
// double-word numbers hi + lo (about 2p bits) with +, -, *, / built from error-free transforms.
#pragma once

#include <leibniz/math/classify.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <limits>
#include <type_traits>

namespace leibniz::math::detail {

// Everything here uses only +, -, *, / and comparisons on T, so a result has the same bits in
// constant evaluation on every compiler, and at run time under IEEE round-to-nearest (the
// default; not with -ffast-math). Fused multiply-adds, if a compiler contracts, change nothing:
// every product inside an error-free transform is exact. Constant evaluation rejects overflow,
// division by zero and any arithmetic that makes or meets a NaN, so callers screen out NaN,
// infinities and out-of-range arguments before computing.

/// Significand bits of T (p): 24 for float, 53 for double, 64 for x87 long double.
template <std::floating_point T>
inline constexpr int digits = std::numeric_limits<T>::digits;

/// float is computed in double and rounded once: double's 53 bits are more than 2 * 24 + 2.
template <std::floating_point T>
inline constexpr bool computed_in_double = digits<T> <= digits<double> / 2 - 1;

template <std::floating_point T>
inline constexpr T infinity = std::numeric_limits<T>::infinity();

template <std::floating_point T>
inline constexpr T quiet_nan = std::numeric_limits<T>::quiet_NaN();

/// 2^k exactly, for k from the exponent of the smallest subnormal to that of the largest finite
/// power of two. Binary powering: each partial product lies between 1 and 2^k, so none rounds.
template <std::floating_point T>
constexpr T pow2(int k) noexcept {
  T base = k < 0 ? T(0.5) : T(2);
  unsigned n = k < 0 ? static_cast<unsigned>(-k) : static_cast<unsigned>(k);
  T result = 1;
  while (n != 0) {
    if ((n & 1u) != 0) result *= base;
    n >>= 1;
    if (n != 0) base *= base;
  }
  return result;
}

/// x * 2^k, exactly when x * 2^k is a normal number or zero. Two steps keep each factor finite.
template <std::floating_point T>
constexpr T scale(T x, int k) noexcept {
  const int half = k / 2;
  return x * pow2<T>(half) * pow2<T>(k - half);
}

/// A finite nonzero x as fraction * 2^exponent, |fraction| in [1/2, 1).
template <std::floating_point T>
struct frexp_result {
  T fraction;
  int exponent;
};

/// The largest i with 2^(2^i) finite: the number of exponent bits minus one.
template <std::floating_point T>
inline constexpr int top_exponent_bit = [] {
  int i = 0;
  while ((2 << i) < std::numeric_limits<T>::max_exponent) ++i;
  return i;
}();

/// 2^(2^i) and 2^-(2^i) for i = 0 .. top_exponent_bit: the steps of frexp's binary search.
template <std::floating_point T>
struct pow2_ladder_t {
  std::array<T, top_exponent_bit<T> + 1> up;
  std::array<T, top_exponent_bit<T> + 1> down;
};
template <std::floating_point T>
inline constexpr pow2_ladder_t<T> pow2_ladder = [] {
  pow2_ladder_t<T> ladder{};
  for (int i = 0; i <= top_exponent_bit<T>; ++i) {
    ladder.up[static_cast<std::size_t>(i)] = pow2<T>(1 << i);
    ladder.down[static_cast<std::size_t>(i)] = pow2<T>(-(1 << i));
  }
  return ladder;
}();

/// frexp for a finite nonzero x, by binary search over the exponent with exact powers of two.
template <std::floating_point T>
constexpr frexp_result<T> frexp(T x) noexcept {
  constexpr pow2_ladder_t<T> ladder = pow2_ladder<T>;
  T a = abs(x);
  int e = 0;
  if (a < std::numeric_limits<T>::min()) {  // subnormal: make it normal first
    constexpr T normalize = pow2<T>(digits<T>);
    a *= normalize;
    e -= digits<T>;
  }
  for (int i = top_exponent_bit<T>; i >= 0; --i) {  // keeps a < 2^(2^i)
    const auto step = static_cast<std::size_t>(i);
    if (a >= ladder.up[step]) {
      a *= ladder.down[step];
      e += 1 << i;
    }
  }
  if (a >= 1) {
    a *= T(0.5);
    ++e;
  } else {
    for (int i = top_exponent_bit<T>; i >= 0; --i) {  // keeps a >= 2^-(2^i)
      const auto step = static_cast<std::size_t>(i);
      if (a < ladder.down[step]) {
        a *= ladder.up[step];
        e -= 1 << i;
      }
    }
  }
  return {x < 0 ? -a : a, e};
}

/// x rounded to the nearest integer, ties to even. Adding 2^(p-1) leaves no fraction bits.
template <std::floating_point T>
constexpr T nearest(T x) noexcept {
  constexpr T c = pow2<T>(digits<T> - 1);
  if (!(abs(x) < c)) return x;  // already an integer
  return x >= 0 ? (x + c) - c : -((-x + c) - c);
}

/// x rounded toward zero.
template <std::floating_point T>
constexpr T trunc(T x) noexcept {
  const T n = nearest(x);
  if (abs(n) > abs(x)) return x < 0 ? n + 1 : n - 1;
  return n;
}

/// True for a finite integer value.
template <std::floating_point T>
constexpr bool is_integer(T x) noexcept {
  return isfinite(x) && trunc(x) == x;
}

/// True for an odd integer value (any integer above 2^p is even).
template <std::floating_point T>
constexpr bool is_odd_integer(T x) noexcept {
  return is_integer(x) && !is_integer(x * T(0.5));
}

/// A double-word number: the unevaluated sum hi + lo with |lo| <= ulp(hi) / 2, good to about
/// 2^(-2p) relative. The algorithms are those analysed by Joldes, Muller and Popescu, "Tight and
/// rigorous error bounds for basic building blocks of double-word arithmetic" (ACM TOMS 2017).
template <std::floating_point T>
struct dw;

/// a + b exactly, as a double-word (Knuth's TwoSum).
template <std::floating_point T>
constexpr dw<T> two_sum(T a, T b) noexcept;

/// a + b exactly when |a| >= |b| (Dekker's Fast2Sum).
template <std::floating_point T>
constexpr dw<T> fast_two_sum(T a, T b) noexcept;

/// a * b exactly (Dekker's TwoProduct with Veltkamp's splitting), unless it underflows; |a| and
/// |b| must be below 2^(max_exponent - p/2 - 1), or the splitting overflows.
template <std::floating_point T>
constexpr dw<T> two_prod(T a, T b) noexcept;

template <std::floating_point T>
struct dw {
  T hi{};
  T lo{};

  constexpr dw() = default;
  constexpr dw(T h) noexcept : hi(h) {}  // implicit: a T is a double-word with lo = 0
  constexpr dw(T h, T l) noexcept : hi(h), lo(l) {}

  friend constexpr dw operator-(dw a) noexcept { return {-a.hi, -a.lo}; }

  friend constexpr dw operator+(dw a, T b) noexcept {  // DWPlusFP
    const dw s = two_sum(a.hi, b);
    return fast_two_sum(s.hi, a.lo + s.lo);
  }
  friend constexpr dw operator+(T a, dw b) noexcept { return b + a; }
  friend constexpr dw operator+(dw a, dw b) noexcept {  // AccurateDWPlusDW
    const dw s = two_sum(a.hi, b.hi);
    const dw t = two_sum(a.lo, b.lo);
    const dw v = fast_two_sum(s.hi, s.lo + t.hi);
    return fast_two_sum(v.hi, t.lo + v.lo);
  }
  friend constexpr dw operator-(dw a, T b) noexcept { return a + -b; }
  friend constexpr dw operator-(T a, dw b) noexcept { return -b + a; }
  friend constexpr dw operator-(dw a, dw b) noexcept { return a + -b; }

  friend constexpr dw operator*(dw a, T b) noexcept {  // DWTimesFP1
    const dw c = two_prod(a.hi, b);
    const dw t = fast_two_sum(c.hi, a.lo * b);
    return fast_two_sum(t.hi, t.lo + c.lo);
  }
  friend constexpr dw operator*(T a, dw b) noexcept { return b * a; }
  friend constexpr dw operator*(dw a, dw b) noexcept {  // DWTimesDW1
    const dw c = two_prod(a.hi, b.hi);
    return fast_two_sum(c.hi, c.lo + (a.hi * b.lo + a.lo * b.hi));
  }

  friend constexpr dw operator/(dw a, T b) noexcept {  // DWDivFP3
    const T q = a.hi / b;
    const dw p = two_prod(q, b);
    const T rest = ((a.hi - p.hi) - p.lo) + a.lo;
    return fast_two_sum(q, rest / b);
  }
  friend constexpr dw operator/(dw a, dw b) noexcept {  // DWDivDW2
    const T q = a.hi / b.hi;
    const dw r = b * q;
    const T rest = (a.hi - r.hi) + (a.lo - r.lo);
    return fast_two_sum(q, rest / b.hi);
  }
  friend constexpr dw operator/(T a, dw b) noexcept { return dw(a) / b; }
};

template <std::floating_point T>
constexpr dw<T> two_sum(T a, T b) noexcept {
  const T s = a + b;
  const T b_virtual = s - a;
  const T a_virtual = s - b_virtual;
  return {s, (a - a_virtual) + (b - b_virtual)};
}

template <std::floating_point T>
constexpr dw<T> fast_two_sum(T a, T b) noexcept {
  const T s = a + b;
  const T b_virtual = s - a;
  return {s, b - b_virtual};
}

/// a as hi + lo with hi holding the top ceil(p/2) bits, so that products of halves are exact.
template <std::floating_point T>
constexpr dw<T> split(T a) noexcept {
  constexpr T factor = pow2<T>((digits<T> + 1) / 2) + 1;
  const T t = factor * a;
  const T hi = t - (t - a);
  return {hi, a - hi};
}

template <std::floating_point T>
constexpr dw<T> two_prod(T a, T b) noexcept {
  const T p = a * b;
  const dw<T> as = split(a);
  const dw<T> bs = split(b);
  return {p, ((as.hi * bs.hi - p) + as.hi * bs.lo + as.lo * bs.hi) + as.lo * bs.lo};
}

/// a * 2^k for a double-word, exact when both words stay normal.
template <std::floating_point T>
constexpr dw<T> scale(dw<T> a, int k) noexcept {
  return {scale(a.hi, k), scale(a.lo, k)};
}

/// A double-word from a constant written as a sum of four doubles (about 210 bits).
template <std::floating_point T>
constexpr dw<T> from_doubles(double d0, double d1, double d2, double d3) noexcept {
  return ((dw<T>(static_cast<T>(d0)) + static_cast<T>(d1)) + static_cast<T>(d2)) +
         static_cast<T>(d3);
}

/// A value m * 2^k kept apart, so that e^x can be formed near overflow and underflow.
template <std::floating_point T>
struct scaled {
  dw<T> m;
  int k;
};

/// m * 2^k rounded once to T: IEEE overflow to infinity, and gradual underflow rounded from the
/// whole double-word (rounding hi first and then scaling would round twice).
template <std::floating_point T>
constexpr T round_scaled(dw<T> m, int k) noexcept {
  using limits = std::numeric_limits<T>;
  if (m.hi == 0) return m.hi;
  const int n = frexp(m.hi).exponent + k;  // |m.hi * 2^k| in [2^(n-1), 2^n)
  if (n > limits::max_exponent) return copysign(infinity<T>, m.hi);
  if (n >= limits::min_exponent) return scale(m.hi, k);  // normal: exact
  if (n < limits::min_exponent - digits<T> - 1) return copysign(T(0), m.hi);
  // Subnormal: count in units of the smallest subnormal and round that count once.
  const dw<T> units = scale(m, k - (limits::min_exponent - digits<T>));
  T count = nearest(units.hi);
  const T rest = (units.hi - count) + units.lo;
  if (rest > T(0.5) || (rest == T(0.5) && is_odd_integer(count))) count += 1;
  if (rest < T(-0.5) || (rest == T(-0.5) && is_odd_integer(count))) count -= 1;
  return count * limits::denorm_min();
}

/// Below this |x|, an odd function with f(x) = x + O(x^3) (sin, tan, atan, asin, sinh, tanh)
/// rounds to x: the cubic term is under 2^-(p+3) x.
template <std::floating_point T>
inline constexpr T odd_function_tiny = pow2<T>(-(digits<T> / 2) - 2);

/// Where a series stops: terms below 2^-(p + 24) of the sum. The result is then off by less than
/// 2^-20 ulp before its final rounding, so it is almost always correctly rounded.
template <std::floating_point T>
inline constexpr T series_eps = pow2<T>(-(digits<T> + 24));

}  // namespace leibniz::math::detail
