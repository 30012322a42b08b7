// examples/tutorial/11_exercise_simple_gradient.cpp
// The seed tutorial's Exercise 1: y = 3x^2 + 2x + 1 at x = 4, dy/dx = 6x + 2 = 26.
#include <leibniz/leibniz.hpp>

#include "tutorial.hpp"

#include <cmath>
#include <iostream>

namespace tape = leibniz::tape;

namespace static_mode {
constexpr leibniz::variable<"x"> x;
constexpr auto y = 3 * pow<2>(x) + 2 * x + 1;
static_assert(leibniz::to_string(leibniz::d(y, x)) == "6*x + 2");
static_assert(leibniz::d(y, x)(x = 4.0) == 26.0);
static_assert(y(x = 4.0) == 57.0);
}  // namespace static_mode

int main() {
  std::cout << std::boolalpha;

  tape::var x{4.0, leibniz::requires_grad};
  tape::var y = 3 * pow(x, 2) + 2 * x + 1;

  std::cout << "x = " << x.item() << "\n"
            << "y = 3x^2 + 2x + 1 = " << y.item() << "\n";

  y.backward();
  std::cout << "\nGradient dy/dx = " << x.grad().value() << "\n"
            << "Manual check: 6x + 2 = " << 6 * 4 + 2 << "\n"
            << "Match: " << (std::abs(x.grad().value() - 26) < 0.0001) << "\n\n";

  constexpr double dy_dx = leibniz::d(static_mode::y, static_mode::x)(static_mode::x = 4.0);
  std::cout << "static mode: d(" << static_mode::y
            << ")/dx = " << leibniz::d(static_mode::y, static_mode::x) << " = " << dy_dx
            << " at x = 4\n";
  return tutorial::agree("dy/dx", {*x.grad()}, {dy_dx}) ? 0 : 1;
}
