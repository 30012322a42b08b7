// examples/tutorial/03_zeroing_gradients.cpp
// The seed tutorial's "Important: Zeroing Gradients": gradients accumulate across backward()
// calls (4, then 8) until zero_grad() (0), and the next backward() gives 4 again.
#include <leibniz/leibniz.hpp>

#include "tutorial.hpp"

#include <iostream>

namespace tape = leibniz::tape;

// Static mode: a gradient is a value that is returned, not accumulated anywhere, so there is
// nothing to zero; adding two of them is something you write.
namespace static_mode {
constexpr leibniz::variable<"x"> x;
constexpr auto y = pow<2>(x);
constexpr double dy_dx = leibniz::d(y, x)(x = 2.0);
static_assert(dy_dx == 4.0);
static_assert(dy_dx + dy_dx == 8.0);
}  // namespace static_mode

int main() {
  tape::var x{2.0, leibniz::requires_grad};
  tape::var y = pow(x, 2);

  // First backward pass. retain_graph keeps the graph for the second one: by default (as in
  // PyTorch, where the seed's second y.backward() raises) backward() releases it.
  y.backward({.retain_graph = true});
  std::cout << "After first backward(): " << *x.grad() << "\n";
  const double first = *x.grad();

  // Second backward pass: gradients accumulate!
  y.backward();
  std::cout << "After second backward(): " << *x.grad() << "  (doubled)\n";
  const double second = *x.grad();

  // Zero the gradient (torch: x.grad.zero_())
  x.zero_grad();
  std::cout << "After zeroing: " << *x.grad() << "\n";

  // Now compute again
  y = pow(x, 2);
  y.backward();
  std::cout << "After new backward(): " << *x.grad() << "  (back to the correct value)\n\n";

  // The graph of y was released by that backward(): another one says what to do.
  try {
    y.backward();
  } catch (const tape::graph_released& e) {
    std::cout << "A third backward() through a released graph throws tape::graph_released:\n  "
              << e.what() << "\n\n";
  }

  std::cout << "static mode: d(" << static_mode::y << ")/dx at 2 = " << static_mode::dy_dx
            << " on every call; adding two is 8 only if you add them\n";
  return tutorial::agree("first and second backward()", {first, second},
                         {static_mode::dy_dx, static_mode::dy_dx + static_mode::dy_dx})
             ? 0
             : 1;
}
