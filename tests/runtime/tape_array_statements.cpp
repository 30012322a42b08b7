// tests/runtime/tape_array_statements.cpp
// Array statements: array ops held by auto are recorded at their first use, spliced whole
// into the ops that read them, and reduced by sum and mean as one entry of one slot. Each
// gives the values and gradients that the same computation written on scalar vars gives.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

namespace tape = leibniz::tape;
using doctest::Approx;
using doctest::Contains;
using leibniz::requires_grad;
using tape::array;
using tape::var;

namespace {

const std::vector<double> point{0.5, -1.25, 2.0, 0.75};

std::size_t entries() { return tape::statistics().array_entries; }

std::vector<double> gradient_of(const array& x) { return x.grad()->to_vector(); }

}  // namespace

TEST_CASE("a statement held by auto is recorded at its first use, once") {
  tape::release_memory();
  array x{point, requires_grad};
  const auto y = x * x - 1.0;
  CHECK(entries() == 0);  // nothing recorded yet
  CHECK(y.size() == 4);   // answered without recording
  CHECK(entries() == 0);
  CHECK(y.requires_grad());
  CHECK(entries() == 1);  // the first use that needs the tape records it
  CHECK(y.grad_fn() == "sub");
  CHECK_FALSE(y.is_leaf());
  CHECK_FALSE(y.grad().has_value());
  CHECK(y.to_vector() == std::vector<double>{-0.75, 0.5625, 3.0, -0.4375});
  CHECK(y.value(2) == 3.0);
  CHECK(y[2].value() == 3.0);
  const array stored = y;  // the same array, not a second entry
  CHECK(entries() == 1);
  CHECK(stored.values().data() == y.values().data());
  std::ostringstream printed;
  printed << y;
  std::ostringstream expected;
  expected << stored;
  CHECK(printed.str() == expected.str());

  y.backward(std::vector<double>{1.0, 1.0, 1.0, 1.0});
  CHECK(gradient_of(x) == std::vector<double>{1.0, -2.5, 4.0, 1.5});
}

TEST_CASE("statements spliced into a sum: one entry of one slot, the scalar gradient") {
  tape::release_memory();
  array x{point, requires_grad};
  array w{{2.0, 0.5, -1.0, 3.0}, requires_grad};
  var m{0.25, requires_grad};
  const auto u = sin(x) * w - m;  // a var broadcast to every element
  const auto v = exp(u) / (1.0 + x * x);
  const var y = sum(v * u + m * w);
  CHECK(entries() == 1);
  CHECK(tape::statistics().slots == 4 + 4 + 1 + 1);  // x, w, m and the sum's one slot
  CHECK(y.grad_fn() == "sum");
  y.backward();

  std::vector<var> xs;
  std::vector<var> ws;
  var ms{0.25, requires_grad};
  var expected = 0.0;
  for (std::size_t i = 0; i < point.size(); ++i) {
    xs.emplace_back(point[i], requires_grad);
    ws.emplace_back(w.value(i), requires_grad);
    const var ui = sin(xs[i]) * ws[i] - ms;
    const var vi = exp(ui) / (1.0 + xs[i] * xs[i]);
    expected += vi * ui + ms * ws[i];
  }
  expected.backward();
  CHECK(y.value() == Approx(expected.value()).epsilon(1e-15));
  for (std::size_t i = 0; i < point.size(); ++i) {
    CHECK(x.grad()->value(i) == Approx(*xs[i].grad()).epsilon(1e-14));
    CHECK(w.grad()->value(i) == Approx(*ws[i].grad()).epsilon(1e-14));
  }
  CHECK(*m.grad() == Approx(*ms.grad()).epsilon(1e-14));
}

TEST_CASE("a statement used twice: spliced each time, recorded once when stored") {
  tape::release_memory();
  array x{point, requires_grad};
  const auto sq = x * x;
  const array stored = sq;                  // one entry
  const var total = sum(sq) + sum(sq * x);  // sum(sq) reads the stored array; sq * x is new
  CHECK(entries() == 3);
  total.backward();
  for (std::size_t i = 0; i < point.size(); ++i) {
    const double xi = point[i];
    CHECK(x.grad()->value(i) == Approx(2 * xi + 3 * xi * xi).epsilon(1e-15));
  }
}

TEST_CASE("mean and dot of statements") {
  tape::release_memory();
  array x{point, requires_grad};
  const var mu = mean(x * x * 2.0);
  CHECK(entries() == 1);
  double expected = 0.0;
  for (double v : point) expected += 2 * v * v;
  CHECK(mu.value() == Approx(expected / 4).epsilon(1e-15));
  CHECK(mu.grad_fn() == "mean");
  mu.backward();
  for (std::size_t i = 0; i < point.size(); ++i)
    CHECK(x.grad()->value(i) == Approx(point[i]).epsilon(1e-15));  // 4 x / 4

  x.zero_grad();
  const array ones{{1.0, 1.0, 1.0, 1.0}};
  const var d = dot(x * 3.0, ones + x);
  double dv = 0.0;
  for (double v : point) dv += 3 * v * (1 + v);
  CHECK(d.value() == Approx(dv).epsilon(1e-15));
  d.backward();
  for (std::size_t i = 0; i < point.size(); ++i)
    CHECK(x.grad()->value(i) == Approx(3 + 6 * point[i]).epsilon(1e-15));

  const auto nothing = array(std::vector<double>{}) * 2.0;
  CHECK(nothing.empty());
  CHECK_THROWS_WITH_AS(mean(nothing), "leibniz: mean() of an empty array", tape::shape_mismatch);
  CHECK(sum(nothing).value() == 0.0);
}

TEST_CASE("lengths are checked where the statement is written") {
  const array a{{1.0, 2.0, 3.0}, requires_grad};
  const array b{{1.0, 2.0}};
  CHECK_THROWS_WITH_AS((void)(a * 2.0 + b), Contains("arrays of 3 and 2 elements"),
                       tape::shape_mismatch);
  CHECK_THROWS_WITH_AS((void)(a * 2.0 + b), Contains("a scalar, var or number, is broadcast"),
                       tape::shape_mismatch);
  const auto s = a * a;
  CHECK_THROWS_AS((void)(s - b), tape::shape_mismatch);
}

TEST_CASE("a statement made under no_grad is a constant, wherever it is used") {
  tape::release_memory();
  array x{point, requires_grad};
  const auto c = [&] {
    leibniz::no_grad guard;
    return x * x;
  }();
  CHECK_FALSE(c.requires_grad());
  CHECK(entries() == 0);
  const var y = sum(c * x);  // d/dx (c x) = c: c is data
  y.backward();
  for (std::size_t i = 0; i < point.size(); ++i) CHECK(x.grad()->value(i) == point[i] * point[i]);

  // Made with grad, reduced under no_grad: nothing recorded, no grad.
  const auto g = x * x;
  {
    leibniz::no_grad guard;
    const var s = sum(g);
    CHECK_FALSE(s.requires_grad());
    const array a = g + x;
    CHECK_FALSE(a.requires_grad());
  }
}

TEST_CASE("an array updated in place after a statement read it: an error, not stale values") {
  array x{point, requires_grad};
  const auto twice = x * 2.0;
  {
    leibniz::no_grad guard;
    x -= 1.0;
  }
  CHECK_THROWS_WITH_AS(sum(twice), Contains("updated in place after the statement was written"),
                       tape::inplace_on_leaf);
  CHECK_THROWS_AS((void)array(twice), tape::inplace_on_leaf);
  // Written again after the update, it reads the new values.
  const var s = sum(x * 2.0);
  CHECK(s.value() == Approx(2 * (0.5 - 1.25 + 2.0 + 0.75) - 8.0).epsilon(1e-15));
  // One recorded before the update keeps the values it had.
  const array before = x * 3.0;
  {
    leibniz::no_grad guard;
    x += 1.0;
  }
  CHECK(before.value(0) == Approx(3 * (0.5 - 1.0)).epsilon(1e-15));
}

TEST_CASE("the gradient-descent loop with statements runs in flat memory") {
  tape::release_memory();
  array x{{3.0, -2.0}, requires_grad};
  const array target{{1.0, 1.0}};
  std::size_t slots_after_first = 0;
  for (int step = 0; step < 200; ++step) {
    const auto diff = x - target;
    const var loss = sum(diff * diff);
    loss.backward();
    {
      leibniz::no_grad guard;
      x -= 0.25 * *x.grad();
    }
    x.zero_grad();
    if (step == 0) slots_after_first = tape::statistics().slots;
    CHECK(tape::statistics().slots == slots_after_first);
  }
  CHECK(x.value(0) == Approx(1.0).epsilon(1e-12));
  CHECK(x.value(1) == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("one array passed twice, once moved: both operands see it (either order)") {
  array x{point, requires_grad};
  array t = x * x;
  array u = x * x;
  const var s = sum(std::move(t) * t) + sum(u * std::move(u));  // 2 x^4
  s.backward();
  for (std::size_t i = 0; i < point.size(); ++i)
    CHECK(x.grad()->value(i) == Approx(8.0 * std::pow(point[i], 3)).epsilon(1e-15));
}

TEST_CASE("an array repeated in a statement beside data: its partials added, not overwritten") {
  tape::release_memory();
  array x{point, requires_grad};
  const array w{{2.0, -1.0, 0.5, 3.0}};  // data: requires no grad
  const var s = sum(w * x * x + x);      // x three times, w once
  CHECK(tape::statistics().array_entries == 1);
  s.backward();
  for (std::size_t i = 0; i < point.size(); ++i)
    CHECK(x.grad()->value(i) == 2 * w.value(i) * point[i] + 1);  // exact: one product, one sum
  x.zero_grad();
  const array r = w * x * x + x;  // the same, recorded as an array entry of n slots
  r.backward(std::vector<double>{1.0, 1.0, 1.0, 1.0});
  for (std::size_t i = 0; i < point.size(); ++i)
    CHECK(x.grad()->value(i) == 2 * w.value(i) * point[i] + 1);
}

TEST_CASE("a partial that is the same at every element is kept as one number, not n") {
  tape::release_memory();
  const array y{{1.0, -2.0, 0.5, 4.0}};  // data
  const var mu{0.3, requires_grad};
  const var sigma{1.7, requires_grad};
  // d z[i] / d mu = -1/sigma at every element: one number; d z[i] / d sigma varies: n.
  const array z = (y - mu) / sigma;
  CHECK(tape::statistics().pool_values == 4);
  const var total = sum(z * z);
  total.backward();
  double dmu = 0.0;
  double dsigma = 0.0;
  for (std::size_t i = 0; i < 4; ++i) {  // the same, on scalar vars
    const var m{0.3, requires_grad};
    const var s{1.7, requires_grad};
    const var zi = (y.value(i) - m) / s;
    const var t = zi * zi;
    t.backward();
    dmu += *m.grad();
    dsigma += *s.grad();
  }
  CHECK(*mu.grad() == Approx(dmu).epsilon(1e-15));
  CHECK(*sigma.grad() == Approx(dsigma).epsilon(1e-15));

  tape::release_memory();
  array x{point, requires_grad};
  // x once with partial 1 (one number), twice with partial x: one record of n partials.
  const array r = x - x * x;
  CHECK(tape::statistics().pool_values == 4);
  r.backward(std::vector<double>{1.0, 1.0, 1.0, 1.0});
  for (std::size_t i = 0; i < point.size(); ++i) CHECK(x.grad()->value(i) == 1.0 - 2.0 * point[i]);
  x.zero_grad();

  // Reduced: x's partial 3 and mu's 1 at every element, nothing stored per element; mu's
  // gradient is n times its partial.
  tape::release_memory();
  const var m{0.3, requires_grad};
  const var s = sum(3.0 * x + m);
  CHECK(tape::statistics().pool_values == 0);
  s.backward();
  CHECK(*m.grad() == 4.0);
  CHECK(x.grad()->to_vector() == std::vector<double>{3.0, 3.0, 3.0, 3.0});
  x.zero_grad();
  const var q = mean((x - m) / 2.0);
  q.backward();
  CHECK(*m.grad() == 4.0 - 0.5);  // 4 from s, then -1/2 (one number times n / n)
  CHECK(x.grad()->to_vector() == std::vector<double>{0.125, 0.125, 0.125, 0.125});
}
