// bench/tape_cases.cpp
// Tape mode on the suite's scaling cases (../shared/BENCH-SUITE.md): rosenbrock, logsumexp,
// normal_lpdf at n = 10, 1000, 100000. Modes: f (the function on double), hand (the gradient
// written by hand), tape (the same scalar code on tape::var, op by op: record, backward,
// read the gradient, zero it), tape_static (the loop body as one static block per element),
// tape_array (written with array ops), tape_array_static (the terms as an array block), tape_sum
// (static mode's whole sum over data as one entry). Every gradient is checked against hand
// (relative error below 1e-12) before anything is timed; a mismatch aborts.
#include <leibniz/leibniz.hpp>

#include <benchmark/benchmark.h>

#include "sums_over_data.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <span>
#include <string>
#include <vector>

namespace {

namespace tape = leibniz::tape;
using std::exp;
using std::log;
using tape::var;

// ---- the cases, written once for double and for var -------------------------------------

template <class T>
T rosenbrock(std::span<const T> x) {
  T s = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const T a = x[i + 1] - x[i] * x[i];
    const T b = 1.0 - x[i];
    s += 100.0 * a * a + b * b;
  }
  return s;
}

template <class T>
T logsumexp(std::span<const T> x) {
  T s = 0.0;
  for (const T& xi : x) s += exp(xi);
  return log(s);
}

template <class T>
T normal_lpdf(const T& mu, const T& sigma, std::span<const double> y) {
  const double log_sqrt_2pi = 0.5 * std::log(2.0 * std::numbers::pi);
  T s = 0.0;
  for (double yi : y) {
    const T z = (yi - mu) / sigma;
    s += -0.5 * z * z - log(sigma) - log_sqrt_2pi;
  }
  return s;
}

std::vector<double> rosenbrock_input(std::size_t n) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = 0.5 + 0.001 * static_cast<double>(i);
  return x;
}
std::vector<double> logsumexp_input(std::size_t n) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = std::sin(static_cast<double>(i));
  return x;
}
std::vector<double> normal_data(std::size_t n) {
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = std::cos(static_cast<double>(i));
  return y;
}
constexpr double mu0 = 0.3;
constexpr double sigma0 = 1.7;

// ---- hand-written gradients ----------------------------------------------------------------

void rosenbrock_hand(std::span<const double> x, std::span<double> g) {
  for (double& gi : g) gi = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double a = x[i + 1] - x[i] * x[i];
    g[i] += -400.0 * x[i] * a - 2.0 * (1.0 - x[i]);
    g[i + 1] += 200.0 * a;
  }
}

void logsumexp_hand(std::span<const double> x, std::span<double> g) {
  double s = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    g[i] = std::exp(x[i]);
    s += g[i];
  }
  const double inverse = 1.0 / s;
  for (double& gi : g) gi *= inverse;
}

void normal_lpdf_hand(double mu, double sigma, std::span<const double> y, std::span<double> g) {
  double dmu = 0.0;
  double dsigma = 0.0;
  const double inverse = 1.0 / sigma;
  for (double yi : y) {
    const double z = (yi - mu) * inverse;
    dmu += z;
    dsigma += z * z;
  }
  g[0] = dmu * inverse;
  g[1] = (dsigma - static_cast<double>(y.size())) * inverse;
}

// ---- tape mode, op by op: persistent leaves, as in a training loop ---------------------------

struct leaves {
  std::vector<var> x;
  explicit leaves(const std::vector<double>& values) {
    x.reserve(values.size());
    for (double v : values) x.emplace_back(v, leibniz::requires_grad);
  }
  void read_and_zero(std::span<double> g) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      g[i] = x[i].grad().value_or(0.0);
      x[i].zero_grad();
    }
  }
};

void rosenbrock_tape(leaves& in, std::span<double> g) {
  var y = rosenbrock<var>(in.x);
  y.backward();
  in.read_and_zero(g);
}

void logsumexp_tape(leaves& in, std::span<double> g) {
  var y = logsumexp<var>(in.x);
  y.backward();
  in.read_and_zero(g);
}

void normal_lpdf_tape(leaves& in, std::span<const double> y, std::span<double> g) {
  var lp = normal_lpdf<var>(in.x[0], in.x[1], y);
  lp.backward();
  in.read_and_zero(g);
}

// ---- tape mode, op by op, as a function transform: tape::gradient ------------------------------

std::vector<var> constants(const std::vector<double>& values) {
  return {values.begin(), values.end()};
}

void rosenbrock_tape_functional(const std::vector<var>& x, std::span<double> g) {
  const std::vector<double> r =
      tape::gradient([](const std::vector<var>& v) { return rosenbrock<var>(v); }, x);
  std::copy(r.begin(), r.end(), g.begin());
}

void logsumexp_tape_functional(const std::vector<var>& x, std::span<double> g) {
  const std::vector<double> r =
      tape::gradient([](const std::vector<var>& v) { return logsumexp<var>(v); }, x);
  std::copy(r.begin(), r.end(), g.begin());
}

void normal_lpdf_tape_functional(std::span<const double> y, std::span<double> g) {
  const auto [dmu, dsigma] = tape::gradient(
      [&](const var& mu, const var& sigma) { return normal_lpdf<var>(mu, sigma, y); }, mu0, sigma0);
  g[0] = dmu;
  g[1] = dsigma;
}

// ---- tape mode, each loop body one static block ----------------------------------------------

constexpr leibniz::variable<"a"> a_;
constexpr leibniz::variable<"b"> b_;
constexpr leibniz::variable<"m"> m_;
constexpr leibniz::variable<"s"> s_;

// Through tape::gradient, like tape_functional: the bindings x = v copy vars, and copies of a
// leaf var count references atomically (leaves may be shared by threads), copies of results
// do not.

void rosenbrock_tape_static(const std::vector<var>& x, std::span<double> g) {
  using leibniz::constant;
  // The loop body, accumulation included: one entry with three operands per element.
  constexpr auto body = s_ + constant<100> * (b_ - a_ * a_) * (b_ - a_ * a_) +
                        (constant<1> - a_) * (constant<1> - a_);
  const std::vector<double> r = tape::gradient(
      [&](const std::vector<var>& v) {
        var s = 0.0;
        for (std::size_t i = 0; i + 1 < v.size(); ++i)
          s = tape::apply(body, s_ = s, a_ = v[i], b_ = v[i + 1]);
        return s;
      },
      x);
  std::copy(r.begin(), r.end(), g.begin());
}

void logsumexp_tape_static(const std::vector<var>& x, std::span<double> g) {
  constexpr auto body = s_ + exp(a_);
  const std::vector<double> r = tape::gradient(
      [&](const std::vector<var>& v) {
        var s = 0.0;
        for (const var& vi : v) s = tape::apply(body, s_ = s, a_ = vi);
        return log(s);
      },
      x);
  std::copy(r.begin(), r.end(), g.begin());
}

void normal_lpdf_tape_static(std::span<const double> y, std::span<double> g) {
  using leibniz::constant;
  const double log_sqrt_2pi = 0.5 * std::log(2.0 * std::numbers::pi);
  constexpr auto body = s_ - constant<1, 2> * ((b_ - m_) / a_) * ((b_ - m_) / a_) - log(a_);
  const auto [dmu, dsigma] = tape::gradient(
      [&](const var& mu, const var& sigma) {
        var s = 0.0;
        for (double yi : y) s = tape::apply(body, s_ = s, m_ = mu, a_ = sigma, b_ = yi);
        return s - static_cast<double>(y.size()) * log_sqrt_2pi;
      },
      mu0, sigma0);
  g[0] = dmu;
  g[1] = dsigma;
}

// ---- tape mode with arrays -------------------------------------------------------------------

struct array_leaf {
  tape::array x;
  explicit array_leaf(const std::vector<double>& values) : x(values, leibniz::requires_grad) {}
  void read_and_zero(std::span<double> g) {
    const auto grad = x.grad();
    const std::span<const double> values = grad->values();
    std::copy(values.begin(), values.end(), g.begin());
    x.zero_grad();
  }
};

void rosenbrock_tape_array(array_leaf& in, std::span<double> g) {
  const std::size_t n = in.x.size();
  const tape::array head = in.x.slice(0, n - 1);
  const tape::array tail = in.x.slice(1, n);
  const tape::array a = tail - head * head;
  const tape::array b = 1.0 - head;
  var y = sum(100.0 * a * a + b * b);
  y.backward();
  in.read_and_zero(g);
}

void logsumexp_tape_array(array_leaf& in, std::span<double> g) {
  var y = log(sum(exp(in.x)));
  y.backward();
  in.read_and_zero(g);
}

void normal_lpdf_tape_array(leaves& in, const tape::array& y, std::span<double> g) {
  const double log_sqrt_2pi = 0.5 * std::log(2.0 * std::numbers::pi);
  const var& mu = in.x[0];
  const var& sigma = in.x[1];
  const tape::array z = (y - mu) / sigma;
  const double n = static_cast<double>(y.size());
  var lp = -0.5 * dot(z, z) - n * log(sigma) - n * log_sqrt_2pi;
  lp.backward();
  in.read_and_zero(g);
}

// ---- tape mode with arrays, the loop body as one array block ------------------------------------
// tape::apply with arrays bound: the body applied elementwise, one array entry whose partials
// the static engine computes per element, taken over by the sum.

void rosenbrock_tape_array_static(array_leaf& in, std::span<double> g) {
  using leibniz::constant;
  constexpr auto body =
      constant<100> * (b_ - a_ * a_) * (b_ - a_ * a_) + (constant<1> - a_) * (constant<1> - a_);
  const std::size_t n = in.x.size();
  var y = sum(tape::apply(body, a_ = in.x.slice(0, n - 1), b_ = in.x.slice(1, n)));
  y.backward();
  in.read_and_zero(g);
}

void logsumexp_tape_array_static(array_leaf& in, std::span<double> g) {
  var y = log(sum(tape::apply(exp(a_), a_ = in.x)));
  y.backward();
  in.read_and_zero(g);
}

void normal_lpdf_tape_array_static(leaves& in, const tape::array& y, std::span<double> g) {
  using leibniz::constant;
  const double log_sqrt_2pi = 0.5 * std::log(2.0 * std::numbers::pi);
  constexpr auto body = -constant<1, 2> * ((b_ - m_) / s_) * ((b_ - m_) / s_);
  const var& sigma = in.x[1];
  const double n = static_cast<double>(y.size());
  var lp =
      sum(tape::apply(body, m_ = in.x[0], s_ = sigma, b_ = y)) - n * log(sigma) - n * log_sqrt_2pi;
  lp.backward();
  in.read_and_zero(g);
}

// ---- tape mode, each whole sum as one entry ----------------------------------------------------
// tape::apply of static mode's sum over data (sums_over_data.hpp), its vectors bound to tape
// arrays or data (a sum block): one reduction entry whose partials the compiled gradient writes.

void rosenbrock_tape_sum(array_leaf& in, std::span<double> g) {
  using over_data::x;
  var y = tape::apply(over_data::rosenbrock, x = in.x);
  y.backward();
  in.read_and_zero(g);
}

void logsumexp_tape_sum(array_leaf& in, std::span<double> g) {
  using over_data::x;
  var y = tape::apply(over_data::logsumexp, x = in.x);
  y.backward();
  in.read_and_zero(g);
}

void normal_lpdf_tape_sum(leaves& in, const tape::array& data, std::span<double> g) {
  using namespace over_data;
  var lp = tape::apply(over_data::normal_lpdf, y = data, mu = in.x[0], sigma = in.x[1]);
  lp.backward();
  in.read_and_zero(g);
}

// ---- checking --------------------------------------------------------------------------------

/// Relative error below 1e-12 (BENCH-SUITE.md), scaled by n / 1000 for the sums of more than
/// a thousand terms: summed in another order, 10^5 terms differ by up to ~10^5 ulp, in hand
/// as much as in the tape.
void check(const char* what, std::span<const double> got, std::span<const double> want,
           std::size_t n) {
  const double tolerance = 1e-12 * std::max(1.0, static_cast<double>(n) / 1000.0);
  for (std::size_t i = 0; i < want.size(); ++i) {
    const double scale = std::max(1.0, std::abs(want[i]));
    if (!(std::abs(got[i] - want[i]) <= tolerance * scale)) {
      std::fprintf(stderr, "%s: gradient[%zu] = %.17g, hand-written %.17g\n", what, i, got[i],
                   want[i]);
      std::abort();
    }
  }
}

std::size_t size_of(const benchmark::State& state) {
  return static_cast<std::size_t>(state.range(0));
}

// ---- rosenbrock ------------------------------------------------------------------------------

void BM_rosenbrock_f(benchmark::State& state) {
  const auto x = rosenbrock_input(size_of(state));
  for (auto _ : state) benchmark::DoNotOptimize(rosenbrock<double>(x));
}
void BM_rosenbrock_hand(benchmark::State& state) {
  const auto x = rosenbrock_input(size_of(state));
  std::vector<double> g(x.size());
  for (auto _ : state) {
    rosenbrock_hand(x, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}
void BM_rosenbrock_tape(benchmark::State& state) {
  const auto x = rosenbrock_input(size_of(state));
  std::vector<double> want(x.size());
  std::vector<double> g(x.size());
  rosenbrock_hand(x, want);
  leaves in(x);
  rosenbrock_tape(in, g);
  check("rosenbrock_tape", g, want, size_of(state));
  for (auto _ : state) {
    rosenbrock_tape(in, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}
void BM_rosenbrock_tape_static(benchmark::State& state) {
  const auto x = rosenbrock_input(size_of(state));
  std::vector<double> want(x.size());
  std::vector<double> g(x.size());
  rosenbrock_hand(x, want);
  const auto in = constants(x);
  rosenbrock_tape_static(in, g);
  check("rosenbrock_tape_static", g, want, size_of(state));
  for (auto _ : state) {
    rosenbrock_tape_static(in, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}
/// rosenbrock's gradient by an array kernel (array ops, or an array block), checked, then timed.
void rosenbrock_array_mode(benchmark::State& state, const char* name,
                           void (*gradient)(array_leaf&, std::span<double>)) {
  const auto x = rosenbrock_input(size_of(state));
  std::vector<double> want(x.size());
  std::vector<double> g(x.size());
  rosenbrock_hand(x, want);
  array_leaf in(x);
  gradient(in, g);
  check(name, g, want, size_of(state));
  for (auto _ : state) {
    gradient(in, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}
void BM_rosenbrock_tape_array(benchmark::State& state) {
  rosenbrock_array_mode(state, "rosenbrock_tape_array", rosenbrock_tape_array);
}
void BM_rosenbrock_tape_array_static(benchmark::State& state) {
  rosenbrock_array_mode(state, "rosenbrock_tape_array_static", rosenbrock_tape_array_static);
}
void BM_rosenbrock_tape_sum(benchmark::State& state) {
  rosenbrock_array_mode(state, "rosenbrock_tape_sum", rosenbrock_tape_sum);
}

void BM_rosenbrock_tape_functional(benchmark::State& state) {
  const auto x = rosenbrock_input(size_of(state));
  std::vector<double> want(x.size());
  std::vector<double> g(x.size());
  rosenbrock_hand(x, want);
  const auto in = constants(x);
  rosenbrock_tape_functional(in, g);
  check("rosenbrock_tape_functional", g, want, size_of(state));
  for (auto _ : state) {
    rosenbrock_tape_functional(in, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}

// ---- logsumexp -------------------------------------------------------------------------------

void BM_logsumexp_f(benchmark::State& state) {
  const auto x = logsumexp_input(size_of(state));
  for (auto _ : state) benchmark::DoNotOptimize(logsumexp<double>(x));
}
void BM_logsumexp_hand(benchmark::State& state) {
  const auto x = logsumexp_input(size_of(state));
  std::vector<double> g(x.size());
  for (auto _ : state) {
    logsumexp_hand(x, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}
void BM_logsumexp_tape(benchmark::State& state) {
  const auto x = logsumexp_input(size_of(state));
  std::vector<double> want(x.size());
  std::vector<double> g(x.size());
  logsumexp_hand(x, want);
  leaves in(x);
  logsumexp_tape(in, g);
  check("logsumexp_tape", g, want, size_of(state));
  for (auto _ : state) {
    logsumexp_tape(in, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}
/// logsumexp's gradient by an array kernel (array ops, or an array block), checked, then timed.
void logsumexp_array_mode(benchmark::State& state, const char* name,
                          void (*gradient)(array_leaf&, std::span<double>)) {
  const auto x = logsumexp_input(size_of(state));
  std::vector<double> want(x.size());
  std::vector<double> g(x.size());
  logsumexp_hand(x, want);
  array_leaf in(x);
  gradient(in, g);
  check(name, g, want, size_of(state));
  for (auto _ : state) {
    gradient(in, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}
void BM_logsumexp_tape_array(benchmark::State& state) {
  logsumexp_array_mode(state, "logsumexp_tape_array", logsumexp_tape_array);
}
void BM_logsumexp_tape_array_static(benchmark::State& state) {
  logsumexp_array_mode(state, "logsumexp_tape_array_static", logsumexp_tape_array_static);
}
void BM_logsumexp_tape_sum(benchmark::State& state) {
  logsumexp_array_mode(state, "logsumexp_tape_sum", logsumexp_tape_sum);
}

void BM_logsumexp_tape_static(benchmark::State& state) {
  const auto x = logsumexp_input(size_of(state));
  std::vector<double> want(x.size());
  std::vector<double> g(x.size());
  logsumexp_hand(x, want);
  const auto in = constants(x);
  logsumexp_tape_static(in, g);
  check("logsumexp_tape_static", g, want, size_of(state));
  for (auto _ : state) {
    logsumexp_tape_static(in, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}

void BM_logsumexp_tape_functional(benchmark::State& state) {
  const auto x = logsumexp_input(size_of(state));
  std::vector<double> want(x.size());
  std::vector<double> g(x.size());
  logsumexp_hand(x, want);
  const auto in = constants(x);
  logsumexp_tape_functional(in, g);
  check("logsumexp_tape_functional", g, want, size_of(state));
  for (auto _ : state) {
    logsumexp_tape_functional(in, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}

// ---- normal_lpdf -----------------------------------------------------------------------------

void BM_normal_lpdf_f(benchmark::State& state) {
  const auto y = normal_data(size_of(state));
  double mu = mu0;
  double sigma = sigma0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(mu);  // not constants the compiler could fold log(sigma) of
    benchmark::DoNotOptimize(sigma);
    benchmark::DoNotOptimize(normal_lpdf<double>(mu, sigma, y));
  }
}
void BM_normal_lpdf_hand(benchmark::State& state) {
  const auto y = normal_data(size_of(state));
  std::vector<double> g(2);
  for (auto _ : state) {
    normal_lpdf_hand(mu0, sigma0, y, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}
void BM_normal_lpdf_tape(benchmark::State& state) {
  const auto y = normal_data(size_of(state));
  std::vector<double> want(2);
  std::vector<double> g(2);
  normal_lpdf_hand(mu0, sigma0, y, want);
  leaves in({mu0, sigma0});
  normal_lpdf_tape(in, y, g);
  check("normal_lpdf_tape", g, want, size_of(state));
  for (auto _ : state) {
    normal_lpdf_tape(in, y, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}
/// normal_lpdf's gradient by an array kernel (array ops, or an array block), checked, then timed.
void normal_lpdf_array_mode(benchmark::State& state, const char* name,
                            void (*gradient)(leaves&, const tape::array&, std::span<double>)) {
  const auto data = normal_data(size_of(state));
  const tape::array y(data);
  std::vector<double> want(2);
  std::vector<double> g(2);
  normal_lpdf_hand(mu0, sigma0, data, want);
  leaves in({mu0, sigma0});
  gradient(in, y, g);
  check(name, g, want, size_of(state));
  for (auto _ : state) {
    gradient(in, y, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}
void BM_normal_lpdf_tape_array(benchmark::State& state) {
  normal_lpdf_array_mode(state, "normal_lpdf_tape_array", normal_lpdf_tape_array);
}
void BM_normal_lpdf_tape_array_static(benchmark::State& state) {
  normal_lpdf_array_mode(state, "normal_lpdf_tape_array_static", normal_lpdf_tape_array_static);
}
void BM_normal_lpdf_tape_sum(benchmark::State& state) {
  normal_lpdf_array_mode(state, "normal_lpdf_tape_sum", normal_lpdf_tape_sum);
}

void BM_normal_lpdf_tape_static(benchmark::State& state) {
  const auto y = normal_data(size_of(state));
  std::vector<double> want(2);
  std::vector<double> g(2);
  normal_lpdf_hand(mu0, sigma0, y, want);
  normal_lpdf_tape_static(y, g);
  check("normal_lpdf_tape_static", g, want, size_of(state));
  for (auto _ : state) {
    normal_lpdf_tape_static(y, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}

void BM_normal_lpdf_tape_functional(benchmark::State& state) {
  const auto y = normal_data(size_of(state));
  std::vector<double> want(2);
  std::vector<double> g(2);
  normal_lpdf_hand(mu0, sigma0, y, want);
  normal_lpdf_tape_functional(y, g);
  check("normal_lpdf_tape_functional", g, want, size_of(state));
  for (auto _ : state) {
    normal_lpdf_tape_functional(y, g);
    benchmark::DoNotOptimize(g.data());
    benchmark::ClobberMemory();
  }
}

// ---- memory per recorded op ------------------------------------------------------------------

/// Bytes per recorded scalar binary op (x * y, both requiring grad), everything counted: op
/// code and arity, handle count, operand indices, partials, adjoints. `used` is what the
/// layout takes; `reserved` what the tape has allocated (capacities grow by doubling).
void BM_tape_bytes_per_binary_op(benchmark::State& state) {
  const std::size_t n = size_of(state);
  tape::release_memory();
  var a{1.0, leibniz::requires_grad};
  var b{1.0, leibniz::requires_grad};
  double used = 0.0;
  double reserved = 0.0;
  for (auto _ : state) {
    var s = a * b;
    for (std::size_t i = 1; i < n; ++i) s = s * b;
    const tape::tape_statistics stats = tape::statistics();
    s.backward();
    const double ops = static_cast<double>(n);
    used =
        (16.0 * static_cast<double>(stats.slots) + 12.0 * static_cast<double>(stats.records)) / ops;
    reserved = static_cast<double>(tape::capacity_bytes()) / ops;
  }
  state.counters["used_bytes_per_op"] = used;
  state.counters["reserved_bytes_per_op"] = reserved;
}

}  // namespace

#define LEIBNIZ_SIZES ->Arg(10)->Arg(1000)->Arg(100000)

BENCHMARK(BM_rosenbrock_f) LEIBNIZ_SIZES;
BENCHMARK(BM_rosenbrock_hand) LEIBNIZ_SIZES;
BENCHMARK(BM_rosenbrock_tape) LEIBNIZ_SIZES;
BENCHMARK(BM_rosenbrock_tape_functional) LEIBNIZ_SIZES;
BENCHMARK(BM_rosenbrock_tape_static) LEIBNIZ_SIZES;
BENCHMARK(BM_rosenbrock_tape_array) LEIBNIZ_SIZES;
BENCHMARK(BM_rosenbrock_tape_array_static) LEIBNIZ_SIZES;
BENCHMARK(BM_rosenbrock_tape_sum) LEIBNIZ_SIZES;
BENCHMARK(BM_logsumexp_f) LEIBNIZ_SIZES;
BENCHMARK(BM_logsumexp_hand) LEIBNIZ_SIZES;
BENCHMARK(BM_logsumexp_tape) LEIBNIZ_SIZES;
BENCHMARK(BM_logsumexp_tape_functional) LEIBNIZ_SIZES;
BENCHMARK(BM_logsumexp_tape_static) LEIBNIZ_SIZES;
BENCHMARK(BM_logsumexp_tape_array) LEIBNIZ_SIZES;
BENCHMARK(BM_logsumexp_tape_array_static) LEIBNIZ_SIZES;
BENCHMARK(BM_logsumexp_tape_sum) LEIBNIZ_SIZES;
BENCHMARK(BM_normal_lpdf_f) LEIBNIZ_SIZES;
BENCHMARK(BM_normal_lpdf_hand) LEIBNIZ_SIZES;
BENCHMARK(BM_normal_lpdf_tape) LEIBNIZ_SIZES;
BENCHMARK(BM_normal_lpdf_tape_functional) LEIBNIZ_SIZES;
BENCHMARK(BM_normal_lpdf_tape_static) LEIBNIZ_SIZES;
BENCHMARK(BM_normal_lpdf_tape_array) LEIBNIZ_SIZES;
BENCHMARK(BM_normal_lpdf_tape_array_static) LEIBNIZ_SIZES;
BENCHMARK(BM_normal_lpdf_tape_sum) LEIBNIZ_SIZES;
BENCHMARK(BM_tape_bytes_per_binary_op)->Arg(1000000);

BENCHMARK_MAIN();
