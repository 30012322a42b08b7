// examples/tutorial/07_computation_graph.cpp
// The seed tutorial's "Understanding the Computation Graph": z = (x + y)(x - y) at (3, 2),
// dz/dx = 2x = 6 and dz/dy = -2y = -4; and the graph drawn twice, as the tape recorded it
// (torchviz's picture) and as static mode's expression type.
//
//   07_computation_graph [DIR]   writes DIR/computation_graph_{tape,static}.{dot,svg,png}
//                                (DIR: else $LEIBNIZ_FIGURES, else ./figures)
#include <leibniz/leibniz.hpp>

#include "tutorial.hpp"

#include <iostream>

namespace tape = leibniz::tape;

// Static mode: the graph is the expression's type; its derivatives are simplified at compile
// time: (x + y)(x - y) = x^2 - y^2, so dz/dx = 2x and dz/dy = -2y.
namespace static_mode {
constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;
constexpr auto z = (x + y) * (x - y);
static_assert(leibniz::to_string(leibniz::d(z, x)) == "2*x");
static_assert(leibniz::to_string(leibniz::d(z, y)) == "-2*y");
constexpr auto dz = leibniz::gradient(z, x, y)(x = 3.0, y = 2.0);
static_assert(dz[0] == 6.0 && dz[1] == -4.0);
}  // namespace static_mode

int main(int argc, char** argv) {
  std::cout << std::boolalpha;
  const auto dir = tutorial::figure_directory(argc, argv);

  tape::var x{3.0, leibniz::requires_grad};
  tape::var y{2.0, leibniz::requires_grad};

  std::cout << "Inputs:\n"
            << "x = " << x.item() << ", requires_grad = " << x.requires_grad() << "\n"
            << "y = " << y.item() << ", requires_grad = " << y.requires_grad() << "\n\n";

  // Intermediate computations
  tape::var a = x + y;  // a = 3 + 2 = 5
  tape::var b = x - y;  // b = 3 - 2 = 1

  std::cout << "Intermediate values:\n"
            << "a = x + y = " << a.item() << "\n"
            << "b = x - y = " << b.item() << "\n"
            << "a.requires_grad = " << a.requires_grad() << "  (because it depends on x, y)\n\n";

  // Final computation
  tape::var z = a * b;  // z = 5 * 1 = 5
  std::cout << "Final value:\n"
            << "z = a * b = " << z.item() << "\n\n";

  // The recorded graph, before backward() releases it: leaves in blue, ops in grey, each edge
  // labelled with the local partial derivative the tape stored.
  std::cout << "The graph recorded for z (tape::to_dot):\n";
  tutorial::draw_graph(dir, "computation_graph_tape", tape::to_dot(z));

  // Compute gradients
  z.backward();
  std::cout << "\nGradients:\n"
            << "dz/dx = " << x.grad().value() << "\n"
            << "dz/dy = " << y.grad().value() << "\n\n";

  // z = (x+y)(x-y) = x^2 - y^2: dz/dx = 2x = 6, dz/dy = -2y = -4
  std::cout << "Manual check:\n"
            << "dz/dx = 2x = " << 2 * 3 << "\n"
            << "dz/dy = -2y = " << -2 * 2 << "\n\n";

  using static_mode::dz;
  std::cout << "static mode: z = " << static_mode::z
            << ", dz/dx = " << leibniz::d(static_mode::z, static_mode::x) << " = " << dz[0]
            << ", dz/dy = " << leibniz::d(static_mode::z, static_mode::y) << " = " << dz[1]
            << "\nThe expression's graph (leibniz::to_dot), each subexpression once:\n";
  tutorial::draw_graph(dir, "computation_graph_static", leibniz::to_dot(static_mode::z));
  return tutorial::agree("(dz/dx, dz/dy)", {*x.grad(), *y.grad()}, {dz[0], dz[1]}) ? 0 : 1;
}
