// tests/runtime/tape_seed.cpp
// Every tape cell of the seed tutorial (../shared/seed-tutorial.md), with its exact numbers.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <string_view>
#include <vector>

namespace tape = leibniz::tape;
using leibniz::requires_grad;
using tape::var;

TEST_CASE("requires_grad: a plain var tracks nothing, a leaf made with requires_grad does") {
  const var x_normal{2.0};
  CHECK(x_normal.value() == 2.0);
  CHECK_FALSE(x_normal.requires_grad());
  CHECK(x_normal.is_leaf());

  const var x{2.0, requires_grad};
  CHECK(x.value() == 2.0);
  CHECK(x.requires_grad());
  CHECK(x.is_leaf());
  CHECK_FALSE(x.grad().has_value());  // no gradient yet: None, not 0
}

TEST_CASE("y = x^2 at 3: dy/dx = 6") {
  var x{3.0, requires_grad};
  var y = pow(x, 2);
  CHECK(y.value() == 9.0);
  y.backward();
  CHECK(x.grad() == 6.0);
  CHECK(x.grad().value() == 2 * 3);
}

TEST_CASE("gradients accumulate until zeroed: 4, then 8, then 0, then 4 again") {
  var x{2.0, requires_grad};
  var y = pow(x, 2);
  y.backward({.retain_graph = true});
  CHECK(x.grad() == 4.0);
  y.backward();  // adds to the existing gradient
  CHECK(x.grad() == 8.0);
  x.zero_grad();
  CHECK(x.grad() == 0.0);
  CHECK(x.grad().has_value());  // zeroed is 0, not None
  y = pow(x, 2);
  y.backward();
  CHECK(x.grad() == 4.0);
}

TEST_CASE("z = x^2 + y^2 at (2, 3): dz/dx = 4, dz/dy = 6") {
  var x{2.0, requires_grad};
  var y{3.0, requires_grad};
  var z = pow(x, 2) + pow(y, 2);
  CHECK(z.value() == 13.0);
  z.backward();
  CHECK(x.grad() == 4.0);
  CHECK(y.grad() == 6.0);
}

TEST_CASE("gradients of y = x^2 at -2, -1, 0, 1, 2 are -4, -2, 0, 2, 4") {
  const std::array<double, 5> points{-2, -1, 0, 1, 2};
  std::vector<double> gradients;
  for (double point : points) {
    var x{point, requires_grad};
    var y = pow(x, 2);
    y.backward();
    gradients.push_back(*x.grad());
    x.zero_grad();
  }
  CHECK(gradients == std::vector<double>{-4, -2, 0, 2, 4});
}

TEST_CASE("gradient descent on y = x^2 from 5, lr 0.1, 20 steps: x = 5 * 0.8^k") {
  var x{5.0, requires_grad};
  const double learning_rate = 0.1;
  double expected = 5.0;
  std::vector<std::array<double, 2>> history;
  for (int step = 0; step < 20; ++step) {
    var y = pow(x, 2);
    y.backward();
    {
      leibniz::no_grad guard;
      x -= learning_rate * *x.grad();
    }
    x.zero_grad();
    CHECK(x.grad() == 0.0);  // the seed prints 'zeroed'
    history.push_back({x.value(), y.value()});
    expected -= learning_rate * (2 * expected);
    CHECK(x.value() == expected);  // the same arithmetic as on double, bit for bit
  }
  CHECK(x.value() == doctest::Approx(5.0 * std::pow(0.8, 20)).epsilon(1e-14));
  CHECK(history.back()[1] == doctest::Approx(std::pow(5.0 * std::pow(0.8, 19), 2)));
  CHECK(x.requires_grad());
  CHECK(x.is_leaf());  // the in-place update keeps it a leaf
}

TEST_CASE("the computation graph: z = (x + y) * (x - y) at (3, 2)") {
  var x{3.0, requires_grad};
  var y{2.0, requires_grad};
  var a = x + y;
  var b = x - y;
  CHECK(a.value() == 5.0);
  CHECK(b.value() == 1.0);
  CHECK(a.requires_grad());  // because it depends on x and y
  CHECK_FALSE(a.is_leaf());
  var z = a * b;
  CHECK(z.value() == 5.0);
  CHECK(z.grad_fn() == "mul");
  z.backward();
  CHECK(x.grad() == 6.0);             // dz/dx = 2x
  CHECK(y.grad() == -4.0);            // dz/dy = -2y
  CHECK_FALSE(a.grad().has_value());  // non-leaf results keep no gradient
  CHECK_FALSE(z.grad().has_value());
}

TEST_CASE("detach: a var cut from the graph requires no grad and has no grad_fn") {
  var x{2.0, requires_grad};
  var y = pow(x, 2);
  CHECK(y.requires_grad());
  CHECK(y.grad_fn() == "pow");
  const var y_detached = y.detach();
  CHECK_FALSE(y_detached.requires_grad());
  CHECK_FALSE(y_detached.grad_fn().has_value());
  CHECK(y_detached.value() == 4.0);
}

TEST_CASE("no_grad: inside, results do not require grad; outside, tracking resumes") {
  var x{2.0, requires_grad};
  var y1 = pow(x, 2);
  CHECK(y1.requires_grad());
  var y2;
  {
    leibniz::no_grad guard;
    y2 = pow(x, 2);
    CHECK_FALSE(y2.requires_grad());
    CHECK(y2.value() == 4.0);
    CHECK_FALSE(leibniz::is_grad_enabled());
  }
  CHECK_FALSE(y2.requires_grad());  // still False
  CHECK(leibniz::is_grad_enabled());
  CHECK(pow(x, 2).requires_grad());
}

TEST_CASE("multiple outputs: x = [1, 2, 3], sum(x^2) gives [2, 4, 6], then sum(x^3) [3, 12, 27]") {
  tape::array x{{1.0, 2.0, 3.0}, requires_grad};
  tape::array y1 = pow(x, 2);
  tape::array y2 = pow(x, 3);
  CHECK(y1.to_vector() == std::vector<double>{1, 4, 9});
  CHECK(y2.to_vector() == std::vector<double>{1, 8, 27});
  sum(y1).backward({.retain_graph = true});
  CHECK(x.grad()->to_vector() == std::vector<double>{2, 4, 6});
  x.zero_grad();
  sum(y2).backward();
  CHECK(x.grad()->to_vector() == std::vector<double>{3, 12, 27});
}

TEST_CASE("multiple outputs written x*x and x*x*x") {
  tape::array x{{1.0, 2.0, 3.0}, requires_grad};
  sum(x * x).backward({.retain_graph = true});
  CHECK(x.grad()->to_vector() == std::vector<double>{2, 4, 6});
  x.zero_grad();
  sum(x * x * x).backward();
  CHECK(x.grad()->to_vector() == std::vector<double>{3, 12, 27});
}

TEST_CASE("exercise 1: y = 3x^2 + 2x + 1 at 4: dy/dx = 6x + 2 = 26") {
  var x{4.0, requires_grad};
  var y = 3 * pow(x, 2) + 2 * x + 1;
  CHECK(y.value() == 57.0);
  y.backward();
  CHECK(x.grad() == 26.0);
}

TEST_CASE("exercise 2: z = x^2 y + x y^2 at (2, 3): dz/dx = 21, dz/dy = 16") {
  var x{2.0, requires_grad};
  var y{3.0, requires_grad};
  var z = pow(x, 2) * y + x * pow(y, 2);
  CHECK(z.value() == 30.0);
  z.backward();
  CHECK(x.grad() == 2 * 2 * 3 + 3 * 3);
  CHECK(y.grad() == 2 * 2 + 2 * 2 * 3);
}

TEST_CASE("exercise 3: gradient descent on (x - 3)^2 from 0 converges to 3") {
  var x{0.0, requires_grad};
  const double learning_rate = 0.1;
  double expected = 0.0;
  for (int step = 0; step < 20; ++step) {
    var f = pow(x - 3, 2);
    f.backward();
    {
      leibniz::no_grad guard;
      x -= learning_rate * *x.grad();
    }
    x.zero_grad();
    expected -= learning_rate * (2 * (expected - 3));
    CHECK(x.value() == doctest::Approx(expected).epsilon(1e-15));
  }
  CHECK(std::abs(x.value() - 3.0) < 0.1);
  CHECK(x.value() == doctest::Approx(3.0 - 3.0 * std::pow(0.8, 20)).epsilon(1e-13));
}
