// examples/tutorial/10_multiple_outputs.cpp
// The seed tutorial's "Advanced: Multiple Outputs": x = [1, 2, 3], y1 = x^2, y2 = x^3; the
// gradient of sum(y1) is 2x = [2, 4, 6], then (zeroed) that of sum(y2) is 3x^2 = [3, 12, 27].
#include <leibniz/leibniz.hpp>

#include "tutorial.hpp"

#include <array>
#include <cstddef>
#include <iostream>
#include <vector>

namespace tape = leibniz::tape;

// Static mode: a vector variable and sums over its elements; the gradient with respect to the
// vector is written into an array, here in a constant expression.
namespace static_mode {
constexpr leibniz::vector<"x"> x;
constexpr leibniz::index<"i"> i;
constexpr auto sum_y1 = leibniz::sum(i < size(x), pow<2>(x[i]));
constexpr auto sum_y2 = leibniz::sum(i < size(x), pow<3>(x[i]));

template <class E>
constexpr std::array<double, 3> gradient_at_1_2_3(const E& e) {
  const std::array<double, 3> values{1.0, 2.0, 3.0};
  std::array<double, 3> g{};
  leibniz::gradient(e, x)(x = values, leibniz::into(x) = g);
  return g;
}
constexpr auto g1 = gradient_at_1_2_3(sum_y1);
constexpr auto g2 = gradient_at_1_2_3(sum_y2);
static_assert(g1 == std::array<double, 3>{2.0, 4.0, 6.0});
static_assert(g2 == std::array<double, 3>{3.0, 12.0, 27.0});
}  // namespace static_mode

int main() {
  tape::array x{{1.0, 2.0, 3.0}, leibniz::requires_grad};

  // Multiple outputs: each array op is one entry on the tape
  tape::array y1 = pow(x, 2);
  tape::array y2 = pow(x, 3);

  std::cout << "Input: " << x << "\n"
            << "Output 1 (x^2): " << y1 << "\n"
            << "Output 2 (x^3): " << y2 << "\n\n";

  // Gradients of y1: retain_graph keeps the graph (x's part of it, shared with y2) for the
  // second backward().
  sum(y1).backward({.retain_graph = true});
  std::cout << "Gradients after y1.backward():\n"
            << "x.grad = " << *x.grad() << "\n";
  const std::vector<double> grad1 = x.grad()->to_vector();

  // Zero and compute for y2
  x.zero_grad();
  sum(y2).backward();
  std::cout << "\nGradients after y2.backward():\n"
            << "x.grad = " << *x.grad() << "\n\n";
  const std::vector<double> grad2 = x.grad()->to_vector();

  using static_mode::g1;
  using static_mode::g2;
  std::cout << "static mode: d/dx " << static_mode::sum_y1 << " = [" << g1[0] << ", " << g1[1]
            << ", " << g1[2] << "], d/dx " << static_mode::sum_y2 << " = [" << g2[0] << ", "
            << g2[1] << ", " << g2[2] << "]\n";
  const bool first =
      tutorial::agree("grad of sum(x^2)", {grad1[0], grad1[1], grad1[2]}, {g1[0], g1[1], g1[2]});
  const bool second =
      tutorial::agree("grad of sum(x^3)", {grad2[0], grad2[1], grad2[2]}, {g2[0], g2[1], g2[2]});
  return first && second ? 0 : 1;
}
