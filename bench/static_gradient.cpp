// bench/static_gradient.cpp
// The suite's seed cases (BENCH-SUITE.md: seed_quadratic, seed_mixed), and a 19-node
// expression with transcendental functions, in modes f, hand, static (the compiled static
// gradient) and fd. Every gradient is checked against `hand` before it is timed.
#include <leibniz/leibniz.hpp>

#include "bench_support.hpp"
#include "cases.hpp"

#include <array>
#include <cmath>

namespace {

using namespace leibniz::literals;
using bench::point;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;
constexpr leibniz::variable<"z"> z;

/// sin(x*y) + exp(x/z)*log(y^2 + 1) - sqrt(x*z) + tanh(y - z)*x^3: 19 nodes, at (0.7, 1.3, 0.9).
/// Not a suite case: it shows the static gradient on transcendental functions.
struct transcendental {
  static constexpr const char* name = "transcendental";
  static constexpr std::array<double, 3> at{0.7, 1.3, 0.9};
  template <class T>
  static T f(const T& a, const T& b, const T& c) {
    using std::exp, std::log, std::sin, std::sqrt, std::tanh;
    return sin(a * b) + exp(a / c) * log(b * b + 1) - sqrt(a * c) + tanh(b - c) * a * a * a;
  }
  static std::array<double, 3> hand(double a, double b, double c) {
    const double cs = std::cos(a * b);
    const double e = std::exp(a / c);
    const double l = std::log(b * b + 1);
    const double q = std::sqrt(a * c);
    const double t = std::tanh(b - c);
    const double sech2 = 1 - t * t;
    const double a2 = a * a;
    return {cs * b + e * l / c - 0.5 * c / q + 3 * t * a2,
            cs * a + e * 2 * b / (b * b + 1) + sech2 * a2 * a,
            -e * l * a / (c * c) - 0.5 * a / q - sech2 * a2 * a};
  }
};

// The same functions as static expressions.
constexpr auto quadratic_expression = x * x + y * y;
constexpr auto mixed_expression = x * x * y + x * y * y;
constexpr auto transcendental_expression =
    leibniz::sin(x * y) + leibniz::exp(x / z) * leibniz::log(y * y + 1_c) - leibniz::sqrt(x * z) +
    leibniz::tanh(y - z) * leibniz::pow<3>(x);

/// Registers f, hand and fd of a case of 2 or 3 inputs.
template <class Case>
bool add_reference_modes() {
  constexpr std::size_t n = Case::at.size();
  bench::add_point<Case>("f", [](const point<n>& p) {
    return std::apply([](auto... v) { return Case::template f<double>(v...); }, p);
  });
  bench::add_point<Case>("hand", [](const point<n>& p) { return std::apply(Case::hand, p); });
  bench::add_point<Case>("fd", [](const point<n>& p) { return bench::fd_gradient<Case>(p); });
  return true;
}

[[maybe_unused]] const bool registered = [] {
  add_reference_modes<bench::seed_quadratic>();
  bench::add_point<bench::seed_quadratic>("static", [](const point<2>& p) {
    return leibniz::gradient(quadratic_expression, x, y)(x = p[0], y = p[1]);
  });

  add_reference_modes<bench::seed_mixed>();
  bench::add_point<bench::seed_mixed>("static", [](const point<2>& p) {
    return leibniz::gradient(mixed_expression, x, y)(x = p[0], y = p[1]);
  });

  add_reference_modes<transcendental>();
  bench::add_point<transcendental>("static", [](const point<3>& p) {
    return leibniz::gradient(transcendental_expression, x, y, z)(x = p[0], y = p[1], z = p[2]);
  });
  return true;
}();

}  // namespace
