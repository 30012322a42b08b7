// examples/tutorial/02_simple_gradient.cpp
// The seed tutorial's "Simple Example: Computing a Gradient": y = x^2 at x = 3, dy/dx = 6.
#include <leibniz/leibniz.hpp>

#include "tutorial.hpp"

#include <cmath>
#include <iostream>

namespace tape = leibniz::tape;

// Static mode, beside it: the derivative is an expression, found at compile time. pow<2>(x)
// puts the exponent in the type, so that d(y, x) simplifies to 2*x.
namespace static_mode {
constexpr leibniz::variable<"x"> x;
constexpr auto y = pow<2>(x);
static_assert(leibniz::to_string(leibniz::d(y, x)) == "2*x");
static_assert(leibniz::d(y, x)(x = 3.0) == 6.0);
}  // namespace static_mode

int main() {
  std::cout << std::boolalpha;

  // A var we want the gradient for: torch.tensor(3.0, requires_grad=True)
  tape::var x{3.0, leibniz::requires_grad};
  std::cout << "x = " << x << "\n\n";

  // y = x^2 (x ** 2 in Python), recorded as it is computed
  tape::var y = pow(x, 2);
  std::cout << "y = x^2 = " << y << "\n\n";

  // Now compute the gradient: backward() sweeps the recorded graph from y back to x.
  y.backward();
  std::cout << "Gradient dy/dx = " << *x.grad() << "\n\n";

  // For y = x^2, dy/dx = 2x: at x = 3, 2 * 3 = 6.
  std::cout << "Manual calculation: 2 * x = 2 * 3 = " << 2 * 3 << "\n"
            << "leibniz gradient: " << x.grad().value() << "\n"
            << "Match! " << (std::abs(x.grad().value() - 6) < 0.0001) << "\n\n";

  constexpr double dy_dx = leibniz::d(static_mode::y, static_mode::x)(static_mode::x = 3.0);
  std::cout << "static mode: d(" << static_mode::y
            << ")/dx = " << leibniz::d(static_mode::y, static_mode::x) << " = " << dy_dx
            << " at x = 3\n";
  return tutorial::agree("dy/dx", {*x.grad()}, {dy_dx}) ? 0 : 1;
}
