// examples/tutorial/01_requires_grad.cpp
// The seed tutorial's "Understanding requires_grad": a var made with leibniz::requires_grad is
// a leaf whose uses are recorded, so that gradients can be computed later; a plain var is a
// constant.
#include <leibniz/leibniz.hpp>

#include <iostream>

namespace tape = leibniz::tape;

// Static mode has no switch to turn on: an expression can be differentiated with respect to
// any of its variables, and the numbers in it are constants.
namespace static_mode {
constexpr leibniz::variable<"x"> x;
constexpr auto y = 2.0 * x + 3.0;
static_assert(leibniz::to_string(leibniz::d(y, x)) == "2");
static_assert(leibniz::d(y, x)(x = 2.0) == 2.0);
}  // namespace static_mode

int main() {
  std::cout << std::boolalpha;

  // A regular var, no gradient tracking: torch.tensor(2.0)
  const tape::var x_normal{2.0};
  std::cout << "Normal tensor: " << x_normal << "\n"
            << "requires_grad: " << x_normal.requires_grad() << "\n\n";

  // A var with gradient tracking: torch.tensor(2.0, requires_grad=True). This tells leibniz:
  // "I want gradients with respect to this var"; what is computed from it is recorded on this
  // thread's tape.
  const tape::var x{2.0, leibniz::requires_grad};
  std::cout << "Tensor with gradient tracking:\n"
            << "Value: " << x << "\n"
            << "requires_grad: " << x.requires_grad() << "\n"
            << "is_leaf: " << x.is_leaf() << ", grad: " << (x.grad() ? "a number" : "none yet")
            << "\n\n";

  // What is computed from it requires grad too, and says which op made it; from constants, not.
  const tape::var y = 2.0 * x + 3.0;
  const tape::var y_normal = 2.0 * x_normal + 3.0;
  std::cout << "2*x + 3 = " << y << ", requires_grad: " << y.requires_grad() << "\n"
            << "2*x_normal + 3 = " << y_normal << ", requires_grad: " << y_normal.requires_grad()
            << "\n\n";

  std::cout << "static mode: nothing to switch on; y = " << static_mode::y
            << ", dy/dx = " << leibniz::d(static_mode::y, static_mode::x)
            << " (static_assert'ed)\n";
  return 0;
}
