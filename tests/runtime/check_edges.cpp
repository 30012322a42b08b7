// tests/runtime/check_edges.cpp
// Each rule near the edges of its domain, by check_gradient (static, tape, complex step and
// finite differences), and the behaviour at points where f is not differentiable: the same in
// both modes, with PyTorch's conventions (docs/checking.md).
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <tuple>

namespace {

using namespace leibniz::literals;
using leibniz::check_gradient;
using leibniz::check_verdict;
using leibniz::tape::var;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;

const double nan = std::numeric_limits<double>::quiet_NaN();
const double inf = std::numeric_limits<double>::infinity();

/// The gradient of f at (a, b) by the compiled gradient and by the tape, op by op.
template <class E>
std::tuple<std::array<double, 2>, std::array<double, 2>> both_modes(const E& f, double a,
                                                                    double b) {
  const auto compiled = leibniz::gradient(f, x, y)(x = a, y = b);
  const auto [value, g] = leibniz::tape::value_and_gradient(
      [&](const var& u, const var& v) { return f(x = u, y = v); }, a, b);
  (void)value;
  return {compiled, {std::get<0>(g), std::get<1>(g)}};
}

/// Equal, NaN equal to NaN.
bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// ---------------------------------------------------------------- near domain edges

TEST_CASE("log and log1p near their poles") {
  for (const double at : {1e-300, 1e-10, 1e-3}) CHECK(check_gradient(leibniz::log(x), x = at));
  for (const double at : {-1 + 1e-10, -0.999, 1e-300})
    CHECK(check_gradient(leibniz::log1p(x), x = at));
  CHECK(check_gradient(leibniz::log(x * y), x = 1e-8, y = 3.0));
}

TEST_CASE("sqrt, cbrt and fractional powers near 0") {
  for (const double at : {1e-300, 1e-12, 1e-3}) {
    CHECK(check_gradient(leibniz::sqrt(x), x = at));
    CHECK(check_gradient(leibniz::cbrt(x), x = at));
    CHECK(check_gradient(leibniz::cbrt(x), x = -at));  // the real root
    CHECK(check_gradient(leibniz::pow<3, 2>(x), x = at));
    CHECK(check_gradient(leibniz::pow(x, 0.7), x = at));
  }
}

TEST_CASE("tan near pi/2, asin and acos near +-1") {
  constexpr double half_pi = std::numbers::pi / 2;
  for (const double at : {half_pi - 1e-3, half_pi - 2.7e-8, -half_pi + 1e-6}) {
    INFO("tan at " << at);
    CHECK(check_gradient(leibniz::tan(x), x = at));
  }
  for (const double at : {1 - 1e-12, -1 + 1e-9, 0.999}) {
    CHECK(check_gradient(leibniz::asin(x), x = at));
    CHECK(check_gradient(leibniz::acos(x), x = at));
  }
}

TEST_CASE("pow with a negative base and an integer exponent") {
  CHECK(check_gradient(leibniz::pow<3>(x), x = -2.0));
  CHECK(check_gradient(leibniz::pow<-2>(x), x = -0.5));
  CHECK(check_gradient(leibniz::pow<-3>(x) * y, x = -1e-3, y = 2.0));
  CHECK(check_gradient(leibniz::pow<2, 3>(x), x = -8.0));  // cbrt(x)^2: real
  // A run-time exponent: std::pow's rules, pow(-2, 3.0) = -8, and its derivative in the base.
  const leibniz::gradient_report r = check_gradient(leibniz::pow(x, 3.0), x = -2.0);
  CHECK(r);
  CHECK(r["x"].reference == 12);
  // The complex step goes round the origin there (std::pow takes a polar form) and is set
  // aside, seen as inconsistent between two steps.
  CHECK(r["x"]["complex step"].verdict == check_verdict::skipped);
  // With the exponent a variable, d/dy = x^y log(x) is NaN for x < 0 in both modes.
  const auto [compiled, tape] = both_modes(leibniz::pow(x, y), -2.0, 3.0);
  CHECK(compiled[0] == 12);
  CHECK(tape[0] == 12);
  CHECK(std::isnan(compiled[1]));
  CHECK(std::isnan(tape[1]));
}

TEST_CASE("exp, sinh, cosh near overflow; erf, tanh and the sigmoid in their tails") {
  CHECK(check_gradient(leibniz::exp(x), x = 700.0));
  CHECK(check_gradient(leibniz::sinh(x) + leibniz::cosh(y), x = -700.0, y = 700.0));
  CHECK(check_gradient(leibniz::erf(x), x = 5.0));
  CHECK(check_gradient(leibniz::erf(x), x = -26.0));
  CHECK(check_gradient(leibniz::sigmoid(x), x = -700.0));
  CHECK(check_gradient(leibniz::sigmoid(x), x = 30.0));
  CHECK(check_gradient(leibniz::tanh(x), x = 15.0));
  CHECK_FALSE(check_gradient(leibniz::exp(x), x = 710.0));  // exp overflows: not finite
}

TEST_CASE("saturation: tanh' = 1 - tanh^2 and sigmoid' = s (1 - s) lose their relative accuracy") {
  // Both rules use the op's result, as PyTorch does. Where the result rounds to 1 the
  // derivative rounds to 0, in both modes; the true values are 4e-35 and 2e-22 here. The
  // check passes by its absolute tolerance (atol = 1e-15): the loss is absolute, not relative.
  for (const auto& [compiled, tape] :
       {both_modes(leibniz::tanh(x), 40.0, 0.0), both_modes(leibniz::sigmoid(x), 50.0, 0.0)}) {
    CHECK(compiled[0] == 0);
    CHECK(tape[0] == 0);
  }
  // Before that point the relative error grows like eps / (1 - tanh^2): 3e-9 at x = 10. The
  // check's noise term (the rule in double against the rule in long double) measures it.
  const leibniz::gradient_report r = check_gradient(leibniz::tanh(x), x = 10.0);
  CHECK(r);
  const double truth = 1 / (std::cosh(10.0) * std::cosh(10.0));
  CHECK(std::fabs(r["x"]["compiled gradient"].value - truth) / truth > 1e-12);
  CHECK(std::fabs(r["x"]["compiled gradient"].value - truth) / truth < 1e-7);
}

// ---------------------------------------------------------------- non-differentiable points

TEST_CASE("abs at 0: abs'(0) = sign(0) = 0 in both modes (PyTorch), and finite differences agree") {
  const auto [compiled, tape] = both_modes(leibniz::abs(x) * y, 0.0, 3.0);
  CHECK(compiled[0] == 0);
  CHECK(tape[0] == 0);
  CHECK(compiled[1] == 0);  // |0| * 1
  // The central difference of |x| at 0 is 0 too: the check passes.
  CHECK(check_gradient(leibniz::abs(x) * y, x = 0.0, y = 3.0));
  CHECK(check_gradient(leibniz::abs(x) * y, x = -0.0, y = 3.0));
}

TEST_CASE("min and max at a tie split the gradient 1/2 : 1/2 in both modes (torch.minimum)") {
  for (const auto& [compiled, tape] :
       {both_modes(leibniz::min(x, y), 1.5, 1.5), both_modes(leibniz::max(x, y), 1.5, 1.5)}) {
    CHECK(compiled[0] == 0.5);
    CHECK(compiled[1] == 0.5);
    CHECK(tape[0] == 0.5);
    CHECK(tape[1] == 0.5);
  }
  // relu written as max(x, 0): 1/2 at 0, where torch.relu says 0 (torch.maximum says 1/2).
  const auto relu = both_modes(leibniz::max(x, 0_c) + 0_c * y, 0.0, 0.0);
  CHECK(std::get<0>(relu)[0] == 0.5);
  CHECK(std::get<1>(relu)[0] == 0.5);
  // The central difference at a tie is 1/2 as well: the check passes there.
  CHECK(check_gradient(leibniz::min(x, y), x = 1.5, y = 1.5));
  CHECK(check_gradient(leibniz::max(x, y) * x, x = -2.0, y = -2.0));
}

TEST_CASE("step and sign at 0: derivative 0 in both modes; finite differences see the jump") {
  const auto [compiled, tape] =
      both_modes(leibniz::step(x) * y + leibniz::sign(x) * y * y, 0.0, 2.0);
  CHECK(compiled[0] == 0);
  CHECK(tape[0] == 0);
  CHECK(compiled[1] == 0.5);  // step(0) = 1/2, sign(0) = 0
  CHECK(tape[1] == 0.5);
  // Only finite differences disagree: (step(h) - step(-h)) / 2h = 1/2h grows without bound.
  const leibniz::gradient_report r = check_gradient(leibniz::step(x) * y, x = 0.0, y = 2.0);
  CHECK_FALSE(r);
  CHECK(r.failures() == 1);
  CHECK(r["x"]["finite differences"].verdict == check_verdict::fail);
  CHECK(r["x"]["tape, op by op"].verdict == check_verdict::ok);
  CHECK(r["y"].passed());
}

TEST_CASE("0/0 and infinities at singular points: the same in both modes") {
  // sqrt(x^2) at 0: d = x / sqrt(x^2) = 0/0.
  {
    const auto [compiled, tape] = both_modes(leibniz::sqrt(x * x) + 0_c * y, 0.0, 1.0);
    CHECK(std::isnan(compiled[0]));
    CHECK(std::isnan(tape[0]));
  }
  // sqrt, cbrt and log at 0: infinite derivatives.
  {
    const auto [compiled, tape] = both_modes(leibniz::sqrt(x) + leibniz::cbrt(y), 0.0, 0.0);
    CHECK(compiled[0] == inf);
    CHECK(tape[0] == inf);
    CHECK(compiled[1] == inf);
    CHECK(tape[1] == inf);
  }
  {
    const auto [compiled, tape] = both_modes(leibniz::log(x) * y, 0.0, 1.0);
    CHECK(compiled[0] == inf);
    CHECK(tape[0] == inf);
    CHECK(compiled[1] == -inf);
    CHECK(tape[1] == -inf);
  }
  // Outside the domain, NaN propagates in both.
  {
    const auto [compiled, tape] = both_modes(leibniz::log(x) + leibniz::asin(y), -1.0, 2.0);
    CHECK(same(compiled[0], tape[0]));
    CHECK(std::isnan(compiled[1]));
    CHECK(std::isnan(tape[1]));
  }
  (void)nan;
}

}  // namespace
