// examples/tutorial/04_multiple_variables.cpp
// The seed tutorial's "More Complex Example: Multiple Variables": z = x^2 + y^2 at (2, 3),
// dz/dx = 2x = 4 and dz/dy = 2y = 6, from one backward().
#include <leibniz/leibniz.hpp>

#include "tutorial.hpp"

#include <iostream>

namespace tape = leibniz::tape;

// Static mode: gradient(z, x, y) is every first derivative, compiled to one forward and one
// reverse pass, and usable in constant expressions.
namespace static_mode {
constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;
constexpr auto z = pow<2>(x) + pow<2>(y);
constexpr auto dz = leibniz::gradient(z, x, y)(x = 2.0, y = 3.0);
static_assert(dz[0] == 4.0 && dz[1] == 6.0);
static_assert(leibniz::to_string(leibniz::d(z, x)) == "2*x");
static_assert(leibniz::to_string(leibniz::d(z, y)) == "2*y");
}  // namespace static_mode

int main() {
  // Two vars with gradient tracking
  tape::var x{2.0, leibniz::requires_grad};
  tape::var y{3.0, leibniz::requires_grad};
  std::cout << "x = " << x << "\n"
            << "y = " << y << "\n\n";

  // z = x^2 + y^2
  tape::var z = pow(x, 2) + pow(y, 2);
  std::cout << "z = x^2 + y^2 = " << z << "\n\n";

  // One backward() gives the gradient with respect to every leaf z depends on.
  z.backward();
  std::cout << "Gradient with respect to x (dz/dx): " << *x.grad() << "\n"
            << "Gradient with respect to y (dz/dy): " << *y.grad() << "\n\n";

  // dz/dx = 2x = 2 * 2 = 4, dz/dy = 2y = 2 * 3 = 6
  std::cout << "Manual check:\n"
            << "dz/dx = 2x = " << 2 * 2 << "\n"
            << "dz/dy = 2y = " << 2 * 3 << "\n\n";

  using static_mode::dz;
  std::cout << "static mode: z = " << static_mode::z << ", gradient (" << dz[0] << ", " << dz[1]
            << ")\n";
  return tutorial::agree("(dz/dx, dz/dy)", {*x.grad(), *y.grad()}, {dz[0], dz[1]}) ? 0 : 1;
}
