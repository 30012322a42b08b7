// tests/runtime/static_ops_float_long_double.cpp
// Every op of static mode against <cmath> at seeded random points, in float and long double.
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

/// Relative difference, measured against 1 for values below 1.
template <class T>
T relative_error(T a, T b) {
  using std::abs;
  return abs(a - b) / std::max(T(1), abs(b));
}

/// For each sampled point in [lo, hi]: the value and the derivative of f(x) against the
/// reference value and derivative, within `ulps` units in the last place.
template <class T, class F, class Value, class Slope>
void check_op(const char* name, F f, Value value, Slope slope, double lo, double hi, T tolerance) {
  std::mt19937_64 random(20261125);
  std::uniform_real_distribution<double> uniform(lo, hi);
  const auto derivative = d(f, x);
  for (int i = 0; i < 200; ++i) {
    const T at = static_cast<T>(uniform(random));
    INFO(name << " at " << static_cast<double>(at));
    CHECK(relative_error<T>(f(x = at), value(at)) <= tolerance);
    CHECK(relative_error<T>(derivative(x = at), slope(at)) <= 8 * tolerance);
  }
}

template <class T>
void check_every_op(T eps) {
  using std::cos, std::sin, std::exp, std::log, std::sqrt, std::pow, std::tan, std::cosh;
  // The value is computed by std:: at run time, so it matches to the last bit; derivatives
  // go through the rules, so they get a few ulp.
  check_op<T>(
      "sin", leibniz::sin(x), [](T u) { return sin(u); }, [](T u) { return cos(u); }, -10, 10, eps);
  check_op<T>(
      "cos", leibniz::cos(x), [](T u) { return cos(u); }, [](T u) { return -sin(u); }, -10, 10,
      eps);
  check_op<T>(
      "tan", leibniz::tan(x), [](T u) { return tan(u); }, [](T u) { return 1 / (cos(u) * cos(u)); },
      -1.5, 1.5, eps);
  check_op<T>(
      "exp", leibniz::exp(x), [](T u) { return exp(u); }, [](T u) { return exp(u); }, -20, 20, eps);
  check_op<T>(
      "expm1", leibniz::expm1(x), [](T u) { return std::expm1(u); }, [](T u) { return exp(u); }, -5,
      5, eps);
  check_op<T>(
      "log", leibniz::log(x), [](T u) { return log(u); }, [](T u) { return 1 / u; }, 1e-3, 1e3,
      eps);
  check_op<T>(
      "log1p", leibniz::log1p(x), [](T u) { return std::log1p(u); },
      [](T u) { return 1 / (1 + u); }, -0.9, 10, eps);
  check_op<T>(
      "sqrt", leibniz::sqrt(x), [](T u) { return sqrt(u); }, [](T u) { return 1 / (2 * sqrt(u)); },
      1e-3, 1e3, eps);
  check_op<T>(
      "cbrt", leibniz::cbrt(x), [](T u) { return std::cbrt(u); },
      [](T u) { return 1 / (3 * std::cbrt(u) * std::cbrt(u)); }, 1e-3, 1e3, eps);
  check_op<T>(
      "asin", leibniz::asin(x), [](T u) { return std::asin(u); },
      [](T u) { return 1 / sqrt(1 - u * u); }, -0.99, 0.99, eps);
  check_op<T>(
      "acos", leibniz::acos(x), [](T u) { return std::acos(u); },
      [](T u) { return -1 / sqrt(1 - u * u); }, -0.99, 0.99, eps);
  check_op<T>(
      "atan", leibniz::atan(x), [](T u) { return std::atan(u); },
      [](T u) { return 1 / (1 + u * u); }, -10, 10, eps);
  check_op<T>(
      "sinh", leibniz::sinh(x), [](T u) { return std::sinh(u); }, [](T u) { return cosh(u); }, -10,
      10, eps);
  check_op<T>(
      "cosh", leibniz::cosh(x), [](T u) { return cosh(u); }, [](T u) { return std::sinh(u); }, -10,
      10, eps);
  check_op<T>(
      "tanh", leibniz::tanh(x), [](T u) { return std::tanh(u); },
      [](T u) { return 1 / (cosh(u) * cosh(u)); }, -5, 5, eps);
  check_op<T>(
      "erf", leibniz::erf(x), [](T u) { return std::erf(u); },
      [](T u) { return 2 / sqrt(std::numbers::pi_v<T>) * exp(-u * u); }, -3, 3, eps);
  check_op<T>(
      "sigmoid", leibniz::sigmoid(x), [](T u) { return 1 / (1 + exp(-u)); },
      [](T u) { return exp(-u) / ((1 + exp(-u)) * (1 + exp(-u))); }, -10, 10, 4 * eps);
  check_op<T>(
      "abs", leibniz::abs(x), [](T u) { return std::abs(u); },
      [](T u) { return u > 0 ? T(1) : T(-1); }, -10, 10, eps);
  check_op<T>(
      "x^3", leibniz::pow<3>(x), [](T u) { return u * u * u; }, [](T u) { return 3 * u * u; }, -10,
      10, eps);
  check_op<T>(
      "x^-2", leibniz::pow<-2>(x), [](T u) { return 1 / (u * u); },
      [](T u) { return -2 / (u * u * u); }, 0.1, 10, eps);
  check_op<T>(
      "x^(3/2)", leibniz::pow<3, 2>(x), [](T u) { return u * sqrt(u); },
      [](T u) { return T(1.5) * sqrt(u); }, 0.1, 10, eps);
  check_op<T>(
      "x^2.5", leibniz::pow(x, 2.5), [](T u) { return pow(u, T(2.5)); },
      [](T u) { return T(2.5) * pow(u, T(1.5)); }, 0.1, 10, eps);
  check_op<T>(
      "2^x", leibniz::pow(2_c, x), [](T u) { return pow(T(2), u); },
      [](T u) { return pow(T(2), u) * log(T(2)); }, -5, 5, eps);
}

}  // namespace

TEST_CASE("every op agrees with <cmath>, and so does its derivative, in float and long double") {
  check_every_op<float>(4 * std::numeric_limits<float>::epsilon());
  check_every_op<long double>(4 * std::numeric_limits<long double>::epsilon());
}
