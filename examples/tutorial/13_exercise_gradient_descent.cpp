// examples/tutorial/13_exercise_gradient_descent.cpp
// The seed tutorial's Exercise 3: minimise f(x) = (x - 3)^2 by gradient descent from x = 0,
// learning rate 0.1, 20 iterations; each step is x <- x - 0.2 (x - 3), so x = 3 - 3 * 0.8^k
// reaches 2.9654, within 0.1 of the minimum at 3.
//
//   13_exercise_gradient_descent [DIR]   writes DIR/exercise_descent.{svg,png} (x by
//                                        iteration), its data exercise_descent.csv and its
//                                        gnuplot script
//                                        (DIR: else $LEIBNIZ_FIGURES, else ./figures)
#include <leibniz/leibniz.hpp>

#include "tutorial.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <iostream>
#include <vector>

namespace tape = leibniz::tape;

constexpr double learning_rate = 0.1;
constexpr int steps = 20;

// Static mode: d((x - 3)^2, x) = 2*x - 6 at compile time, and the descent in a constant
// expression.
namespace static_mode {
constexpr leibniz::variable<"x"> x;
constexpr auto f = pow<2>(x - 3.0);
static_assert(leibniz::to_string(leibniz::d(f, x)) == "2*x - 6");
constexpr std::array<double, steps + 1> descent() {
  std::array<double, steps + 1> path{0.0};
  for (std::size_t k = 0; k < steps; ++k)
    path[k + 1] = path[k] - learning_rate * leibniz::d(f, x)(x = path[k]);
  return path;
}
constexpr auto path = descent();
static_assert(path[steps] > 2.9 && path[steps] < 3.1);  // converged: within 0.1 of 3
}  // namespace static_mode

int main(int argc, char** argv) {
  const auto dir = tutorial::figure_directory(argc, argv);

  tape::var x{0.0, leibniz::requires_grad};
  std::vector<std::vector<double>> history{{0.0, x.item()}};

  std::printf("Gradient Descent to minimize f(x) = (x - 3)^2\n");
  std::printf("==================================================\n");

  for (int step = 0; step < steps; ++step) {
    tape::var f = pow(x - 3, 2);
    f.backward();

    {
      leibniz::no_grad guard;
      x -= learning_rate * x.grad().value();
    }

    x.zero_grad();
    history.push_back({step + 1.0, x.item()});

    if (step % 5 == 0) std::printf("Step %d: x = %.4f, f(x) = %.4f\n", step, x.item(), f.item());
  }

  std::printf("\nFinal: x = %.4f (expected: 3.0)\n", x.item());
  std::printf("Converged: %s\n\n", std::abs(x.item() - 3.0) < 0.1 ? "true" : "false");

  tutorial::draw_exercise_descent(dir, history);  // x by iteration; tutorial.hpp has the script

  std::printf("static mode: df/dx = 2*x - 6; x_20 = %.4f at compile time (static_assert'ed)\n",
              static_mode::path[steps]);
  std::vector<double> tape_path;
  for (const auto& row : history) tape_path.push_back(row[1]);
  return tutorial::agree("the iterates x_0, ..., x_20", tape_path,
                         {static_mode::path.begin(), static_mode::path.end()})
             ? 0
             : 1;
}
