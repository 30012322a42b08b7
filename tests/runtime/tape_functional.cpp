// tests/runtime/tape_functional.cpp
// Gradients as values: tape::gradient(f, x...) (torch.func.grad) and tape::grad(y, {x...})
// (torch.autograd.grad), which leave every .grad as it was.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <tuple>
#include <vector>

namespace tape = leibniz::tape;
using doctest::Approx;
using doctest::Contains;
using leibniz::requires_grad;
using tape::array;
using tape::var;

TEST_CASE("tape::gradient of a function of one number: d(x sin x)/dx = sin x + x cos x") {
  const double g = tape::gradient([](const var& x) { return x * sin(x); }, 2.0);
  CHECK(g == Approx(std::sin(2.0) + 2.0 * std::cos(2.0)).epsilon(1e-15));
}

TEST_CASE("tape::gradient of several arguments gives a tuple: z = x^2 y + x y^2 at (2, 3)") {
  const auto [dx, dy] =
      tape::gradient([](const var& x, const var& y) { return x * x * y + x * y * y; }, 2.0, 3.0);
  CHECK(dx == 21.0);
  CHECK(dy == 16.0);
}

TEST_CASE("tape::gradient of a function of an array, a vector, or many vars") {
  const std::vector<double> x{1.0, 2.0, 3.0};
  const auto square_sum = [](const array& v) { return sum(v * v); };
  CHECK(tape::gradient(square_sum, x) == std::vector<double>{2.0, 4.0, 6.0});
  CHECK(tape::gradient(square_sum, array{1.0, 2.0, 3.0}) == std::vector<double>{2.0, 4.0, 6.0});
  const std::vector<var> vars{1.0, 2.0, 3.0};
  const auto cube_sum = [](const std::vector<var>& v) {
    var s = 0.0;
    for (const var& vi : v) s += vi * vi * vi;
    return s;
  };
  CHECK(tape::gradient(cube_sum, vars) == std::vector<double>{3.0, 12.0, 27.0});
}

TEST_CASE("tape::gradient is with respect to the inputs, even when f assigns to its parameters") {
  // f may take its inputs by non-const reference and reuse the names: the gradient stays that
  // of the input's value, as in torch.func.grad, not of whatever f stored in the name.
  CHECK(tape::gradient(
            [](var& x) {
              x = x * x;
              return x * 2.0;
            },
            3.0) == 12.0);
  const std::vector<double> g = tape::gradient(
      [](std::vector<var>& v) {
        v[0] = v[0] * v[0];
        return v[0] * v[1];
      },
      std::vector<var>{var(2.0), var(5.0)});
  CHECK(g == std::vector<double>{20.0, 4.0});
  const std::vector<double> ga = tape::gradient(
      [](array& a) {
        a = a * a;
        return sum(a);
      },
      array{1.0, 2.0, 3.0});
  CHECK(ga == std::vector<double>{2.0, 4.0, 6.0});
}

TEST_CASE("tape::gradient: inputs above the output's slot (f returns an input) read as 0") {
  // The sweep ends at the output's slot: the inputs after it are not swept, their gradient 0.
  const std::vector<double> g = tape::gradient([](const std::vector<var>& v) { return v[1]; },
                                               std::vector<var>{var(2.0), var(5.0), var(7.0)});
  CHECK(g == std::vector<double>{0.0, 1.0, 0.0});
  const std::vector<double> ga =
      tape::gradient([](const array& a) { return a[0] * 3.0; }, array{1.0, 2.0, 3.0});
  CHECK(ga == std::vector<double>{3.0, 0.0, 0.0});
}

TEST_CASE("tape::gradient mixes scalars and arrays") {
  const auto [dw, dx] = tape::gradient([](const var& w, const array& x) { return sum(w * x * x); },
                                       2.0, std::vector{1.0, 3.0});
  CHECK(dw == 10.0);
  CHECK(dx == std::vector<double>{4.0, 12.0});
}

TEST_CASE("tape::gradient touches no one's .grad, not even of leaves f uses") {
  var a{2.0, requires_grad};
  const double g = tape::gradient([&](const var& x) { return a * x * x; }, 3.0);
  CHECK(g == 12.0);
  CHECK_FALSE(a.grad().has_value());
}

TEST_CASE("tape::gradient of a var takes its value: a fresh input, the var's graph untouched") {
  var x{3.0, requires_grad};
  const var y = x * x;
  CHECK(tape::gradient([](const var& v) { return v * v * v; }, y) == 243.0);  // 3 * 9^2
  y.backward();  // y's own graph is intact
  CHECK(x.grad() == 6.0);
}

TEST_CASE("tape::gradient works inside no_grad: it is a function transform") {
  leibniz::no_grad guard;
  CHECK(tape::gradient([](const var& x) { return x * x; }, 4.0) == 8.0);
}

TEST_CASE("tape::gradient of a function that ignores its input is 0") {
  CHECK(tape::gradient([](const var&) { return var(7.0); }, 4.0) == 0.0);
}

TEST_CASE("value_and_gradient gives both from one recording") {
  const auto [value, g] = tape::value_and_gradient([](const var& x) { return exp(x); }, 1.0);
  CHECK(value == std::exp(1.0));
  CHECK(g == std::exp(1.0));
}

TEST_CASE("nested: tape::gradient inside a larger recording") {
  var w{2.0, requires_grad};
  var outer = w * w;
  const double inner = tape::gradient([](const var& x) { return x * x * x; }, 2.0);
  CHECK(inner == 12.0);
  outer.backward();
  CHECK(w.grad() == 4.0);
}

TEST_CASE("tape::grad: d z / d x and d z / d y, and no .grad changes") {
  var x{2.0, requires_grad};
  var y{3.0, requires_grad};
  const var z = x * x * y + x * y * y;
  const std::vector<double> g = tape::grad(z, {x, y});
  CHECK(g == std::vector<double>{21.0, 16.0});
  CHECK_FALSE(x.grad().has_value());
  CHECK_FALSE(y.grad().has_value());
  CHECK_THROWS_AS(tape::grad(z, {x}), tape::graph_released);  // released, as backward()
}

TEST_CASE("tape::grad with retain_graph, and with respect to an intermediate result") {
  var x{2.0, requires_grad};
  const var a = x * x;  // an entry of its own
  const var z = sin(a) * a;
  const std::vector<double> by_a = tape::grad(z, {a}, {.retain_graph = true});
  CHECK(by_a[0] == Approx(std::cos(4.0) * 4.0 + std::sin(4.0)).epsilon(1e-15));
  const std::vector<double> by_x = tape::grad(z, {x});
  CHECK(by_x[0] == Approx(by_a[0] * 4.0).epsilon(1e-15));
}

TEST_CASE("tape::grad: an input the output does not use is an error unless allow_unused") {
  var x{2.0, requires_grad};
  var unused{1.0, requires_grad};
  const var z = x * x;
  CHECK_THROWS_WITH_AS(tape::grad(z, {x, unused}, {.retain_graph = true}),
                       Contains("input 1 appears not to have been used"), tape::invalid_argument);
  const std::vector<double> g = tape::grad(z, {x, unused}, {.allow_unused = true});
  CHECK(g == std::vector<double>{4.0, 0.0});
}

TEST_CASE("tape::grad refuses inputs it cannot answer for, saying why") {
  var x{2.0, requires_grad};
  const var c{1.0};
  const var z = x * x;
  CHECK_THROWS_WITH_AS(tape::grad(z, {c}, {.retain_graph = true}),
                       Contains("input 0 does not require grad"), tape::invalid_argument);
  const var folded = 2.0 * x;
  const var w = folded * folded;
  CHECK_THROWS_WITH_AS(tape::grad(w, {folded}, {.retain_graph = true}),
                       Contains("folds into its operand"), tape::invalid_argument);
  CHECK_THROWS_AS(tape::grad(c, {x}), tape::no_grad_required);
}

TEST_CASE("tape::grad with respect to an array") {
  array x{{1.0, 2.0, 3.0}, requires_grad};
  const var s = dot(x, x) + sum(x);
  CHECK(tape::grad(s, x) == std::vector<double>{3.0, 5.0, 7.0});
  CHECK_FALSE(x.grad().has_value());
}

TEST_CASE("tape::record: one entry with given local partials (a custom op)") {
  var x{2.0, requires_grad};
  var y{3.0, requires_grad};
  // f(x, y) = x y^2 as one entry: df/dx = y^2, df/dy = 2 x y.
  const std::vector<var> operands{x, y};
  const std::vector<double> partials{9.0, 12.0};
  const var f = tape::record(18.0, operands, partials, "x*y^2");
  CHECK(f.grad_fn() == "x*y^2");
  (f * f).backward();
  CHECK(x.grad() == 2 * 18.0 * 9.0);
  CHECK(y.grad() == 2 * 18.0 * 12.0);
  CHECK_THROWS_WITH_AS(tape::record(1.0, operands, std::vector<double>{1.0}),
                       Contains("one partial derivative per operand"), tape::shape_mismatch);
}
