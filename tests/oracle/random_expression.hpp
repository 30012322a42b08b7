// tests/oracle/random_expression.hpp
// Random static expressions for the cross-checks: random_expression<Seed>() is an expression
// *type* chosen at compile time from the whole op table by a seeded generator (a template
// recursion on a constexpr PRNG state), and random_point<Seed>(k) a point where every op of it
// is inside its domain. The same seed gives the same expression on every compiler and run.
#pragma once

#include <leibniz/leibniz.hpp>

#include <array>
#include <cstdint>
#include <random>

namespace random_expressions {

// How an argument is kept inside its op's domain: every subexpression is generated as one of
// four sorts, and each op takes arguments of the sort its domain needs. At any point with
// |x|, |y|, |z| <= 3/2:
//   real      any value (mostly moderate; products can grow, the tests resample such points)
//   bounded   |v| <= pi: sin, cos, tanh, atan, erf, sigmoid, sign, step, asin, acos, a
//             variable, a constant of the leaf table, min/max/products of these
//   unit      |v| <= 0.8, for asin, acos and tan: tanh(r)/2, sin(r)*0.75, sigmoid(r) - 1/2, ...
//   positive  0.04 < v, for log, sqrt, fractional and negative powers, divisors:
//             exp(b), cosh(b), 1 + r^2, 2 + (one of sin, cos, tanh, erf, sigmoid), sqrt(p),
//             |r| + 1/4, p^q
// Negative bases with integer exponents come from pow(-p, n); cbrt takes p or -p.
enum class sort { real, bounded, unit, positive };

inline constexpr leibniz::variable<"x"> x;
inline constexpr leibniz::variable<"y"> y;
inline constexpr leibniz::variable<"z"> z;

/// SplitMix64: the generator's state is a 64-bit number; each choice and each child derives
/// its own state from its parent's.
constexpr std::uint64_t mix(std::uint64_t s) {
  s += 0x9E3779B97F4A7C15ULL;
  s = (s ^ (s >> 30)) * 0xBF58476D1CE4E5B9ULL;
  s = (s ^ (s >> 27)) * 0x94D049BB133111EBULL;
  return s ^ (s >> 31);
}
constexpr std::uint64_t child(std::uint64_t s, std::uint64_t k) {
  return mix(s ^ (0x632BE59BD9B4E019ULL * (k + 1)));
}
constexpr std::uint64_t pick(std::uint64_t s, std::uint64_t n) { return mix(s) % n; }

/// A run-time constant: a multiple of 1/8 in [-3/2, 3/2] for bounded leaves, [-4, 4] else,
/// never 0; exactly representable and printed in a few digits.
constexpr double literal_value(std::uint64_t s, bool bounded) {
  const std::uint64_t steps = bounded ? 12 : 32;
  const double v = static_cast<double>(1 + pick(s, steps)) / 8.0;
  return (mix(s ^ 0x5555) & 1) != 0 ? -v : v;
}

/// A leaf: a variable (3 in 4), an exact constant or a run-time constant.
template <std::uint64_t S, bool Bounded>
constexpr auto leaf() {
  constexpr std::uint64_t c = pick(S, 12);
  if constexpr (c < 3)
    return x;
  else if constexpr (c < 6)
    return y;
  else if constexpr (c < 9)
    return z;
  else if constexpr (c == 9)
    return leibniz::literal<double>{literal_value(child(S, 1), Bounded)};
  else if constexpr (c == 10)
    return leibniz::constant<3, 2>;
  else if constexpr (pick(child(S, 2), 2) == 0)
    return leibniz::constant<-1>;
  else
    return leibniz::constant<1, 2>;
}

template <std::uint64_t S, int Depth, sort K>
constexpr auto generate();

/// An op on constants alone can give a plain number (0.5 * -1): as an expression, a literal.
template <class T>
constexpr auto as_expression(const T& v) {
  if constexpr (leibniz::Number<T>)
    return leibniz::literal<double>{static_cast<double>(v)};
  else
    return v;
}

template <std::uint64_t S, int Depth, sort K, std::uint64_t I>
constexpr auto arg() {
  return generate<child(S, I), (Depth > 0 ? Depth - 1 : 0), K>();
}
template <std::uint64_t S, int Depth, std::uint64_t I>
constexpr auto real_arg() {
  return arg<S, Depth, sort::real, I>();
}
template <std::uint64_t S, int Depth, std::uint64_t I>
constexpr auto bounded_arg() {
  return arg<S, Depth, sort::bounded, I>();
}
template <std::uint64_t S, int Depth, std::uint64_t I>
constexpr auto unit_arg() {
  return arg<S, Depth, sort::unit, I>();
}
template <std::uint64_t S, int Depth, std::uint64_t I>
constexpr auto positive_arg() {
  return arg<S, Depth, sort::positive, I>();
}

/// A value in [-1, 1]: one of the functions bounded by 1.
template <std::uint64_t S, int Depth>
constexpr auto within_one() {
  constexpr auto r = real_arg<S, Depth, 7>();
  constexpr std::uint64_t c = pick(child(S, 8), 5);
  if constexpr (c == 0)
    return leibniz::sin(r);
  else if constexpr (c == 1)
    return leibniz::cos(r);
  else if constexpr (c == 2)
    return leibniz::tanh(r);
  else if constexpr (c == 3)
    return leibniz::erf(r);
  else
    return leibniz::sigmoid(r);
}

template <std::uint64_t S, int Depth>
constexpr auto generate_unit() {
  using namespace leibniz::literals;
  constexpr std::uint64_t c = pick(S, 5);
  if constexpr (c == 0)
    return within_one<S, Depth>() * leibniz::constant<1, 2>;
  else if constexpr (c == 1)
    return 0.75 * within_one<S, Depth>();
  else if constexpr (c == 2)
    return leibniz::sigmoid(real_arg<S, Depth, 0>()) - leibniz::constant<1, 2>;
  else if constexpr (c == 3)
    return unit_arg<S, Depth, 0>() * unit_arg<S, Depth, 1>();
  else
    return leibniz::tanh(real_arg<S, Depth, 0>()) / 2_c;
}

template <std::uint64_t S, int Depth>
constexpr auto generate_positive() {
  using namespace leibniz::literals;
  constexpr std::uint64_t c = pick(S, 9);
  if constexpr (c == 0)
    return leibniz::exp(bounded_arg<S, Depth, 0>());
  else if constexpr (c == 1)
    return leibniz::cosh(bounded_arg<S, Depth, 0>());
  else if constexpr (c == 2)
    return 1_c + leibniz::pow<2>(real_arg<S, Depth, 0>());
  else if constexpr (c == 3)
    return 2_c + within_one<S, Depth>();
  else if constexpr (c == 4)
    return leibniz::sqrt(positive_arg<S, Depth, 0>());
  else if constexpr (c == 5)
    return leibniz::abs(real_arg<S, Depth, 0>()) + 0.25;
  else if constexpr (c == 6)
    return leibniz::pow<2, 3>(positive_arg<S, Depth, 0>());
  else if constexpr (c == 7)
    return positive_arg<S, Depth, 0>() * leibniz::sigmoid(bounded_arg<S, Depth, 1>());
  else
    return leibniz::exp(-leibniz::pow<2>(unit_arg<S, Depth, 0>()));
}

template <std::uint64_t S, int Depth>
constexpr auto generate_bounded() {
  constexpr std::uint64_t c = pick(S, 12);
  if constexpr (c < 5)
    return within_one<S, Depth>();
  else if constexpr (c == 5)
    return leibniz::atan(real_arg<S, Depth, 0>());
  else if constexpr (c == 6)
    return leibniz::asin(unit_arg<S, Depth, 0>());
  else if constexpr (c == 7)
    return leibniz::acos(unit_arg<S, Depth, 0>());
  else if constexpr (c == 8)
    return leibniz::min(bounded_arg<S, Depth, 0>(), bounded_arg<S, Depth, 1>());
  else if constexpr (c == 9)
    return leibniz::max(bounded_arg<S, Depth, 0>(), bounded_arg<S, Depth, 1>());
  else if constexpr (c == 10)
    return leibniz::sign(real_arg<S, Depth, 0>());
  else
    return bounded_arg<S, Depth, 0>() * unit_arg<S, Depth, 1>();
}

template <std::uint64_t S, int Depth>
constexpr auto generate_real() {
  using namespace leibniz::literals;
  constexpr std::uint64_t c = pick(S, 34);
  constexpr double literal = literal_value(child(S, 9), false);
  if constexpr (c == 0)
    return real_arg<S, Depth, 0>() + real_arg<S, Depth, 1>();
  else if constexpr (c == 1)
    return real_arg<S, Depth, 0>() - real_arg<S, Depth, 1>();
  else if constexpr (c == 2)
    return real_arg<S, Depth, 0>() * real_arg<S, Depth, 1>();
  else if constexpr (c == 3)
    return real_arg<S, Depth, 0>() / positive_arg<S, Depth, 1>();
  else if constexpr (c == 4)
    return -real_arg<S, Depth, 0>();
  else if constexpr (c == 5)
    return 3_c * real_arg<S, Depth, 0>() + literal;
  else if constexpr (c == 6)
    return literal * real_arg<S, Depth, 0>();
  else if constexpr (c == 7)
    return generate_bounded<S, Depth>();
  else if constexpr (c == 8)
    return generate_positive<S, Depth>();
  else if constexpr (c == 9)
    return leibniz::pow<3>(bounded_arg<S, Depth, 0>());
  else if constexpr (c == 10)
    return leibniz::pow<-2>(-positive_arg<S, Depth, 0>());  // negative base, integer exponent
  else if constexpr (c == 11)
    return leibniz::pow(-positive_arg<S, Depth, 0>(), -1_c);
  else if constexpr (c == 12)
    return leibniz::abs(real_arg<S, Depth, 0>());
  else if constexpr (c == 13)
    return leibniz::min(real_arg<S, Depth, 0>(), real_arg<S, Depth, 1>());
  else if constexpr (c == 14)
    return leibniz::max(real_arg<S, Depth, 0>(), real_arg<S, Depth, 1>());
  else if constexpr (c == 15)
    return leibniz::step(real_arg<S, Depth, 0>()) * real_arg<S, Depth, 1>();
  else if constexpr (c == 16 && literal > 0)
    return leibniz::cbrt(positive_arg<S, Depth, 0>());
  else if constexpr (c == 16)
    return leibniz::cbrt(-positive_arg<S, Depth, 0>());  // the real cube root
  else if constexpr (c == 17)
    return leibniz::log(positive_arg<S, Depth, 0>());
  else if constexpr (c == 18)
    return leibniz::log1p(positive_arg<S, Depth, 0>());
  else if constexpr (c == 19)
    return leibniz::sqrt(positive_arg<S, Depth, 0>());
  else if constexpr (c == 20)
    return leibniz::pow<3, 2>(positive_arg<S, Depth, 0>());
  else if constexpr (c == 21)
    return leibniz::pow<-1, 3>(positive_arg<S, Depth, 0>());
  else if constexpr (c == 22)
    return leibniz::pow(positive_arg<S, Depth, 0>(), literal_value(child(S, 9), true));
  else if constexpr (c == 23)
    return leibniz::pow(positive_arg<S, Depth, 0>(), bounded_arg<S, Depth, 1>());
  else if constexpr (c == 24)
    return leibniz::tan(unit_arg<S, Depth, 0>());
  else if constexpr (c == 25)
    return leibniz::exp(bounded_arg<S, Depth, 0>());
  else if constexpr (c == 26)
    return leibniz::expm1(bounded_arg<S, Depth, 0>());
  else if constexpr (c == 27)
    return leibniz::sinh(bounded_arg<S, Depth, 0>());
  else if constexpr (c == 28)
    return leibniz::cosh(bounded_arg<S, Depth, 0>());
  else if constexpr (c == 29)
    return leibniz::log1p(unit_arg<S, Depth, 0>());
  else if constexpr (c == 30)
    return leibniz::pow<2>(real_arg<S, Depth, 0>());
  else if constexpr (c == 31)
    return real_arg<S, Depth, 0>() * leibniz::pi;
  else if constexpr (c == 32)
    return leibniz::exp(-leibniz::pow<2>(real_arg<S, Depth, 0>()));
  else
    return real_arg<S, Depth, 0>() / (1_c + leibniz::pow<2>(real_arg<S, Depth, 1>()));
}

/// An expression of sort K with at most Depth levels of ops above the leaves. Leaves come
/// sooner the shallower the budget: the depth varies from expression to expression.
template <std::uint64_t S, int Depth, sort K>
constexpr auto generate() {
  constexpr bool stop =
      Depth <= 0 || pick(child(S, 100), 10) < static_cast<std::uint64_t>(Depth < 6 ? 6 - Depth : 0);
  if constexpr (stop && K != sort::positive && K != sort::unit)
    return leaf<child(S, 101), K != sort::real>();
  else if constexpr (stop && K == sort::positive)
    return as_expression(leibniz::exp(leaf<child(S, 101), true>()));
  else if constexpr (stop)
    return as_expression(leibniz::tanh(leaf<child(S, 101), true>()) * leibniz::constant<1, 2>);
  else if constexpr (K == sort::real)
    return as_expression(generate_real<S, Depth>());
  else if constexpr (K == sort::bounded)
    return as_expression(generate_bounded<S, Depth>());
  else if constexpr (K == sort::unit)
    return as_expression(generate_unit<S, Depth>());
  else
    return as_expression(generate_positive<S, Depth>());
}

template <std::uint64_t Seed, int MaxDepth, int Attempt>
constexpr auto attempt_expression() {
  constexpr std::uint64_t state = mix(Seed + 0x1000 * static_cast<std::uint64_t>(Attempt));
  constexpr int depth = MaxDepth < 3 ? MaxDepth : MaxDepth - static_cast<int>(pick(state, 4));
  constexpr auto e = as_expression(generate_real<child(state, 1), depth>());
  using E = decltype(e);
  if constexpr (leibniz::depends_on<E, "x"> || leibniz::depends_on<E, "y"> ||
                leibniz::depends_on<E, "z">)
    return e;
  else if constexpr (Attempt < 8)
    return attempt_expression<Seed, MaxDepth, Attempt + 1>();
  else
    return e + x;
}

/// The random expression of a seed: depth from MaxDepth - 3 to MaxDepth (6 by default), and
/// not a constant (a seed whose expression has no variable draws again, deterministically).
template <std::uint64_t Seed, int MaxDepth = 6>
constexpr auto random_expression() {
  return attempt_expression<Seed, MaxDepth, 0>();
}

/// The k-th point for a seed: x, y, z uniform in [-3/2, 3/2].
inline std::array<double, 3> random_point(std::uint64_t seed, unsigned k) {
  std::mt19937_64 random(mix(seed) + k);
  std::uniform_real_distribution<double> uniform(-1.5, 1.5);
  return {uniform(random), uniform(random), uniform(random)};
}

}  // namespace random_expressions
