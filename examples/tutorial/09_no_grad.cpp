// examples/tutorial/09_no_grad.cpp
// The seed tutorial's "Using torch.no_grad()": while a leibniz::no_grad guard lives, nothing
// is recorded on this thread, and results do not require grad.
#include <leibniz/leibniz.hpp>

#include "tutorial.hpp"

#include <iostream>

namespace tape = leibniz::tape;

// Static mode never records: evaluating an expression is plain arithmetic, as under no_grad.
namespace static_mode {
constexpr leibniz::variable<"x"> x;
constexpr auto y = pow<2>(x);
constexpr double y_value = y(x = 2.0);
static_assert(y_value == 4.0);
}  // namespace static_mode

int main() {
  std::cout << std::boolalpha;

  tape::var x{2.0, leibniz::requires_grad};

  // Normal computation (tracks gradients)
  tape::var y1 = pow(x, 2);
  std::cout << "With gradient tracking:\n"
            << "y1.requires_grad = " << y1.requires_grad() << "\n\n";

  // Inside a no_grad scope (with torch.no_grad(): in Python), nothing is tracked.
  tape::var y2;
  {
    leibniz::no_grad guard;
    y2 = pow(x, 2);
    std::cout << "Inside no_grad context:\n"
              << "y2.requires_grad = " << y2.requires_grad() << "\n"
              << "y2 value = " << y2.value() << "\n\n";
  }

  std::cout << "Outside no_grad context:\n"
            << "y2.requires_grad = " << y2.requires_grad() << "  (still false)\n"
            << "tracking is back on: pow(x, 2).requires_grad = " << pow(x, 2).requires_grad()
            << "\n\n";

  std::cout << "static mode: y(x = 2) = " << static_mode::y_value
            << ", computed without recording anything\n";
  return tutorial::agree("y2", {y2.value()}, {static_mode::y_value}) ? 0 : 1;
}
