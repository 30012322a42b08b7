// examples/tutorial/12_exercise_multiple_variables.cpp
// The seed tutorial's Exercise 2: z = x^2 y + x y^2 at (2, 3): dz/dx = 2xy + y^2 = 21 and
// dz/dy = x^2 + 2xy = 16.
#include <leibniz/leibniz.hpp>

#include "tutorial.hpp"

#include <iostream>

namespace tape = leibniz::tape;

namespace static_mode {
constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;
constexpr auto z = pow<2>(x) * y + x * pow<2>(y);
static_assert(leibniz::to_string(leibniz::d(z, x)) == "2*x*y + y^2");
static_assert(leibniz::to_string(leibniz::d(z, y)) == "x^2 + 2*x*y");
constexpr auto dz = leibniz::gradient(z, x, y)(x = 2.0, y = 3.0);
static_assert(dz[0] == 21.0 && dz[1] == 16.0);
}  // namespace static_mode

int main() {
  tape::var x{2.0, leibniz::requires_grad};
  tape::var y{3.0, leibniz::requires_grad};

  tape::var z = pow(x, 2) * y + x * pow(y, 2);

  std::cout << "x = " << x.item() << ", y = " << y.item() << "\n"
            << "z = x^2y + xy^2 = " << z.item() << "\n";

  z.backward();

  std::cout << "\nGradient dz/dx = " << x.grad().value() << "\n"
            << "Gradient dz/dy = " << y.grad().value() << "\n";

  std::cout << "\nManual check:\n"
            << "dz/dx = 2xy + y^2 = 2(2)(3) + 3^2 = " << 2 * 2 * 3 + 3 * 3 << "\n"
            << "dz/dy = x^2 + 2xy = 2^2 + 2(2)(3) = " << 2 * 2 + 2 * 2 * 3 << "\n\n";

  using static_mode::dz;
  std::cout << "static mode: dz/dx = " << leibniz::d(static_mode::z, static_mode::x) << " = "
            << dz[0] << ", dz/dy = " << leibniz::d(static_mode::z, static_mode::y) << " = " << dz[1]
            << "\n";
  return tutorial::agree("(dz/dx, dz/dy)", {*x.grad(), *y.grad()}, {dz[0], dz[1]}) ? 0 : 1;
}
