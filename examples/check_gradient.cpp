// examples/check_gradient.cpp
// check_gradient, the counterpart of torch.autograd.gradcheck: a gradient computed every way
// leibniz can, each held against a long double reference, and printed as a table; and its
// compile-time form, matches_finite_differences.
#include <leibniz/leibniz.hpp>

#include <iostream>

int main() {
  constexpr leibniz::variable<"x"> x;
  constexpr leibniz::variable<"y"> y;
  constexpr auto f = x * x * leibniz::sin(y) + leibniz::exp(x / y);

  // At compile time: the symbolic gradient against constexpr finite differences.
  static_assert(leibniz::matches_finite_differences(f, x = 2.0, y = 3.0));

  // At run time: d(f, x) in double, the compiled gradient, the tape (op by op, and f as one
  // static block), the complex step and finite differences, against d(f, x) in long double.
  const leibniz::gradient_report report = leibniz::check_gradient(f, x = 2.0, y = 3.0);
  std::cout << report;  // as doctest shows it when CHECK(check_gradient(...)) fails

  // A function of tape variables: the tape's gradient against finite differences.
  const auto g = [](const leibniz::tape::var& a, const leibniz::tape::var& b) {
    return a * leibniz::log1p(b * b);
  };
  const leibniz::gradient_report tape_report = leibniz::check_gradient(g, 1.5, -0.5);
  std::cout << tape_report;
  return report && tape_report ? 0 : 1;  // a report converts to bool: true when all agree
}
