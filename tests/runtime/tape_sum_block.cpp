// tests/runtime/tape_sum_block.cpp
// tape::apply of a static sum over data (a sum block): the whole loop is one tape entry whose
// partials static mode's compiled gradient computes. Its value and gradient against hand-written
// ones, static mode's own, array ops and op-by-op tapes; the binding kinds; the errors.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

namespace tape = leibniz::tape;
using doctest::Approx;
using leibniz::requires_grad;
using tape::var;
using namespace leibniz::literals;

namespace {

constexpr leibniz::index<"i"> i;
constexpr leibniz::index<"j"> j;
constexpr leibniz::vector<"x"> x;
constexpr leibniz::vector<"y"> y;
constexpr leibniz::vector<"z"> z;
constexpr leibniz::variable<"mu"> mu;
constexpr leibniz::variable<"sigma"> sigma;
constexpr leibniz::variable<"w"> w;

constexpr auto rosenbrock =
    leibniz::sum(i < size(x) - 1_c, 100_c * leibniz::pow<2>(x[i + 1_c] - leibniz::pow<2>(x[i])) +
                                        leibniz::pow<2>(1_c - x[i]));
constexpr auto logsumexp = log(leibniz::sum(i < size(x), exp(x[i])));
constexpr auto normal_lpdf = leibniz::sum(
    i < size(y), -leibniz::constant<1, 2>* leibniz::pow<2>((y[i] - mu) / sigma) - log(sigma));

const std::vector<double> v{0.5, 0.75, -0.25, 1.5, 2.0, 0.125};

}  // namespace

TEST_CASE("a sum block is one entry: rosenbrock against hand, static mode and array ops") {
  const std::size_t n = v.size();
  tape::array a(v, requires_grad);
  const tape::tape_statistics before = tape::statistics();
  const var r = tape::apply(rosenbrock, x = a);
  const tape::tape_statistics after = tape::statistics();
  CHECK(after.array_entries == before.array_entries + 1);
  CHECK(after.slots == before.slots + n + 1);  // the leaf's n slots, the sum's one
  CHECK(after.pool_values == before.pool_values + n);
  CHECK(r.requires_grad());
  CHECK_FALSE(r.is_leaf());
  CHECK(*r.grad_fn() == std::string(leibniz::to_string(rosenbrock).view()));
  double value = 0;
  std::vector<double> hand(n, 0.0);
  for (std::size_t k = 0; k + 1 < n; ++k) {
    const double s = v[k + 1] - v[k] * v[k];
    value += 100 * s * s + (1 - v[k]) * (1 - v[k]);
    hand[k] += -400 * v[k] * s - 2 * (1 - v[k]);
    hand[k + 1] += 200 * s;
  }
  CHECK(r.value() == Approx(value).epsilon(1e-15));
  CHECK(r.value() == rosenbrock(x = v));
  r.backward();

  std::vector<double> compiled(n);
  leibniz::gradient(rosenbrock, x)(x = v, leibniz::into(x) = compiled);
  tape::array b(v, requires_grad);
  const tape::array s = b.slice(1, n) - b.slice(0, n - 1) * b.slice(0, n - 1);
  const tape::array t = 1.0 - b.slice(0, n - 1);
  sum(100.0 * s * s + t * t).backward();
  const std::vector<double> got = a.grad()->to_vector();
  const std::vector<double> ops = b.grad()->to_vector();
  for (std::size_t k = 0; k < n; ++k) {
    CAPTURE(k);
    CHECK(got[k] == compiled[k]);  // the same compiled code, run by the tape
    CHECK(got[k] == Approx(hand[k]).epsilon(1e-14));
    CHECK(got[k] == Approx(ops[k]).epsilon(1e-14));
  }
}

TEST_CASE("a sum block: logsumexp's softmax, and normal_lpdf over data with var parameters") {
  tape::array a(v, requires_grad);
  const var l = tape::apply(logsumexp, x = a);
  double total = 0;
  for (double e : v) total += std::exp(e);
  CHECK(l.value() == Approx(std::log(total)).epsilon(1e-15));
  l.backward();
  const std::vector<double> g = a.grad()->to_vector();
  for (std::size_t k = 0; k < v.size(); ++k)
    CHECK(g[k] == Approx(std::exp(v[k]) / total).epsilon(1e-15));

  // Data bound as a std::vector, mu and sigma as vars: against the formula and against the
  // same terms as an array block and as scalar static blocks.
  const std::vector<double> data{0.1, 0.5, -0.3, 2.25};
  var m{0.3, requires_grad};
  var sd{1.7, requires_grad};
  const var lp = tape::apply(normal_lpdf, y = data, mu = m, sigma = sd);
  lp.backward();
  double expected = 0;
  double dmu = 0;
  double dsigma = 0;
  for (double e : data) {
    const double u = (e - 0.3) / 1.7;
    expected += -0.5 * u * u - std::log(1.7);
    dmu += u / 1.7;
    dsigma += u * u / 1.7 - 1 / 1.7;
  }
  CHECK(lp.value() == Approx(expected).epsilon(1e-15));
  CHECK(*m.grad() == Approx(dmu).epsilon(1e-14));
  CHECK(*sd.grad() == Approx(dsigma).epsilon(1e-14));

  constexpr leibniz::variable<"b"> b;
  constexpr leibniz::variable<"m"> mv;
  constexpr leibniz::variable<"s"> sv;
  var m2{0.3, requires_grad};
  var sd2{1.7, requires_grad};
  const auto term = -leibniz::constant<1, 2> * ((b - mv) / sv) * ((b - mv) / sv) - log(sv);
  sum(tape::apply(term, b = tape::array(data), mv = m2, sv = sd2)).backward();
  CHECK(*m.grad() == Approx(*m2.grad()).epsilon(1e-14));
  CHECK(*sd.grad() == Approx(*sd2.grad()).epsilon(1e-14));
}

TEST_CASE("a sum block's bindings: folds of vars, numbers, one array twice, unequal lengths") {
  tape::array a({1.0, 2.0, 3.0}, requires_grad);
  var m{0.25, requires_grad};
  // A var through an affine fold (d (2 m) / d m = 2), and a number bound.
  const var r = tape::apply(leibniz::sum(i < size(x), w * x[i] + mu), x = a, w = 2.0 * m, mu = 3.0);
  CHECK(r.value() == 0.5 * 6 + 9);
  r.backward();
  CHECK(*m.grad() == 2 * 6.0);
  CHECK(a.grad()->to_vector() == std::vector<double>{0.5, 0.5, 0.5});

  // One array bound to two vectors: one operand, its partials added (2 a).
  a.zero_grad();
  tape::apply(leibniz::sum(i < size(x), x[i] * y[i]), x = a, y = a).backward();
  CHECK(a.grad()->to_vector() == std::vector<double>{2.0, 4.0, 6.0});

  // Two sums over arrays of different lengths, in one expression and one entry.
  a.zero_grad();
  tape::array c({0.5, -1.0}, requires_grad);
  const auto product = leibniz::sum(i < size(x), x[i]) * leibniz::sum(j < size(z), z[j] * z[j]);
  const std::size_t entries = tape::statistics().array_entries;
  const var p = tape::apply(product, x = a, z = c);
  CHECK(tape::statistics().array_entries == entries + 1);
  CHECK(p.value() == 6.0 * 1.25);
  p.backward();
  CHECK(a.grad()->to_vector() == std::vector<double>{1.25, 1.25, 1.25});
  CHECK(c.grad()->to_vector() == std::vector<double>{6.0 * 1.0, 6.0 * -2.0});

  // An array that requires grad beside one that does not: the second's partials are not
  // recorded (its values are data).
  a.zero_grad();
  const tape::array weights({1.0, 10.0, 100.0});
  tape::apply(leibniz::sum(i < size(x), x[i] * y[i]), x = a, y = weights).backward();
  CHECK(a.grad()->to_vector() == std::vector<double>{1.0, 10.0, 100.0});
  CHECK_FALSE(weights.grad().has_value());

  // An array that requires no grad is data; the var beside it still gets its gradient.
  var k{2.0, requires_grad};
  const var q =
      tape::apply(leibniz::sum(i < size(x), w * x[i] * x[i]), x = tape::array({1.0, 2.0}), w = k);
  q.backward();
  CHECK(q.value() == 10.0);
  CHECK(*k.grad() == 5.0);

  // A slice and the result of an array op are operands like any array: the gradient flows
  // through the slice to its source, and through 2 a to a.
  tape::array u({0.5, 1.0, 1.5, 2.0}, requires_grad);
  tape::apply(leibniz::sum(i < size(x), x[i] * x[i]), x = u.slice(1, 3)).backward();
  CHECK(u.grad()->to_vector() == std::vector<double>{0.0, 2.0, 3.0, 0.0});
  u.zero_grad();
  tape::apply(leibniz::sum(i < size(x), x[i] * x[i]), x = 2.0 * u).backward();
  CHECK(u.grad()->to_vector() == std::vector<double>{4.0, 8.0, 12.0, 16.0});  // 8 u

  // Static mode reads a tape array's numbers the same way.
  CHECK(rosenbrock(x = tape::array(v)) == rosenbrock(x = v));
}

TEST_CASE("a sum block inside a larger graph: retained graphs accumulate, and tape::gradient") {
  tape::array a(v, requires_grad);
  var m{0.5, requires_grad};
  // log(logsumexp(x * mu) * mu): the block's result feeds ops recorded op by op.
  const var l = log(tape::apply(log(leibniz::sum(i < size(x), exp(x[i] * mu))), x = a, mu = m) * m);
  l.backward({.retain_graph = true});
  const std::vector<double> once = a.grad()->to_vector();
  const double once_m = *m.grad();
  l.backward();
  for (std::size_t k = 0; k < v.size(); ++k) CHECK(a.grad()->to_vector()[k] == 2 * once[k]);
  CHECK(*m.grad() == 2 * once_m);

  // The same function op by op on scalar vars.
  std::vector<var> xs;
  for (double e : v) xs.emplace_back(e, requires_grad);
  var m2{0.5, requires_grad};
  var s = 0.0;
  for (const var& e : xs) s = s + exp(e * m2);
  const var l2 = log(log(s) * m2);
  CHECK(l.value() == Approx(l2.value()).epsilon(1e-15));
  l2.backward();
  for (std::size_t k = 0; k < v.size(); ++k) CHECK(once[k] == Approx(*xs[k].grad()).epsilon(1e-14));
  CHECK(once_m == Approx(*m2.grad()).epsilon(1e-14));

  // A function transform over an array input: no .grad is touched.
  const std::vector<double> g = tape::gradient(
      [](const tape::array& input) { return tape::apply(rosenbrock, x = input); }, v);
  std::vector<double> compiled(v.size());
  leibniz::gradient(rosenbrock, x)(x = v, leibniz::into(x) = compiled);
  CHECK(g == compiled);
}

TEST_CASE("a sum block under no_grad or without grad records nothing; errors; its picture") {
  tape::array a({1.0, 2.0, 3.0}, requires_grad);
  const std::size_t slots = tape::statistics().slots;
  {
    const leibniz::no_grad guard;
    const var r = tape::apply(logsumexp, x = a);
    CHECK_FALSE(r.requires_grad());
    CHECK(r.value() == Approx(std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0))));
  }
  const var constant =
      tape::apply(leibniz::sum(i < size(x), mu * x[i]), x = std::vector{1.0, 2.0}, mu = 3.0);
  CHECK_FALSE(constant.requires_grad());
  CHECK(constant.value() == 9.0);
  CHECK(tape::statistics().slots == slots);

  // An empty array contributes nothing; the var beside it still has its gradient.
  var m{2.0, requires_grad};
  const var e = tape::apply(leibniz::sum(i < size(x), x[i]) + mu * mu,
                            x = tape::array(std::vector<double>{}, requires_grad), mu = m);
  e.backward();
  CHECK(e.value() == 4.0);
  CHECK(*m.grad() == 4.0);

  // An array whose graph backward() released cannot be an operand.
  const tape::array sq = a * a;
  sum(sq).backward();
  CHECK_THROWS_WITH_AS(tape::apply(logsumexp, x = sq),
                       doctest::Contains("whose graph was released by backward()"),
                       leibniz::tape::graph_released);

  // to_dot names the entry after the expression.
  const var r = tape::apply(logsumexp, x = a);
  const std::string dot = tape::to_dot(r);
  CHECK(dot.find("label=\"log(sum(i < size(x), exp(x[i])))") != std::string::npos);
}
