// tests/runtime/check_static_on_tape.cpp
// Static expressions on tape vars, both ways: evaluated op by op (each op an entry of the
// tape) and recorded as one static block (tape::apply, partials from the compiled gradient).
// Their tape gradients against the static engine's, for every op of the table; static blocks
// inside dynamic graphs against finite differences.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace leibniz::literals;
using leibniz::tape::var;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;

constexpr double eps = std::numeric_limits<double>::epsilon();

/// a and b within `ulps` units of the larger magnitude (both 0 counts).
bool within_ulps(double a, double b, double ulps) {
  return std::fabs(a - b) <= ulps * eps * std::fmax(std::fabs(a), std::fabs(b));
}

/// f at (a, b): the compiled gradient, the tape op by op and the tape with f as one block.
template <class E>
void check_both_ways(const E& f, double a, double b) {
  INFO(leibniz::to_string(f) << " at x = " << a << ", y = " << b);
  const auto compiled = leibniz::gradient(f, x, y)(x = a, y = b);
  const double value = f(x = a, y = b);

  const auto [op_value, op_gradient] = leibniz::tape::value_and_gradient(
      [&](const var& u, const var& v) { return f(x = u, y = v); }, a, b);
  CHECK(op_value == value);  // the same ops on the same numbers, in the same order
  CHECK(within_ulps(std::get<0>(op_gradient), compiled[0], 4));
  CHECK(within_ulps(std::get<1>(op_gradient), compiled[1], 4));

  const auto [block_value, block_gradient] = leibniz::tape::value_and_gradient(
      [&](const var& u, const var& v) { return leibniz::tape::apply(f, x = u, y = v); }, a, b);
  CHECK(block_value == value);
  CHECK(std::get<0>(block_gradient) == compiled[0]);  // the block's partials are the compiled
  CHECK(std::get<1>(block_gradient) == compiled[1]);  // gradient: bit for bit
}

TEST_CASE("arithmetic and powers: tape op by op and as a block agree with the static gradient") {
  check_both_ways(x + y, 0.75, -1.5);
  check_both_ways(x - y, 0.75, -1.5);
  check_both_ways(x * y, 0.75, -1.5);
  check_both_ways(x / y, 0.75, -1.5);
  check_both_ways(-x * y + 3_c * x - y / 2_c + 0.25, 0.75, -1.5);
  check_both_ways(x * x * y + x * y * y, 0.75, -1.5);  // like factors collected: x^2*y
  check_both_ways(leibniz::pow<3>(x) * leibniz::pow<-2>(y), -0.75, -1.5);
  check_both_ways(leibniz::sqrt(x) + leibniz::cbrt(y), 0.75, -1.5);
  check_both_ways(leibniz::pow<2, 3>(y) * leibniz::pow<-1, 2>(x), 0.75, -1.5);
  check_both_ways(leibniz::pow(x, 2.5) * leibniz::pow(x, y), 0.75, -1.5);
  check_both_ways(leibniz::pow(2_c, x * y), 0.75, -1.5);
}

TEST_CASE("exponential, trigonometric and hyperbolic functions: both ways agree") {
  check_both_ways(leibniz::exp(x * y) + leibniz::expm1(x), 0.75, -1.5);
  check_both_ways(leibniz::log(x) * leibniz::log1p(y * y), 0.75, -1.5);
  check_both_ways(leibniz::sin(x) * leibniz::cos(y) + leibniz::tan(x * y), 0.75, -0.5);
  check_both_ways(leibniz::asin(x) + leibniz::acos(x * y) + leibniz::atan(y), 0.75, -0.5);
  check_both_ways(leibniz::sinh(x) * leibniz::cosh(y) + leibniz::tanh(x * y), 0.75, -1.5);
  check_both_ways(leibniz::erf(x * y) + leibniz::sigmoid(x - y), 0.75, -1.5);
  check_both_ways(x * leibniz::pi + leibniz::exp(-leibniz::pow<2>(x)) / leibniz::sqrt(leibniz::pi),
                  0.75, -1.5);
}

TEST_CASE("kinks: abs, sign, step, min and max agree both ways, at their kinks too") {
  check_both_ways(leibniz::abs(x) * y + leibniz::sign(y) * x, -0.75, 1.5);
  check_both_ways(leibniz::step(x) * y + leibniz::min(x, y) + leibniz::max(x * y, x), -0.75, 1.5);
  check_both_ways(leibniz::abs(x) * y + leibniz::sign(x) * y, 0.0, 1.5);
  check_both_ways(leibniz::step(x) * y + leibniz::min(x, y) * leibniz::max(x, y), 1.5, 1.5);
}

TEST_CASE("the static block is one tape entry, named by its expression") {
  constexpr auto f = x * x * leibniz::sin(y);
  var a{0.5, leibniz::requires_grad};
  var b{2.0, leibniz::requires_grad};
  const var block = leibniz::tape::apply(f, x = a, y = b);
  CHECK(block.grad_fn() == leibniz::to_string(f).view());
  const var op_by_op = f(x = a, y = b);
  CHECK(op_by_op.grad_fn() == "mul");  // its last op
  block.backward();
  CHECK(*a.grad() == doctest::Approx(2 * 0.5 * std::sin(2.0)));
  CHECK(*b.grad() == doctest::Approx(0.25 * std::cos(2.0)));
}

TEST_CASE(
    "a static block inside a dynamic graph: the chain rule through it, against finite "
    "differences") {
  constexpr auto cell = leibniz::tanh(x * 0.8 + y * 1.3 - 0.2);
  // A recurrence h <- cell(x = input, y = h), unrolled at run time: each step one block.
  const auto recurrence = [&](const var& input, const var& h0) {
    var h = h0;
    for (int step = 0; step < 6; ++step)
      h = leibniz::tape::apply(cell, x = input * (1.0 + 0.1 * step), y = h);
    return h * h;
  };
  const leibniz::gradient_report r = leibniz::check_gradient(recurrence, 0.3, -0.4);
  CHECK(r);

  // The same recurrence op by op gives the same gradient.
  const auto op_by_op = [&](const var& input, const var& h0) {
    var h = h0;
    for (int step = 0; step < 6; ++step) h = cell(x = input * (1.0 + 0.1 * step), y = h);
    return h * h;
  };
  const auto [v1, g1] = leibniz::tape::value_and_gradient(recurrence, 0.3, -0.4);
  const auto [v2, g2] = leibniz::tape::value_and_gradient(op_by_op, 0.3, -0.4);
  CHECK(within_ulps(v1, v2, 4));
  CHECK(within_ulps(std::get<0>(g1), std::get<0>(g2), 16));
  CHECK(within_ulps(std::get<1>(g1), std::get<1>(g2), 16));
}

TEST_CASE("a static expression whose bindings are results of tape ops") {
  constexpr auto f = leibniz::log(x) * y + leibniz::exp(x * y);
  const auto composed = [&](const var& a, const var& b) {
    const var u = a * a + 1.0;      // recorded
    const var v = leibniz::sin(b);  // recorded
    return leibniz::tape::apply(f, x = u, y = v) + f(x = u, y = v);
  };
  CHECK(leibniz::check_gradient(composed, 0.7, 1.1));
}

}  // namespace
