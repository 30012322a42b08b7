// tests/runtime/static_mode.cpp
// Static mode at run time: the seed tutorial's functions, the compiled gradient against the
// symbolic derivatives, Hessians, run-time numbers, complex arguments, LaTeX, DOT, streams.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <random>
#include <sstream>
#include <string>

namespace {

using namespace leibniz::literals;
using leibniz::d;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;
constexpr leibniz::variable<"z"> z;

/// Relative difference, measured against 1 for values below 1.
template <class T>
T relative_error(T a, T b) {
  using std::abs;
  return abs(a - b) / std::max(T(1), abs(b));
}

}  // namespace

TEST_CASE("the seed tutorial's functions and their gradients") {
  CHECK(d(x * x, x)(x = 3.0) == 6.0);
  CHECK(leibniz::gradient(x * x + y * y, x, y)(x = 2.0, y = 3.0) == std::array{4.0, 6.0});
  CHECK(leibniz::gradient((x + y) * (x - y), x, y)(x = 3.0, y = 2.0) == std::array{6.0, -4.0});
  CHECK(d(3 * x * x + 2 * x + 1, x)(x = 4.0) == 26.0);
  CHECK(leibniz::gradient(x * x * y + x * y * y, x, y)(x = 2.0, y = 3.0) == std::array{21.0, 16.0});
}

TEST_CASE("the compiled gradient equals the symbolic derivatives on a 19-node expression") {
  // sin(x*y) + exp(x/z) * log(y*y + 1) - sqrt(x*z) + tanh(y - z) * x^3
  const auto f = leibniz::sin(x * y) + leibniz::exp(x / z) * leibniz::log(y * y + 1_c) -
                 leibniz::sqrt(x * z) + leibniz::tanh(y - z) * leibniz::pow<3>(x);
  const auto g = leibniz::gradient(f, x, y, z);
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> uniform(0.2, 2.0);
  for (int i = 0; i < 100; ++i) {
    const double a = uniform(random), b = uniform(random), c = uniform(random);
    const auto grad = g(x = a, y = b, z = c);
    CHECK(relative_error(grad[0], d(f, x)(x = a, y = b, z = c)) < 1e-14);
    CHECK(relative_error(grad[1], d(f, y)(x = a, y = b, z = c)) < 1e-14);
    CHECK(relative_error(grad[2], d(f, z)(x = a, y = b, z = c)) < 1e-14);
  }
}

TEST_CASE("the Hessian is the matrix of nested derivatives, and it is symmetric") {
  const auto f = leibniz::exp(x * y) + leibniz::sin(x) * y * y;
  const auto h = leibniz::hessian(f, x, y)(x = 0.3, y = -0.7);
  CHECK(h[0][0] == d(d(f, x), x)(x = 0.3, y = -0.7));
  CHECK(h[0][1] == d(d(f, x), y)(x = 0.3, y = -0.7));
  CHECK(h[1][1] == d(d(f, y), y)(x = 0.3, y = -0.7));
  CHECK(relative_error(h[0][1], h[1][0]) < 1e-15);
}

TEST_CASE("run-time numbers are held by value in the expression") {
  for (double k : {0.5, 2.0, -3.25}) {
    const auto f = k * x * x + x / k;
    CHECK(f(x = 2.0) == k * 4.0 + 2.0 / k);
    CHECK(d(f, x)(x = 2.0) == doctest::Approx(4.0 * k + 1.0 / k).epsilon(1e-15));
  }
}

TEST_CASE("complex arguments evaluate, as for the complex-step derivative") {
  using namespace std::complex_literals;
  const auto f = leibniz::sin(x) * x + leibniz::exp(x * x);
  const std::complex<double> at = 0.7 + 1e-20i;
  const std::complex<double> value = f(x = at);
  CHECK(value.real() == doctest::Approx(std::sin(0.7) * 0.7 + std::exp(0.49)).epsilon(1e-15));
  // Im f(x + ih) / h is f'(x) to within h^2.
  CHECK(value.imag() / 1e-20 == doctest::Approx(d(f, x)(x = 0.7)).epsilon(1e-14));
}

TEST_CASE("to_latex writes fractions, powers, roots and Greek names") {
  constexpr leibniz::variable<"sigma"> sigma;
  CHECK(leibniz::to_latex(x / (2_c * y)) == "\\frac{x}{2 y}");
  CHECK(leibniz::to_latex(leibniz::pow<2>(x) + leibniz::sqrt(y)) == "x^{2} + \\sqrt{y}");
  CHECK(leibniz::to_latex(leibniz::sin(x) * sigma) == "\\sigma \\sin\\left(x\\right)");
  CHECK(leibniz::to_latex(d(leibniz::erf(x), x)) ==
        "\\frac{2 \\exp\\left(-x^{2}\\right)}{\\sqrt{\\pi}}");
  CHECK(leibniz::to_latex(leibniz::abs(x - y)) == "\\left|x - y\\right|");
}

TEST_CASE("to_dot draws each shared subexpression once") {
  const std::string dot = leibniz::to_dot(leibniz::sin(x * y) + leibniz::cos(x * y));
  CHECK(dot.rfind("digraph expression {", 0) == 0);
  // x, y, x*y (once, though used twice), sin, cos, +
  CHECK(dot.find("n5 [label=\"+\"") != std::string::npos);
  CHECK(dot.find("n6") == std::string::npos);
  CHECK(dot.find("n3 -> n2;") != std::string::npos);  // cos reads the shared x*y
  CHECK(dot.find("n4 -> n2;") != std::string::npos);  // and so does sin
}

TEST_CASE("expressions print to streams") {
  std::ostringstream out;
  out << d(x * x * y, x) << "; " << leibniz::to_string(x / 4.0);
  CHECK(out.str() == "2*x*y; 0.25*x");
}
