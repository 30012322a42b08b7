// examples/tour.cpp
// The guided tour: the PyTorch autograd tutorial that our users learned from, every section in
// one run, a line or two each, in tape mode (PyTorch's semantics) with static mode (derivatives
// at compile time) beside it; and its figures. scripts/demo builds and runs it. Each section is
// a program of its own, with the seed's full output, in examples/tutorial/ (docs/tutorial.md).
//
//   tour [DIR]   writes the figures into DIR (else $LEIBNIZ_FIGURES, else ./figures)
#include <leibniz/leibniz.hpp>

#include "tutorial/tutorial.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <vector>

namespace tape = leibniz::tape;
using leibniz::requires_grad;

// Static mode: expressions are types, derivatives are found and checked at compile time. The
// tour prints them beside tape mode's numbers.
namespace static_mode {
constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;

constexpr auto square = pow<2>(x);
constexpr auto dsquare = leibniz::d(square, x);  // 2*x
static_assert(dsquare(x = 3.0) == 6.0);
constexpr auto cube = pow<3>(x);

constexpr auto z = pow<2>(x) + pow<2>(y);
constexpr auto dz = leibniz::gradient(z, x, y)(x = 2.0, y = 3.0);
static_assert(dz == std::array{4.0, 6.0});

constexpr auto product = (x + y) * (x - y);
constexpr auto dproduct = leibniz::gradient(product, x, y)(x = 3.0, y = 2.0);
static_assert(dproduct == std::array{6.0, -4.0});

constexpr auto exercise1 = 3 * pow<2>(x) + 2 * x + 1;
constexpr double dexercise1 = leibniz::d(exercise1, x)(x = 4.0);
static_assert(dexercise1 == 26.0);

constexpr auto exercise2 = pow<2>(x) * y + x * pow<2>(y);
constexpr auto dexercise2 = leibniz::gradient(exercise2, x, y)(x = 2.0, y = 3.0);
static_assert(dexercise2 == std::array{21.0, 16.0});
}  // namespace static_mode
namespace sm = static_mode;

namespace {

bool all_agree = true;

/// Notes whether a tape-mode number equals its static-mode twin, bit for bit.
void same(double tape_value, double static_value) {
  all_agree = all_agree && tape_value == static_value;
}

/// Gradient descent on (x - target)^2 from `start`, as the seed writes it: 20 steps of
/// learning rate 0.1. Returns the rows (k, x_k, f(x_k)) for k = 0..20.
std::vector<std::vector<double>> descend(double start, double target) {
  tape::var x{start, requires_grad};
  std::vector<std::vector<double>> history;
  for (int step = 0; step < 20; ++step) {
    tape::var f = pow(x - target, 2);
    history.push_back({static_cast<double>(step), x.item(), f.item()});
    f.backward();
    {
      leibniz::no_grad guard;  // the update is not recorded
      x -= 0.1 * *x.grad();
    }
    x.zero_grad();  // gradients accumulate: zero them for the next step
  }
  history.push_back({20.0, x.item(), std::pow(x.item() - target, 2)});
  return history;
}

/// The seed's "Understanding requires_grad".
void section_requires_grad() {
  const tape::var x_normal{2.0};
  const tape::var x{2.0, requires_grad};
  std::cout << "1. requires_grad: " << x_normal << " requires no grad; " << x << " does\n";
}

/// The seed's "Simple Example: Computing a Gradient".
void section_simple_gradient() {
  tape::var x{3.0, requires_grad};
  tape::var y = pow(x, 2);
  y.backward();
  std::cout << "2. y = x^2 at 3: dy/dx = " << *x.grad() << " (static: d(x^2)/dx = " << sm::dsquare
            << " = " << sm::dsquare(sm::x = 3.0) << ")\n";
  same(*x.grad(), sm::dsquare(sm::x = 3.0));
}

/// The seed's "Important: Zeroing Gradients".
void section_zeroing_gradients() {
  tape::var x{2.0, requires_grad};
  tape::var y = pow(x, 2);
  y.backward({.retain_graph = true});
  const double first = *x.grad();
  y.backward();
  const double second = *x.grad();
  x.zero_grad();
  const double zeroed = *x.grad();
  y = pow(x, 2);
  y.backward();
  std::cout << "3. gradients accumulate: " << first << ", then " << second
            << "; zero_grad(): " << zeroed << "; backward() again: " << *x.grad() << "\n";
}

/// The seed's "More Complex Example: Multiple Variables".
void section_multiple_variables() {
  tape::var x{2.0, requires_grad};
  tape::var y{3.0, requires_grad};
  tape::var z = pow(x, 2) + pow(y, 2);
  z.backward();
  std::cout << "4. z = x^2 + y^2 at (2, 3): dz/dx = " << *x.grad() << ", dz/dy = " << *y.grad()
            << " (static: " << sm::dz[0] << ", " << sm::dz[1] << ")\n";
  same(*x.grad(), sm::dz[0]);
  same(*y.grad(), sm::dz[1]);
}

/// The seed's "Visualizing Gradients".
void section_visualizing_gradients(const std::filesystem::path& dir) {
  std::vector<std::vector<double>> points;
  std::cout << "5. slopes of y = x^2 at -2, -1, 0, 1, 2:";
  for (double p : {-2.0, -1.0, 0.0, 1.0, 2.0}) {
    tape::var x{p, requires_grad};
    pow(x, 2).backward();
    std::cout << (p == -2.0 ? " " : ", ") << *x.grad();
    points.push_back({p, p * p, *x.grad()});
    same(*x.grad(), sm::dsquare(sm::x = p));
  }
  std::cout << "\n";
  tutorial::draw_gradients(dir, points);
}

/// The seed's "Gradient Descent, and Visualizing Gradient Descent".
void section_gradient_descent(const std::filesystem::path& dir) {
  const auto history = descend(5.0, 0.0);
  std::printf("6. gradient descent on y = x^2 from 5, lr 0.1: ");
  for (std::size_t k = 1; k <= 16; k += 5)
    std::printf("%sx_%zu = %.4f", k == 1 ? "" : ", ", k, history[k][1]);
  // The seed's last line: x after the 20th step, y computed before it.
  std::printf("\n   after 20 steps: x = %.4f, y = %.4f\n", history[20][1], history[19][2]);
  double x = 5.0;  // the same steps with static mode's derivative
  for (int k = 0; k < 20; ++k) x -= 0.1 * sm::dsquare(sm::x = x);
  same(history[20][1], x);
  tutorial::draw_descent(dir, history);
}

/// The seed's "Understanding the Computation Graph".
void section_computation_graph(const std::filesystem::path& dir) {
  tape::var x{3.0, requires_grad};
  tape::var y{2.0, requires_grad};
  tape::var a = x + y;
  tape::var b = x - y;
  tape::var z = a * b;
  const std::string graph = tape::to_dot(z);  // drawn before backward() releases it
  z.backward();
  std::cout << "7. z = (x + y)(x - y) at (3, 2): dz/dx = " << *x.grad() << ", dz/dy = " << *y.grad()
            << " (static: " << leibniz::d(sm::product, sm::x) << ", "
            << leibniz::d(sm::product, sm::y) << ")\n";
  same(*x.grad(), sm::dproduct[0]);
  same(*y.grad(), sm::dproduct[1]);
  tutorial::draw_graph(dir, "computation_graph_tape", graph);
  tutorial::draw_graph(dir, "computation_graph_static", leibniz::to_dot(sm::product));
}

/// The seed's "Detaching from the Computation Graph".
void section_detach() {
  tape::var x{2.0, requires_grad};
  const tape::var y_detached = pow(x, 2).detach();
  std::cout << "8. y.detach(): " << y_detached << ", requires_grad " << y_detached.requires_grad()
            << ", grad_fn " << y_detached.grad_fn().value_or("None") << "\n";
  same(y_detached.value(), sm::square(sm::x = 2.0));
}

/// The seed's "Using torch.no_grad()".
void section_no_grad() {
  tape::var x{2.0, requires_grad};
  leibniz::no_grad guard;
  const tape::var y = pow(x, 2);
  std::cout << "9. under no_grad: pow(x, 2) = " << y << ", requires_grad " << y.requires_grad()
            << "\n";
}

/// The seed's "Advanced: Multiple Outputs".
void section_multiple_outputs() {
  tape::array x{{1.0, 2.0, 3.0}, requires_grad};
  tape::array y1 = pow(x, 2);
  tape::array y2 = pow(x, 3);
  sum(y1).backward({.retain_graph = true});
  const std::vector<double> g1 = x.grad()->to_vector();
  x.zero_grad();
  sum(y2).backward();
  const std::vector<double> g2 = x.grad()->to_vector();
  std::cout << "10. x = [1, 2, 3]: grad of sum(x^2) = [" << g1[0] << ", " << g1[1] << ", " << g1[2]
            << "], then of sum(x^3) = [" << g2[0] << ", " << g2[1] << ", " << g2[2] << "]\n";
  for (std::size_t i = 0; i < 3; ++i) {
    same(g1[i], sm::dsquare(sm::x = x[i].value()));
    same(g2[i], leibniz::d(sm::cube, sm::x)(sm::x = x[i].value()));
  }
}

/// The seed's "Exercise 1: Simple Gradient".
void section_exercise_1() {
  tape::var x{4.0, requires_grad};
  tape::var y = 3 * pow(x, 2) + 2 * x + 1;
  y.backward();
  std::cout << "11. exercise 1: y = 3x^2 + 2x + 1 at 4: dy/dx = " << *x.grad()
            << " (static: " << leibniz::d(sm::exercise1, sm::x) << " = " << sm::dexercise1 << ")\n";
  same(*x.grad(), sm::dexercise1);
}

/// The seed's "Exercise 2: Multiple Variables".
void section_exercise_2() {
  tape::var x{2.0, requires_grad};
  tape::var y{3.0, requires_grad};
  tape::var z = pow(x, 2) * y + x * pow(y, 2);
  z.backward();
  std::cout << "12. exercise 2: z = x^2y + xy^2 at (2, 3): dz/dx = " << *x.grad()
            << ", dz/dy = " << *y.grad() << " (static: " << sm::dexercise2[0] << ", "
            << sm::dexercise2[1] << ")\n";
  same(*x.grad(), sm::dexercise2[0]);
  same(*y.grad(), sm::dexercise2[1]);
}

/// The seed's "Exercise 3: Gradient Descent".
void section_exercise_3(const std::filesystem::path& dir) {
  const auto history = descend(0.0, 3.0);
  const double x = history[20][1];
  std::printf("13. exercise 3: (x - 3)^2 from 0: x_20 = %.4f, within 0.1 of 3: %s\n", x,
              std::abs(x - 3.0) < 0.1 ? "true" : "false");
  std::vector<std::vector<double>> xs;
  for (const auto& row : history) xs.push_back({row[0], row[1]});
  tutorial::draw_exercise_descent(dir, xs);
}

}  // namespace

int main(int argc, char** argv) {
  const auto dir = tutorial::figure_directory(argc, argv);
  std::cout << std::boolalpha;
  std::printf("leibniz %s: the PyTorch autograd tutorial in C++ (docs/tutorial.md)\n\n",
              leibniz::version);

  section_requires_grad();
  section_simple_gradient();
  section_zeroing_gradients();
  section_multiple_variables();
  section_visualizing_gradients(dir);
  section_gradient_descent(dir);
  section_computation_graph(dir);
  section_detach();
  section_no_grad();
  section_multiple_outputs();
  section_exercise_1();
  section_exercise_2();
  section_exercise_3(dir);
  std::cout << (all_agree ? "tape and static mode agree on every number above\n"
                          : "tape and static mode DISAGREE on some number above\n");
  return all_agree ? 0 : 1;
}
