// examples/tutorial/05_visualizing_gradients.cpp
// The seed tutorial's "Visualizing Gradients": y = x^2 on [-3, 3], its gradient computed by
// backward() at x = -2, -1, 0, 1, 2, and the tangent line of that slope at each point.
//
//   05_visualizing_gradients [DIR]   writes DIR/gradients.{svg,png}, the data as
//                                    gradients_curve.csv and gradients_points.csv, and the
//                                    gnuplot script gradients.gp
//                                    (DIR: else $LEIBNIZ_FIGURES, else ./figures)
#include <leibniz/leibniz.hpp>

#include "tutorial.hpp"

#include <array>
#include <cstddef>
#include <iostream>
#include <vector>

namespace tape = leibniz::tape;

constexpr std::array<double, 5> gradient_points{-2, -1, 0, 1, 2};

// Static mode: the slopes, each d(y, x) evaluated at a point, all at compile time.
namespace static_mode {
constexpr leibniz::variable<"x"> x;
constexpr auto y = pow<2>(x);
constexpr std::array<double, 5> slopes() {
  std::array<double, 5> s{};
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = leibniz::d(y, x)(x = gradient_points[i]);
  return s;
}
static_assert(slopes() == std::array<double, 5>{-4, -2, 0, 2, 4});
}  // namespace static_mode

int main(int argc, char** argv) {
  const auto dir = tutorial::figure_directory(argc, argv);

  // The gradient at a few points, one backward() each
  std::vector<double> gradients;
  for (double point : gradient_points) {
    tape::var x{point, leibniz::requires_grad};
    tape::var y = pow(x, 2);
    y.backward();
    gradients.push_back(x.grad().value());
    x.zero_grad();
  }

  std::cout << "Gradients of y = x^2:\n";
  std::vector<std::vector<double>> points;
  for (std::size_t i = 0; i < gradient_points.size(); ++i) {
    const double p = gradient_points[i];
    std::cout << "  at x = " << p << ": dy/dx = " << gradients[i] << "\n";
    points.push_back({p, p * p, gradients[i]});
  }

  // The figure: the curve, the points, and the tangent lines (tutorial.hpp has its gnuplot
  // script).
  tutorial::draw_gradients(dir, points);

  std::cout << "Notice: At x=0, the gradient is 0 (minimum point)\n"
            << "For x>0, gradient is positive (function increases)\n"
            << "For x<0, gradient is negative (function decreases)\n\n";

  constexpr auto slopes = static_mode::slopes();
  std::cout << "static mode: dy/dx = " << leibniz::d(static_mode::y, static_mode::x)
            << " at the same points (static_assert'ed)\n";
  return tutorial::agree("the slopes",
                         {gradients[0], gradients[1], gradients[2], gradients[3], gradients[4]},
                         {slopes[0], slopes[1], slopes[2], slopes[3], slopes[4]})
             ? 0
             : 1;
}
