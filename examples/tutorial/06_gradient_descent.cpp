// examples/tutorial/06_gradient_descent.cpp
// The seed tutorial's "Gradient Descent: The Core of Training" and "Visualizing Gradient
// Descent": minimise y = x^2 from x = 5 with learning rate 0.1 for 20 steps; each step is
// x <- x - 0.1 * 2x = 0.8 x, so x reaches 5 * 0.8^20 = 0.0576.
//
//   06_gradient_descent [DIR]   writes DIR/descent_path.{svg,png} (the path on the curve),
//                               DIR/descent_convergence.{svg,png} (y by iteration), their data
//                               descent.csv and descent_curve.csv, and their gnuplot scripts
//                               (DIR: else $LEIBNIZ_FIGURES, else ./figures)
#include <leibniz/leibniz.hpp>

#include "tutorial.hpp"

#include <array>
#include <cstddef>
#include <cstdio>
#include <iostream>
#include <vector>

namespace tape = leibniz::tape;

constexpr double learning_rate = 0.1;
constexpr int steps = 20;

// Static mode: the same descent in a constant expression, with the derivative 2*x found at
// compile time. It returns every iterate x_0 = 5, ..., x_20.
namespace static_mode {
constexpr leibniz::variable<"x"> x;
constexpr auto y = pow<2>(x);
constexpr std::array<double, steps + 1> descent() {
  std::array<double, steps + 1> path{5.0};
  for (std::size_t k = 0; k < steps; ++k)
    path[k + 1] = path[k] - learning_rate * leibniz::d(y, x)(x = path[k]);
  return path;
}
constexpr auto path = descent();
static_assert(path[steps] > 0.0576 && path[steps] < 0.0577);  // 5 * 0.8^20 = 0.057646...
}  // namespace static_mode

int main(int argc, char** argv) {
  const auto dir = tutorial::figure_directory(argc, argv);

  // Starting point, far from the minimum at 0
  tape::var x{5.0, leibniz::requires_grad};

  // The iterates (x_k, y_k) before each step, and the last x: the path drawn below.
  std::vector<std::vector<double>> history;

  std::printf("Gradient Descent to minimize y = x^2\n");
  std::printf("==================================================\n");
  std::printf("Starting point: x = %.2f\n", x.item());

  double last_y = 0.0;
  for (int step = 0; step < steps; ++step) {
    // Compute the function value
    tape::var y = pow(x, 2);
    history.push_back({static_cast<double>(step), x.item(), y.item()});

    // Compute the gradient
    y.backward();

    // Move against the gradient: x_new = x_old - learning_rate * gradient. The update itself is
    // not to be recorded (with torch.no_grad(): in Python).
    {
      leibniz::no_grad guard;
      x -= learning_rate * x.grad().value();
    }

    // Zero the gradient for the next iteration
    x.zero_grad();

    last_y = y.item();
    if (step % 5 == 0)
      std::printf("Step %d: x = %.4f, y = %.4f, gradient = %s\n", step, x.item(), y.item(),
                  x.grad() ? "zeroed" : "None");
  }
  history.push_back({static_cast<double>(steps), x.item(), x.item() * x.item()});

  std::printf("\nFinal: x = %.4f, y = %.4f\n", x.item(), last_y);
  std::printf("Expected minimum: x = 0.0, y = 0.0\n\n");

  // The two figures: the path on the curve, and y by iteration (tutorial.hpp has their gnuplot
  // scripts).
  tutorial::draw_descent(dir, history);
  std::printf("Notice how the algorithm converges to x=0, y=0 (the minimum)!\n\n");

  // Static mode, beside it: the same 21 iterates, derived and run by the compiler.
  std::printf("static mode: dy/dx = 2*x; x_20 = %.4f at compile time (static_assert'ed)\n",
              static_mode::path[steps]);
  std::vector<double> tape_path;
  for (const auto& row : history) tape_path.push_back(row[1]);
  return tutorial::agree("the iterates x_0, ..., x_20", tape_path,
                         {static_mode::path.begin(), static_mode::path.end()})
             ? 0
             : 1;
}
