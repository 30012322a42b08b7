// examples/tutorial/08_detach.cpp
// The seed tutorial's "Detaching from the Computation Graph": y.detach() is y's value as a
// constant, cut from the graph: it requires no grad and has no grad_fn.
#include <leibniz/leibniz.hpp>

#include "tutorial.hpp"

#include <iostream>

namespace tape = leibniz::tape;

// Static mode records nothing, so there is nothing to detach from: evaluating an expression
// gives a plain double, which is what y.detach() gives in tape mode.
namespace static_mode {
constexpr leibniz::variable<"x"> x;
constexpr auto y = pow<2>(x);
constexpr double y_value = y(x = 2.0);
static_assert(y_value == 4.0);
}  // namespace static_mode

int main() {
  std::cout << std::boolalpha;

  tape::var x{2.0, leibniz::requires_grad};
  tape::var y = pow(x, 2);

  // grad_fn() names the op that made the var (torch prints <PowBackward0 object at ...>)
  std::cout << "Before detaching:\n"
            << "y.requires_grad = " << y.requires_grad() << "\n"
            << "y.grad_fn = " << y.grad_fn().value_or("None") << "\n\n";

  // Detach: a new var with y's value, without gradient tracking
  const tape::var y_detached = y.detach();
  std::cout << "After detaching:\n"
            << "y_detached.requires_grad = " << y_detached.requires_grad() << "\n"
            << "y_detached.grad_fn = " << y_detached.grad_fn().value_or("None") << "\n"
            << "y_detached = " << y_detached << "\n\n";

  // Common use: using a value without tracking gradients through it. Here the detached factor
  // is a constant, so d(y_detached * x)/dx = y_detached = 4, not 3x^2 = 12.
  tape::var w = y_detached * x;
  w.backward();
  std::cout << "d(y_detached * x)/dx = " << *x.grad() << " (y_detached is a constant)\n\n";

  std::cout << "static mode: y(x = 2) = " << static_mode::y_value << ", a plain double\n";
  return tutorial::agree("y", {y_detached.value()}, {static_mode::y_value}) ? 0 : 1;
}
