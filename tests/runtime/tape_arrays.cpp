// tests/runtime/tape_arrays.cpp
// 1-D arrays: each array op is one tape entry, and gives the gradients that the same
// computation written element by element on scalar vars gives.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <functional>
#include <span>
#include <sstream>
#include <vector>

namespace tape = leibniz::tape;
using doctest::Approx;
using doctest::Contains;
using leibniz::requires_grad;
using tape::array;
using tape::var;

namespace {

/// The gradient of a scalar function of an array, computed with the array op and with the
/// same computation element by element on vars.
struct both {
  std::vector<double> by_array;
  std::vector<double> by_scalars;
};

both gradients(const std::vector<double>& point, const std::function<var(const array&)>& f_array,
               const std::function<var(std::span<const var>)>& f_scalar) {
  array x{point, requires_grad};
  f_array(x).backward();
  std::vector<var> xs;
  for (double v : point) xs.emplace_back(v, requires_grad);
  f_scalar(xs).backward();
  both g{x.grad()->to_vector(), {}};
  for (const var& v : xs) g.by_scalars.push_back(*v.grad());
  return g;
}

void check_same(const both& g) {
  REQUIRE(g.by_array.size() == g.by_scalars.size());
  for (std::size_t i = 0; i < g.by_array.size(); ++i)
    CHECK(g.by_array[i] == Approx(g.by_scalars[i]).epsilon(1e-15));
}

const std::vector<double> point{0.5, -1.25, 2.0, 0.75};

}  // namespace

TEST_CASE("arrays are made from an initializer list, a vector or a span") {
  const std::vector<double> v{1.0, 2.0, 3.0};
  const array a{1.0, 2.0, 3.0};
  const array b(v);
  const array c{std::span<const double>(v)};
  CHECK(a.to_vector() == v);
  CHECK(b.to_vector() == v);
  CHECK(c.to_vector() == v);
  CHECK_FALSE(a.requires_grad());
  CHECK(a.size() == 3);
  const array x{v, requires_grad};
  CHECK(x.requires_grad());
  CHECK(x.is_leaf());
  CHECK_FALSE(x.grad().has_value());
}

TEST_CASE("elementwise arithmetic with scalars broadcast, against the same in scalars") {
  var w{1.5, requires_grad};
  check_same(gradients(
      point, [&](const array& x) { return sum(x * x * w + 2.0 * x - x / w + 1.0); },
      [&](std::span<const var> x) {
        var s = 0.0;
        for (const var& xi : x) s += xi * xi * w + 2.0 * xi - xi / w + 1.0;
        return s;
      }));
}

TEST_CASE("every function of the op table elementwise, against the same in scalars") {
  const std::vector<double> positive{0.5, 0.25, 0.75, 0.125};
  check_same(gradients(
      positive,
      [](const array& x) {
        return sum(sin(x) + cos(x) * tan(x) + exp(x) * log(x) + sqrt(x) + tanh(x) + sigmoid(x) +
                   asin(x) + acos(x) * atan(x) + sinh(x) + cosh(x) + erf(x) + log1p(x) + expm1(x) +
                   cbrt(x) + abs(x - 0.3) + pow(x, 3) + pow(x, 0.5) + pow<2>(x));
      },
      [](std::span<const var> x) {
        var s = 0.0;
        for (const var& v : x)
          s += sin(v) + cos(v) * tan(v) + exp(v) * log(v) + sqrt(v) + tanh(v) + sigmoid(v) +
               asin(v) + acos(v) * atan(v) + sinh(v) + cosh(v) + erf(v) + log1p(v) + expm1(v) +
               cbrt(v) + abs(v - 0.3) + pow(v, 3) + pow(v, 0.5) + pow<2>(v);
        return s;
      }));
}

TEST_CASE("two arrays: min, max, pow, division, against the same in scalars") {
  const std::vector<double> other{0.25, 1.5, -2.0, 2.0};
  const array y{other, requires_grad};
  std::vector<var> ys;
  for (double v : other) ys.emplace_back(v, requires_grad);
  check_same(gradients(
      point, [&](const array& x) { return sum(min(x, y) * max(x, y) + x / (y * y + 1.0)); },
      [&](std::span<const var> x) {
        var s = 0.0;
        for (std::size_t i = 0; i < x.size(); ++i)
          s += min(x[i], ys[i]) * max(x[i], ys[i]) + x[i] / (ys[i] * ys[i] + 1.0);
        return s;
      }));
}

TEST_CASE("sum, mean and dot, against the same in scalars") {
  var w{0.5, requires_grad};
  check_same(gradients(
      point, [&](const array& x) { return mean(x) * w + dot(x, x * w) + sum(exp(x)) / 4.0; },
      [&](std::span<const var> x) {
        var total = 0.0;
        var squares = 0.0;
        var exps = 0.0;
        for (const var& v : x) {
          total += v;
          squares += v * (v * w);
          exps += exp(v);
        }
        return total / 4.0 * w + squares + exps / 4.0;
      }));
}

TEST_CASE("slices and elements are views: rosenbrock in arrays against scalars") {
  check_same(gradients(
      point,
      [](const array& x) {
        const std::size_t n = x.size();
        const array head = x.slice(0, n - 1);
        const array tail = x.slice(1, n);
        return sum(100.0 * pow(tail - head * head, 2) + pow(1.0 - head, 2)) + x[2] * x[0];
      },
      [](std::span<const var> x) {
        var s = 0.0;
        for (std::size_t i = 0; i + 1 < x.size(); ++i)
          s += 100.0 * pow(x[i + 1] - x[i] * x[i], 2) + pow(1.0 - x[i], 2);
        return s + x[2] * x[0];
      }));
}

TEST_CASE("one tape entry per array op, not one per element") {
  tape::release_memory();
  array x{{1.0, 2.0, 3.0, 4.0, 5.0}, requires_grad};
  const array sines = sin(x);
  const array product = sines * x;
  const array y = product + 1.0;  // + 1.0 folded into the add's partial
  const var s = sum(y);
  const tape::tape_statistics stats = tape::statistics();
  CHECK(stats.array_entries == 4);  // sin, mul, add, sum
  CHECK(stats.records == 0);        // no scalar entries
  CHECK(stats.slots == 5 + 3 * 5 + 1);
  CHECK(y.grad_fn() == "add");
  CHECK(s.grad_fn() == "sum");
}

TEST_CASE("an op on a temporary array takes its entry over: one entry per statement") {
  tape::release_memory();
  array x{{1.0, 2.0, 3.0, 4.0, 5.0}, requires_grad};
  const array y = sin(x) * x + 1.0;  // sin's entry becomes mul's, then add's
  CHECK(tape::statistics().array_entries == 1);
  CHECK(tape::statistics().slots == 5 + 5);
  CHECK(y.grad_fn() == "add");
  const var s = sum(y * y);  // the temporary y * y: the sum takes its entry, its slots go
  CHECK(tape::statistics().array_entries == 2);
  CHECK(tape::statistics().slots == 5 + 5 + 1);
  CHECK(s.grad_fn() == "sum");
  s.backward();
  const std::vector<double> g = x.grad()->to_vector();
  for (std::size_t i = 0; i < g.size(); ++i) {
    const double v = static_cast<double>(i + 1);
    const double yi = std::sin(v) * v + 1.0;
    CHECK(g[i] == Approx(2.0 * yi * (std::cos(v) * v + std::sin(v))).epsilon(1e-15));
  }
}

TEST_CASE("rosenbrock in array ops: three entries, or one, the gradient written by hand") {
  tape::release_memory();
  array x{point, requires_grad};
  const std::size_t n = x.size();
  const array head = x.slice(0, n - 1);
  const array tail = x.slice(1, n);
  const array a = tail - head * head;  // one entry of 3 slots (the mul is spliced into the sub)
  const array b = 1.0 - head;          // one entry of 3 slots
  const var y = sum(100.0 * a * a + b * b);  // one entry of one slot: the sum's terms not stored
  const tape::tape_statistics stats = tape::statistics();
  CHECK(stats.array_entries == 3);
  CHECK(stats.slots == 4 + 3 + 3 + 1);
  y.backward();
  // g[i] = -400 x[i] (x[i+1] - x[i]^2) - 2 (1 - x[i]) + 200 (x[i] - x[i-1]^2)
  const std::vector<double> expected{299.0, -85.75, 2689.5, -650.0};
  CHECK(x.grad()->to_vector() == expected);

  // Held by auto, a and b stay statements: they are spliced into the sum, one entry in all.
  tape::release_memory();
  array x2{point, requires_grad};
  const auto a2 = x2.slice(1, n) - x2.slice(0, n - 1) * x2.slice(0, n - 1);
  const auto b2 = 1.0 - x2.slice(0, n - 1);
  const var y2 = sum(100.0 * a2 * a2 + b2 * b2);
  CHECK(tape::statistics().array_entries == 1);
  CHECK(tape::statistics().slots == 4 + 1);
  CHECK(y2.value() == y.value());
  y2.backward();
  CHECK(x2.grad()->to_vector() == expected);
}

TEST_CASE("a temporary array still referred to is not taken over") {
  const auto f = [](const array& x, int keep) {
    array t = x * x;
    var e = 0.0;
    array view;
    array copy;
    if (keep == 1) e = t[1] * 3.0;  // an element of t, recorded in an entry of its own
    if (keep == 2) view = t.slice(1, 3);
    if (keep == 3) copy = t;
    const var s = sum(std::move(t) * x) + e;  // t dies here, but not its slots when kept
    return s + (keep == 2 ? sum(view) : var(0.0)) + (keep == 3 ? sum(copy) : var(0.0));
  };
  for (int keep = 0; keep < 4; ++keep) {
    CAPTURE(keep);
    array x{point, requires_grad};
    f(x, keep).backward();
    const std::vector<double> g = x.grad()->to_vector();
    for (std::size_t i = 0; i < g.size(); ++i) {
      const double v = point[i];
      double want = 3.0 * v * v;                             // d/dx of x^3
      if (keep == 1 && i == 1) want += 6.0 * v;              // 3 t[1]
      if (keep == 2 && (i == 1 || i == 2)) want += 2.0 * v;  // sum(t[1:3])
      if (keep == 3) want += 2.0 * v;                        // sum(t)
      CHECK(g[i] == Approx(want).epsilon(1e-15));
    }
  }
}

TEST_CASE("an op on a temporary that is also its other operand: std::move(t) * t") {
  array x{point, requires_grad};
  array t = x * x;
  const var s = sum(std::move(t) * t);  // t^2 = x^4, both operands the same entry
  s.backward();
  const std::vector<double> g = x.grad()->to_vector();
  for (std::size_t i = 0; i < g.size(); ++i)
    CHECK(g[i] == Approx(4.0 * std::pow(point[i], 3)).epsilon(1e-15));
}

TEST_CASE("mean and sum of temporaries with a broadcast scalar, against the same in scalars") {
  var mu{0.25, requires_grad};
  var sigma{1.5, requires_grad};
  const array y{1.0, -0.5, 2.0, 0.125};
  mean((y - mu) / sigma).backward();  // mu and sigma broadcast: their partials summed
  CHECK(*mu.grad() == Approx(-1.0 / 1.5).epsilon(1e-15));
  double dsigma = 0.0;
  for (double v : y.values()) dsigma -= (v - 0.25) / (1.5 * 1.5) / 4.0;
  CHECK(*sigma.grad() == Approx(dsigma).epsilon(1e-15));
  mu.zero_grad();
  sigma.zero_grad();
  sum(-(y - mu) * sigma).backward();  // -(...) on a temporary, then sum
  CHECK(*mu.grad() == Approx(4.0 * 1.5).epsilon(1e-15));
  CHECK(*sigma.grad() == Approx(-(1.0 - 0.5 + 2.0 + 0.125 - 4.0 * 0.25)).epsilon(1e-15));
}

TEST_CASE("fused entries in tape::gradient and with a retained graph") {
  const std::vector<double> g = tape::gradient(
      [](const array& x) { return sum(exp(x) * x - 2.0 * x); }, std::vector<double>{0.5, 1.0});
  REQUIRE(g.size() == 2);
  CHECK(g[0] == Approx(std::exp(0.5) * 1.5 - 2.0).epsilon(1e-15));
  CHECK(g[1] == Approx(std::exp(1.0) * 2.0 - 2.0).epsilon(1e-15));
  array x{{0.5, 1.0}, requires_grad};
  const var s = sum(x * x * x);
  s.backward({.retain_graph = true});
  s.backward();
  CHECK(x.grad()->to_vector() == std::vector<double>{2 * 3 * 0.25, 2 * 3 * 1.0});
}

TEST_CASE("backward on an array needs the gradient of a vector-Jacobian product") {
  array x{{1.0, 2.0, 3.0}, requires_grad};
  const array y = x * x;
  CHECK_THROWS_WITH_AS(y.backward(),
                       Contains("grad can be implicitly created only for scalar outputs"),
                       tape::invalid_argument);
  CHECK_THROWS_WITH_AS(y.backward(), Contains("sum(y).backward()"), tape::invalid_argument);
  CHECK_THROWS_WITH_AS(y.backward({1.0, 1.0}), Contains("with a gradient of 2"),
                       tape::shape_mismatch);
  y.backward({1.0, 0.5, 0.0});
  CHECK(x.grad()->to_vector() == std::vector<double>{2.0, 2.0, 0.0});
}

TEST_CASE("a one-element array may call backward() without a gradient, as in PyTorch") {
  array x{{3.0}, requires_grad};
  (x * x).backward();
  CHECK(x.grad()->to_vector() == std::vector<double>{6.0});
}

TEST_CASE("arrays of different lengths in one op are an error") {
  const array a{1.0, 2.0};
  const array b{1.0, 2.0, 3.0};
  CHECK_THROWS_WITH_AS(a + b, Contains("arrays of 2 and 3 elements"), tape::shape_mismatch);
  CHECK_THROWS_AS(dot(a, b), tape::shape_mismatch);
  CHECK_THROWS_WITH_AS(a.slice(1, 3), Contains("slice [1, 3)"), tape::shape_mismatch);
  CHECK_THROWS_WITH_AS((void)a[2], Contains("index 2 is out of range"), tape::shape_mismatch);
  CHECK_THROWS_WITH_AS(mean(array{}), Contains("empty"), tape::shape_mismatch);
}

TEST_CASE("gradient descent on an array leaf, in place under no_grad") {
  array w{{0.0, 0.0, 0.0}, requires_grad};
  const array target{1.0, -2.0, 3.0};
  CHECK_THROWS_AS(w -= 1.0, tape::inplace_on_leaf);
  for (int step = 0; step < 200; ++step) {
    sum(pow(w - target, 2)).backward();
    {
      leibniz::no_grad guard;
      w -= 0.1 * *w.grad();
    }
    w.zero_grad();
  }
  for (std::size_t i = 0; i < 3; ++i) CHECK(w.value(i) == Approx(target.value(i)));
  CHECK(w.is_leaf());
  CHECK(w.grad()->to_vector() == std::vector<double>{0.0, 0.0, 0.0});
}

TEST_CASE("an array leaf not reached keeps no gradient; a reached one gets zeros where unused") {
  array x{{1.0, 2.0, 3.0}, requires_grad};
  array unused{{1.0, 2.0}, requires_grad};
  const array keep = unused * 2.0;
  (x[1] * 3.0).backward();
  CHECK(x.grad()->to_vector() == std::vector<double>{0.0, 3.0, 0.0});
  CHECK_FALSE(unused.grad().has_value());
}

TEST_CASE("detach, no_grad and constants: arrays that do not require grad") {
  array x{{1.0, 2.0}, requires_grad};
  const array d = (x * x).detach();
  CHECK_FALSE(d.requires_grad());
  CHECK(d.to_vector() == std::vector<double>{1.0, 4.0});
  leibniz::no_grad guard;
  CHECK_FALSE((x * x).requires_grad());
  CHECK_FALSE(sum(x).requires_grad());
}

TEST_CASE("arrays print like tensors") {
  array x{{1.0, 2.0}, requires_grad};
  std::ostringstream out;
  out << x << ' ' << x * x << ' ' << array{5.0};
  CHECK(out.str() == "array([1, 2], requires_grad) array([1, 4], grad_fn=mul) array([5])");
}

TEST_CASE("a statistics model with arrays: normal log density in mu and sigma") {
  const array y{0.5, -0.25, 1.5, 0.75};
  var mu{0.3, requires_grad};
  var sigma{1.7, requires_grad};
  const array z = (y - mu) / sigma;
  const double n = 4.0;
  var lp = -0.5 * dot(z, z) - n * log(sigma);
  lp.backward();
  double dmu = 0.0;
  double dsigma = -n / 1.7;
  for (double yi : y) {
    dmu += (yi - 0.3) / (1.7 * 1.7);
    dsigma += (yi - 0.3) * (yi - 0.3) / (1.7 * 1.7 * 1.7);
  }
  CHECK(*mu.grad() == Approx(dmu).epsilon(1e-14));
  CHECK(*sigma.grad() == Approx(dsigma).epsilon(1e-14));
}

TEST_CASE("an array converts to a std::vector of its values") {
  array x{{1.0, 2.0}, requires_grad};
  sum(x * x).backward();
  const std::vector<double> g = *x.grad();
  CHECK(g == std::vector<double>{2.0, 4.0});
  CHECK((*x.grad())[1] == 4.0);
}

TEST_CASE("dot(x, x) is one operand with partials 2x; dot of two views of one leaf is not") {
  tape::release_memory();
  array x{{1.0, 2.0, 3.0}, requires_grad};
  var s = dot(x, x);
  CHECK(tape::statistics().pool_values == 3);  // 2x, stored once
  s.backward();
  const std::vector<double> g = *x.grad();
  CHECK(g == std::vector<double>{2.0, 4.0, 6.0});
  x.zero_grad();
  var u = dot(x.slice(0, 2), x.slice(1, 3));  // x0 x1 + x1 x2
  u.backward();
  const std::vector<double> h = *x.grad();
  CHECK(h == std::vector<double>{2.0, 4.0, 2.0});
}

// The sweep passes over a run of leaf slots in one tight loop: runs of array leaves and scalar
// leaves next to each other, and entries between them, must all still get their gradients.
TEST_CASE("array and scalar leaves registered side by side each get their gradient") {
  std::vector<double> av(100), bv(37);
  for (std::size_t i = 0; i < av.size(); ++i) av[i] = 0.01 * static_cast<double>(i);
  for (std::size_t i = 0; i < bv.size(); ++i) bv[i] = 1.0 + 0.1 * static_cast<double>(i);
  tape::array a{av, requires_grad};
  tape::array b{bv, requires_grad};
  var x{2.0, requires_grad};
  var w{-1.0, requires_grad};
  var y = sum(a * a) + x * w + sum(b) * x + w;  // a, b, x, w: leaves registered in a row
  y.backward();
  const std::vector<double> ga = a.grad()->to_vector();
  const std::vector<double> gb = b.grad()->to_vector();
  for (std::size_t i = 0; i < av.size(); ++i) CHECK(ga[i] == doctest::Approx(2.0 * av[i]));
  for (std::size_t i = 0; i < bv.size(); ++i) CHECK(gb[i] == doctest::Approx(2.0));
  double sum_b = 0.0;
  for (double v : bv) sum_b += v;
  CHECK(*x.grad() == doctest::Approx(-1.0 + sum_b));
  CHECK(*w.grad() == doctest::Approx(3.0));
  // an entry right below a run of leaf slots
  x.zero_grad();
  w.zero_grad();
  var p = x * w;
  tape::array c{std::vector<double>(10, 0.5), requires_grad};
  var z = p * sum(c);  // c's ten slots are registered above p's entry
  z.backward();
  CHECK(*x.grad() == doctest::Approx(-5.0));
  CHECK(*w.grad() == doctest::Approx(10.0));
  for (double g : c.grad()->to_vector()) CHECK(g == doctest::Approx(-2.0));
  // and inside tape::gradient, whose inputs sit right above the leaves registered before it
  const auto [gx, gv] =
      tape::gradient([&](const var& u, const tape::array& v) { return u * sum(v * b) + sum(a); },
                     3.0, std::vector<double>(bv.size(), 2.0));
  CHECK(gx == doctest::Approx(2.0 * sum_b));
  for (std::size_t i = 0; i < bv.size(); ++i) CHECK(gv[i] == doctest::Approx(3.0 * bv[i]));
}

TEST_CASE("sums over many elements (eight running totals): values and broadcast gradients") {
  // 1003 elements: 125 blocks of eight and a remainder of three.
  std::vector<double> values(1003);
  long double total = 0.0L;
  long double squares = 0.0L;
  for (std::size_t i = 0; i < values.size(); ++i) {
    values[i] = std::sin(static_cast<double>(i)) + 0.25;
    total += values[i];
    squares += static_cast<long double>(values[i]) * values[i];
  }
  var w{2.0, requires_grad};
  const array x{values, requires_grad};
  const var s = sum(x * w);  // w broadcast: d s / d w = sum(x)
  const var q = dot(x, x);
  const var m = mean(x + w);  // d m / d w = 1
  CHECK(s.value() == Approx(static_cast<double>(2.0L * total)).epsilon(1e-14));
  CHECK(q.value() == Approx(static_cast<double>(squares)).epsilon(1e-14));
  CHECK(m.value() == Approx(static_cast<double>(total / 1003.0L + 2.0L)).epsilon(1e-14));
  s.backward();
  CHECK(*w.grad() == Approx(static_cast<double>(total)).epsilon(1e-14));
  w.zero_grad();
  m.backward();
  CHECK(*w.grad() == Approx(1.0).epsilon(1e-15));
  const std::vector<double> g = x.grad()->to_vector();
  CHECK(g.front() == Approx(2.0 + 1.0 / 1003.0).epsilon(1e-15));
  CHECK(g.back() == Approx(2.0 + 1.0 / 1003.0).epsilon(1e-15));
}

TEST_CASE("functions of a temporary array take its entry over, against the same in scalars") {
  const std::vector<double> positive{0.5, 0.25, 0.75, 0.125};
  check_same(gradients(
      positive,
      [](const array& x) {
        return sum(sqrt(x * 2.0) + cbrt(x + 1.0) + exp(x * x) + expm1(x * 0.5) + log(x + 2.0) +
                   log1p(x * 3.0) + sin(x * x) + cos(x * 2.0) + tan(x * 0.5) + asin(x * 0.5) +
                   acos(x * 0.5) + atan(x * x) + sinh(x * 2.0) + cosh(x * 2.0) + tanh(x * x) +
                   erf(x * 2.0) + sigmoid(x * x) + abs(x - 0.3));
      },
      [](std::span<const var> x) {
        var s = 0.0;
        for (const var& v : x)
          s += sqrt(v * 2.0) + cbrt(v + 1.0) + exp(v * v) + expm1(v * 0.5) + log(v + 2.0) +
               log1p(v * 3.0) + sin(v * v) + cos(v * 2.0) + tan(v * 0.5) + asin(v * 0.5) +
               acos(v * 0.5) + atan(v * v) + sinh(v * 2.0) + cosh(v * 2.0) + tanh(v * v) +
               erf(v * 2.0) + sigmoid(v * v) + abs(v - 0.3);
        return s;
      }));
  // logsumexp in its stable form: x - m, exp and sum are one entry of one slot.
  tape::release_memory();
  array x{point, requires_grad};
  var m{0.25, requires_grad};
  const var y = log(sum(exp(x - m))) + m;
  CHECK(tape::statistics().array_entries == 1);
  y.backward();
  double total = 0.0;
  for (double v : point) total += std::exp(v - 0.25);
  const std::vector<double> g = x.grad()->to_vector();
  for (std::size_t i = 0; i < g.size(); ++i)
    CHECK(g[i] == Approx(std::exp(point[i] - 0.25) / total).epsilon(1e-15));
  CHECK(*m.grad() == Approx(0.0).scale(1.0).epsilon(1e-15));
  // A named array records an entry of its own; exp(x * x), qualified or not, is one entry too
  // (the mul is not recorded apart: exp's entry holds the chain rule's product 2 x e^(x^2)).
  const array squares = x * x;
  const array e = leibniz::exp(x * x);
  CHECK(tape::statistics().array_entries == 2);
  CHECK(e.grad_fn() == "exp");
  CHECK(squares.grad_fn() == "mul");
  x.zero_grad();
  e.backward(std::vector<double>(point.size(), 1.0));
  for (std::size_t i = 0; i < point.size(); ++i)
    CHECK(x.grad()->value(i) ==
          Approx(2 * point[i] * std::exp(point[i] * point[i])).epsilon(1e-15));
}
