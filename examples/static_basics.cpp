// examples/static_basics.cpp
// Static mode in a page: an expression is a type, its derivative is a new type, both evaluate
// at compile time and print themselves; the compiled gradient is one forward and one reverse
// pass, as a hand-written gradient would be.
#include <leibniz/leibniz.hpp>

#include <iostream>

int main() {
  constexpr leibniz::variable<"x"> x;
  constexpr leibniz::variable<"y"> y;

  constexpr auto z = x * x + y * y;  // a type: the expression tree
  static_assert(leibniz::d(z, x)(x = 2.0, y = 3.0) == 4.0);
  static_assert(leibniz::to_string(leibniz::d(z, x)) == "2*x");  // simplified, not 1*x + x*1

  const auto [dz_dx, dz_dy] = leibniz::gradient(z, x, y)(x = 2.0, y = 3.0);
  std::cout << "z = " << z << "\n"
            << "dz/dx = " << leibniz::d(z, x) << " = " << dz_dx << "\n"
            << "dz/dy = " << leibniz::d(z, y) << " = " << dz_dy << "\n";

  // Any function of the op table, higher orders by nesting, and LaTeX for the report.
  constexpr auto f = leibniz::sin(x * y) * leibniz::exp(-x);
  std::cout << "d/dx " << f << " = " << leibniz::d(f, x) << "\n"
            << "d2/dxdy = " << leibniz::d(leibniz::d(f, x), y) << "\n"
            << "LaTeX: " << leibniz::to_latex(leibniz::d(f, x)) << "\n";
}
