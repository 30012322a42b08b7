// tests/runtime/tape_static.cpp
// Where the two modes meet: a static expression evaluated on tape vars records itself op by
// op, or as one entry (tape::apply, a static block) whose partials the static engine
// computes; either way its tape gradient is the static gradient.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace tape = leibniz::tape;
using doctest::Approx;
using leibniz::requires_grad;
using tape::var;

namespace {

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;

/// e at (2/3, 5/4) three ways -- op by op on vars, as one static block, by the static
/// engine -- and the gradients must agree to a few ulp. The reference is the symbolic
/// derivative d(e, x) evaluated; the compiled gradient (which the static block uses) is
/// checked against it too.
template <class E>
void check_modes(const E& e, double px = 2.0 / 3.0, double py = 5.0 / 4.0) {
  CAPTURE(std::string(leibniz::to_string(e).view()));
  const double dx = leibniz::d(e, x)(x = px, y = py);
  const double dy = leibniz::d(e, y)(x = px, y = py);
  const double value = e(x = px, y = py);

  var ax{px, requires_grad};
  var ay{py, requires_grad};
  const var op_by_op = e(x = ax, y = ay);
  CHECK(op_by_op.value() == Approx(value).epsilon(1e-15));
  op_by_op.backward();
  CHECK(ax.grad().value_or(0.0) == Approx(dx).epsilon(1e-14));
  CHECK(ay.grad().value_or(0.0) == Approx(dy).epsilon(1e-14));

  const std::array<double, 2> compiled = leibniz::gradient(e, x, y)(x = px, y = py);
  CHECK(compiled[0] == Approx(dx).epsilon(1e-14));
  CHECK(compiled[1] == Approx(dy).epsilon(1e-14));

  var bx{px, requires_grad};
  var by{py, requires_grad};
  const var block = tape::apply(e, x = bx, y = by);
  CHECK(block.value() == Approx(value).epsilon(1e-15));
  block.backward();
  CHECK(bx.grad().value_or(0.0) == Approx(dx).epsilon(1e-14));
  CHECK(by.grad().value_or(0.0) == Approx(dy).epsilon(1e-14));
}

}  // namespace

TEST_CASE("the seed's functions as static expressions on vars") {
  check_modes(x * x + y * y);
  check_modes(x * x * y + x * y * y);
  check_modes((x + y) * (x - y));
  check_modes(3 * x * x + 2 * x + 1 + 0 * y);
}

TEST_CASE("every function of the op table, static on vars against the static gradient") {
  using namespace leibniz::literals;
  check_modes(sin(x * y) + cos(x) / y + tan(x / 3));
  check_modes(exp(x) * log(y) + expm1(x / y) - log1p(x * y));
  check_modes(sqrt(x * y) + cbrt(x + y) + pow(x, 3_c) / pow(y, leibniz::constant<1, 4>));
  check_modes(pow(x, y) + pow(y, 2.5) * pow<2>(x));
  check_modes(asin(x / 2) + acos(y / 2) * atan(x - y));
  check_modes(sinh(x) * cosh(y) - tanh(x * y));
  check_modes(erf(x - y) + sigmoid(x * y));
  check_modes(abs(x - y) + min(x, y) * max(x, y) + sign(y) + step(x - 1));
  check_modes(1 / (x * x + y) - x / (1 + y * y) + leibniz::pi * x);
}

TEST_CASE("a static expression evaluated on vars records op by op: many entries") {
  tape::release_memory();
  var ax{2.0, requires_grad};
  var ay{3.0, requires_grad};
  const auto e = sin(x * y) * exp(x) + y * y;
  const var op_by_op = e(x = ax, y = ay);
  const std::size_t op_entries = tape::statistics().records;
  const var block = tape::apply(e, x = ax, y = ay);
  CHECK(tape::statistics().records - op_entries == 2);  // one entry: one record per input
  CHECK(op_entries > 4);
  CHECK(block.grad_fn() == std::string(leibniz::to_string(e).view()));
}

TEST_CASE("a static block mixes with op-by-op recording and with constants") {
  var ax{0.5, requires_grad};
  const var c{4.0};
  const var inner = ax * ax;                                // op by op
  const var b = tape::apply(sin(x) * y, x = inner, y = c);  // y bound to a constant
  const var outer = b * ax;                                 // op by op again
  outer.backward();
  const double s = std::sin(0.25);
  CHECK(ax.grad() == Approx(4.0 * std::cos(0.25) * 2 * 0.5 * 0.5 + 4.0 * s).epsilon(1e-15));
}

TEST_CASE("a static block bound to numbers only records nothing") {
  const var b = tape::apply(x * y, x = 2.0, y = 3.0);
  CHECK(b.value() == 6.0);
  CHECK_FALSE(b.requires_grad());
}

TEST_CASE("a static block's value counts every operand, also those its partials do not read") {
  // d(s + exp(a)) = (1, exp(a)): the compiled gradient alone never reads s; the value must.
  const auto body = y + exp(x);
  var s = 0.0;
  var a{0.5, requires_grad};
  for (int i = 0; i < 3; ++i) s = tape::apply(body, y = s, x = a);
  CHECK(s.value() == Approx(3 * std::exp(0.5)).epsilon(1e-15));
  const var l = log(s);
  l.backward();
  CHECK(*a.grad() == Approx(1.0).epsilon(1e-15));  // d log(3 exp(a)) / da = 1
}

// A static block checks its room with one comparison against the ops' limit and lowers the
// limit by what its records take: long runs of blocks of 3 and 6 operands, with leaves first
// used in them, cross every growth of the tape.
TEST_CASE("long runs of static blocks of several operands: the gradient of each leaf") {
  constexpr leibniz::variable<"s"> s_;
  constexpr leibniz::variable<"a"> a_;
  constexpr leibniz::variable<"b"> b_;
  constexpr leibniz::variable<"c"> c_;
  constexpr leibniz::variable<"d"> d_;
  constexpr leibniz::variable<"e"> e_;
  constexpr auto three = s_ + a_ * b_;
  constexpr auto six = s_ + a_ * b_ + c_ * d_ * e_;
  tape::release_memory();
  std::vector<var> v;
  const int n = 30'000;
  for (int i = 0; i < n + 4; ++i) v.emplace_back(1.0 + 1e-4 * i, requires_grad);
  var s = 0.0;
  for (int i = 0; i < n; ++i) {
    s = tape::apply(three, s_ = s, a_ = v[i], b_ = v[i + 1]);
    s = tape::apply(six, s_ = s, a_ = v[i], b_ = v[i + 1], c_ = v[i + 2], d_ = v[i + 3],
                    e_ = v[i + 4]);
  }
  s.backward();
  // d s / d v[j]: 2 v[j+1] + 2 v[j-1] from the products a * b, and from c * d * e the
  // products of the other two factors wherever v[j] is c, d or e.
  const auto at = [&](int j) { return j >= 0 && j < n + 5 ? v[j].value() : 0.0; };
  for (int j = 0; j < n + 4; ++j) {
    double want = 0.0;
    if (j < n) want += 2.0 * at(j + 1);
    if (j >= 1 && j - 1 < n) want += 2.0 * at(j - 1);
    for (int k = 2; k <= 4; ++k) {
      const int i = j - k;  // v[j] is the k-th operand of element i
      if (i < 0 || i >= n) continue;
      double product = 1.0;
      for (int q = 2; q <= 4; ++q)
        if (q != k) product *= at(i + q);
      want += product;
    }
    CHECK(v[j].grad().value_or(0.0) == Approx(want).epsilon(1e-13));
  }
}

TEST_CASE("x = v binds a named var by reference, a temporary var and a number by value") {
  // A copy of a var counts one more handle and drops it again: the binding of a named var
  // refers to it instead (std::ref's caveat: it must not outlive v).
  var v{1.0, requires_grad};
  static_assert(std::is_same_v<decltype(x = v), leibniz::binding<"x", const var&>>);
  static_assert(std::is_same_v<decltype(x = std::as_const(v)), leibniz::binding<"x", const var&>>);
  static_assert(std::is_same_v<decltype(x = v * v), leibniz::binding<"x", var>>);
  static_assert(std::is_same_v<decltype(x = 2.0), leibniz::binding<"x", double>>);
  double number = 2.0;
  static_assert(std::is_same_v<decltype(x = number), leibniz::binding<"x", double>>);
  const auto bound = (x = v);
  CHECK(&bound.value == &v);
  // Evaluation and static blocks see the var through the reference.
  CHECK((x * x)(bound) == 1.0);
  const var w = tape::apply(x * x + y, bound, y = v * 3.0);
  CHECK(w.value() == 4.0);
  w.backward();
  CHECK(*v.grad() == 5.0);  // 2 v + 3
}

TEST_CASE("static blocks on results of this recording: scaled handles, no_grad, stale vars") {
  constexpr leibniz::variable<"s"> s_;
  var a{1.5, requires_grad};
  var b{-0.5, requires_grad};
  const var ab = a * b;    // an entry of this recording
  const var h = 4.0 * ab;  // a fold: the same entry, d h / d entry = 4
  // Every operand is a current entry (the fast path), one of them through a scale, one a
  // temporary fold bound by value.
  var s = tape::apply(s_ * x + sin(y), s_ = h, x = ab, y = -ab);
  const double p = 1.5 * -0.5;
  CHECK(s.value() == Approx(4 * p * p + std::sin(-p)).epsilon(1e-15));
  // d s / d ab = 8 ab - cos(-ab); d ab / da = b, d ab / db = a.
  const double ds = 8 * p - std::cos(-p);
  {
    const leibniz::no_grad guard;
    const var off = tape::apply(s_ * x, s_ = h, x = ab);  // records nothing
    CHECK(off.value() == Approx(4 * p * p).epsilon(1e-15));
    CHECK_FALSE(off.requires_grad());
  }
  s.backward({.retain_graph = true});
  CHECK(*a.grad() == Approx(ds * -0.5).epsilon(1e-14));
  CHECK(*b.grad() == Approx(ds * 1.5).epsilon(1e-14));

  // After a backward() that releases the graph, its entries are gone: a block on them throws.
  s.backward();
  CHECK_THROWS_WITH_AS(tape::apply(s_ + x, s_ = ab, x = a),
                       doctest::Contains("whose graph was released by backward()"),
                       leibniz::tape::graph_released);
}

// From the second step of a training loop on, the leaves are registered before the loop
// records (backward() keeps them): static blocks read them without registering, in one
// entry each, and bound vars that require no grad are constants of the block.
TEST_CASE("static blocks on leaves kept from the last step: one entry per block, each step") {
  constexpr leibniz::variable<"s"> s_;
  constexpr leibniz::variable<"m"> m_;
  constexpr leibniz::variable<"g"> g_;
  constexpr leibniz::variable<"c"> c_;
  constexpr auto term = s_ - c_ * ((y - m_) / g_) * ((y - m_) / g_) - log(g_);
  const std::vector<double> data{0.25, -1.5, 2.0, 0.75};
  var mu{0.3, requires_grad};
  var sigma{1.7, requires_grad};
  const var half{0.5};  // requires no grad: a constant of each block
  for (int step = 0; step < 3; ++step) {
    var s = 0.0;
    for (double yi : data) s = tape::apply(term, s_ = s, m_ = mu, g_ = sigma, c_ = half, y = yi);
    if (step > 0) {
      CHECK(tape::statistics().slots == 2 + data.size());  // the two leaves, one entry each
      CHECK(*s.grad_fn() == leibniz::to_string(term).view());
    }
    s.backward();
    // d/dmu = sum of z / sigma, d/dsigma = sum of (z^2 - 1) / sigma, z = (y - mu) / sigma.
    double dmu = 0.0;
    double dsigma = 0.0;
    for (double yi : data) {
      const double z = (yi - mu.value()) / sigma.value();
      dmu += z / sigma.value();
      dsigma += (z * z - 1.0) / sigma.value();
    }
    CAPTURE(step);
    CHECK(*mu.grad() == Approx(dmu).epsilon(1e-14));
    CHECK(*sigma.grad() == Approx(dsigma).epsilon(1e-14));
    CHECK_FALSE(half.grad().has_value());
    {
      const leibniz::no_grad guard;
      mu -= 0.1 * *mu.grad();
      sigma -= 0.1 * *sigma.grad();
    }
    mu.zero_grad();
    sigma.zero_grad();
  }
  // A block whose vars all require no grad records nothing, as one bound to numbers only.
  const var off = tape::apply(term, s_ = half, m_ = half, g_ = var{2.0}, c_ = half, y = 1.0);
  CHECK_FALSE(off.requires_grad());
  CHECK(off.value() == Approx(0.5 - 0.5 * 0.0625 - std::log(2.0)).epsilon(1e-15));
}

// ---- array blocks: tape::apply with arrays bound ------------------------------------------

namespace {
constexpr leibniz::variable<"a"> a_;
constexpr leibniz::variable<"b"> b_;
constexpr leibniz::variable<"m"> m_;
constexpr leibniz::variable<"s"> s_;
constexpr auto rosenbrock_body = leibniz::constant<100> * (b_ - a_ * a_) * (b_ - a_ * a_) +
                                 (leibniz::constant<1> - a_) * (leibniz::constant<1> - a_);
}  // namespace

TEST_CASE(
    "an array block is one array entry: rosenbrock's values, and its gradient by hand, "
    "by array ops and by static mode agree") {
  const std::vector<double> v{0.5, 0.75, -0.25, 1.5, 2.0, 0.125};
  const std::size_t n = v.size();
  tape::array x(v, requires_grad);
  const tape::array head = x.slice(0, n - 1);
  const tape::array tail = x.slice(1, n);
  const tape::tape_statistics before = tape::statistics();
  tape::array r = tape::apply(rosenbrock_body, a_ = head, b_ = tail);
  const tape::tape_statistics after = tape::statistics();
  CHECK(after.array_entries == before.array_entries + 1);
  CHECK(after.slots == before.slots + (n - 1));
  REQUIRE(r.size() == n - 1);
  CHECK(r.requires_grad());
  CHECK(*r.grad_fn() == std::string(leibniz::to_string(rosenbrock_body).view()));
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const double a = v[i];
    const double b = v[i + 1];
    CHECK(r.values()[i] == Approx(100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a)));
  }
  sum(std::move(r)).backward();
  // The hand-written gradient, and the same function written with array ops.
  std::vector<double> hand(n, 0.0);
  for (std::size_t i = 0; i + 1 < n; ++i) {
    hand[i] += -400 * v[i] * (v[i + 1] - v[i] * v[i]) - 2 * (1 - v[i]);
    hand[i + 1] += 200 * (v[i + 1] - v[i] * v[i]);
  }
  tape::array w(v, requires_grad);
  const tape::array wa = w.slice(1, n) - w.slice(0, n - 1) * w.slice(0, n - 1);
  const tape::array wb = 1.0 - w.slice(0, n - 1);
  sum(100.0 * wa * wa + wb * wb).backward();
  // And static mode: the compiled gradient of the sum over data, no tape.
  using namespace leibniz::literals;
  constexpr leibniz::index<"i"> i_;
  constexpr leibniz::vector<"x"> xv;
  constexpr auto over_data = leibniz::sum(
      i_ < size(xv) - 1_c, 100_c * leibniz::pow<2>(xv[i_ + 1_c] - leibniz::pow<2>(xv[i_])) +
                               leibniz::pow<2>(1_c - xv[i_]));
  std::vector<double> compiled(n);
  leibniz::gradient(over_data, xv)(xv = v, leibniz::into(xv) = compiled);
  const std::vector<double> got = x.grad()->to_vector();
  const std::vector<double> ops = w.grad()->to_vector();
  for (std::size_t i = 0; i < n; ++i) {
    CAPTURE(i);
    CHECK(got[i] == Approx(hand[i]).epsilon(1e-14));
    CHECK(got[i] == Approx(ops[i]).epsilon(1e-14));
    CHECK(got[i] == Approx(compiled[i]).epsilon(1e-14));
  }
}

TEST_CASE("an array block broadcasts vars and numbers; constant arrays are data") {
  // normal_lpdf's terms: mu and sigma broadcast, y data. Against scalar static blocks.
  const std::vector<double> data{0.1, 0.5, -0.3, 2.25};
  constexpr auto term = -leibniz::constant<1, 2> * ((b_ - m_) / s_) * ((b_ - m_) / s_) - log(s_);
  var mu{0.3, requires_grad};
  var sigma{1.7, requires_grad};
  const tape::array y(data);
  var lp = sum(tape::apply(term, m_ = mu, s_ = sigma, b_ = y));
  lp.backward();

  var mu2{0.3, requires_grad};
  var sigma2{1.7, requires_grad};
  var s = 0.0;
  for (double yi : data) s = s + tape::apply(term, m_ = mu2, s_ = sigma2, b_ = yi);
  s.backward();
  CHECK(lp.value() == Approx(s.value()).epsilon(1e-15));
  CHECK(*mu.grad() == Approx(*mu2.grad()).epsilon(1e-15));
  CHECK(*sigma.grad() == Approx(*sigma2.grad()).epsilon(1e-15));
  double dmu = 0;
  double dsigma = 0;
  for (double yi : data) {
    dmu += (yi - 0.3) / (1.7 * 1.7);
    dsigma += (yi - 0.3) * (yi - 0.3) / (1.7 * 1.7 * 1.7) - 1 / 1.7;
  }
  CHECK(*mu.grad() == Approx(dmu).epsilon(1e-14));
  CHECK(*sigma.grad() == Approx(dsigma).epsilon(1e-14));

  // A var through an affine fold (2 mu: d / d mu doubles), and a number bound.
  var m{0.25, requires_grad};
  sum(tape::apply(a_ * b_ + m_, a_ = 2.0 * m, b_ = y, m_ = 3.0)).backward();
  CHECK(*m.grad() == Approx(2 * (0.1 + 0.5 - 0.3 + 2.25)).epsilon(1e-15));
}

TEST_CASE("an array block: an array bound twice, a vector-Jacobian product, fusion after it") {
  tape::array x({1.0, 2.0, 3.0}, requires_grad);
  var c{0.5, requires_grad};
  // d / dx of x * x * c: the two bindings of x merge into one operand.
  tape::array r = tape::apply(a_ * b_ * s_, a_ = x, b_ = x, s_ = c);
  CHECK(r.values()[2] == 4.5);
  r.backward(std::vector<double>{1.0, 10.0, 100.0});
  CHECK(x.grad()->to_vector() == std::vector<double>{1.0, 20.0, 300.0});  // 2 x c w
  CHECK(*c.grad() == 1.0 + 40.0 + 900.0);                                 // sum x^2 w
  x.zero_grad();
  // An op on the block's temporary takes its entry over, as for any array op.
  const std::size_t entries = tape::statistics().array_entries;
  tape::array fused = 3.0 * tape::apply(exp(a_), a_ = x);
  CHECK(tape::statistics().array_entries == entries + 1);
  sum(std::move(fused)).backward();
  const std::vector<double> g = x.grad()->to_vector();
  for (std::size_t i = 0; i < 3; ++i) CHECK(g[i] == Approx(3 * std::exp(i + 1.0)).epsilon(1e-15));
}

TEST_CASE("an array block under no_grad or without grad records nothing; errors") {
  tape::array x({1.0, 2.0, 3.0}, requires_grad);
  const std::size_t slots = tape::statistics().slots;
  {
    const leibniz::no_grad guard;
    const tape::array r = tape::apply(a_ * a_, a_ = x);
    CHECK_FALSE(r.requires_grad());
    CHECK(r.to_vector() == std::vector<double>{1.0, 4.0, 9.0});
  }
  const tape::array constant = tape::apply(a_ + b_, a_ = tape::array({1.0, 2.0}), b_ = 0.5);
  CHECK_FALSE(constant.requires_grad());
  CHECK(constant.to_vector() == std::vector<double>{1.5, 2.5});
  CHECK(tape::statistics().slots == slots);

  CHECK_THROWS_WITH_AS(tape::apply(a_ * b_, a_ = x, b_ = tape::array({1.0, 2.0})),
                       "leibniz: arrays of 3 and 2 elements in one elementwise op: lengths must "
                       "be equal (a scalar, var or number, is broadcast to every element)",
                       leibniz::tape::shape_mismatch);
  // An array whose graph backward() released cannot be an operand.
  const tape::array y = x * x;
  sum(y).backward();
  CHECK_THROWS_WITH_AS(tape::apply(a_ + b_, a_ = y, b_ = x),
                       doctest::Contains("whose graph was released by backward()"),
                       leibniz::tape::graph_released);
}

TEST_CASE("an array block inside tape::gradient, and in a picture") {
  // A function transform over an array input: the block's gradient, and no .grad touched.
  const std::vector<double> g =
      tape::gradient([](const tape::array& v) { return sum(tape::apply(a_ * sin(a_), a_ = v)); },
                     std::vector<double>{0.5, 1.0, 2.0});
  REQUIRE(g.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    const double v = std::vector<double>{0.5, 1.0, 2.0}[i];
    CHECK(g[i] == Approx(std::sin(v) + v * std::cos(v)).epsilon(1e-15));
  }
  // to_dot names the entry after the expression.
  tape::array x({1.0, 2.0}, requires_grad);
  const tape::array r = tape::apply(a_ * a_ + b_, a_ = x, b_ = 1.0);
  const std::string dot = tape::to_dot(r);
  CHECK(dot.find("label=\"a^2 + b") != std::string::npos);
}
