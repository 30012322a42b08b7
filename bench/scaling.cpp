// bench/scaling.cpp
// The suite's scaling cases (BENCH-SUITE.md: rosenbrock, logsumexp, normal_lpdf at n = 10,
// 1000, 100000) in leibniz's modes and the reference modes: f (the function on double),
// hand (the gradient written by hand), static (static mode over data: the compiled gradient
// of a sum, no tape), static_bound (normal_lpdf: a repeated gradient over data bound once),
// static_tbb (static on two threads, when oneTBB is found), tape (the same scalar code on
// tape::var, op by op), tape_static (each loop body, accumulation included, recorded as one
// static block), tape_functional (tape, through tape::gradient), tape_array (array ops),
// tape_array_static (the terms as one array block, tape::apply with arrays bound), tape_sum
// (static mode's sum over data as one tape entry, tape::apply with vectors bound) and fd
// (central differences, n <= 1000). Each mode of each case is one function below that
// builds the gradient kernel, and one line in the table at the end.
//
// One tape gradient is what a user pays for a fresh gradient: record the forward pass,
// sweep back, read the inputs' gradients (and, for `tape` and `tape_array`, whose leaves
// persist across gradients as in a training loop, zero them). The tape keeps its memory for
// the next recording.
#include <leibniz/leibniz.hpp>
#if LEIBNIZ_BENCH_TBB
#include <leibniz/parallel.hpp>
#endif

#include "bench_support.hpp"
#include "cases.hpp"
#include "sums_over_data.hpp"

#include <algorithm>
#include <span>
#include <vector>

namespace {

namespace tape = leibniz::tape;
using bench::logsumexp;
using bench::normal_lpdf;
using bench::rosenbrock;
using tape::var;

// ------------------------------------------------------------------ shared by the tape modes

/// Leaves that require grad, one per input, kept across gradients.
struct leaves {
  std::vector<var> x;
  explicit leaves(std::span<const double> values) {
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

/// A leaf array that requires grad, kept across gradients.
struct array_leaf {
  tape::array x;
  explicit array_leaf(std::span<const double> values) : x(values, leibniz::requires_grad) {}
  void read_and_zero(std::span<double> g) {
    const std::optional<tape::array> grad = x.grad();
    std::ranges::copy(grad->values(), g.begin());
    x.zero_grad();
  }
};

/// Vars that require no grad, the inputs of tape::gradient.
std::vector<var> constants(std::span<const double> values) {
  return {values.begin(), values.end()};
}

/// Counters of a tape mode: the bytes this thread's tape keeps reserved after the run (every
/// array of it, adjoints included; grown by doubling, so up to twice what one recording
/// needs), in all and per element of the input.
void report_tape(benchmark::State& state) {
  const double bytes = static_cast<double>(tape::capacity_bytes());
  state.counters["tape_bytes"] = bytes;
  state.counters["tape_bytes_per_element"] = bytes / static_cast<double>(state.range(0));
}

/// A tape mode's kernel maker that starts from an empty tape (memory released), so that
/// report_tape counts this benchmark's recordings only.
template <class Make>
auto fresh(Make make) {
  return [make](auto& problem) {
    tape::release_memory();
    return make(problem);
  };
}

/// Central differences over a vector of inputs: 2n evaluations of f, each O(n).
template <class Case>
auto fd_kernel(typename Case::problem& p) {
  return [&p](std::span<double> g) {
    for (std::size_t i = 0; i < p.x.size(); ++i) {
      const double xi = p.x[i];
      const double h = bench::fd_step(xi);
      p.x[i] = xi + h;
      const double up = Case::f(p);
      p.x[i] = xi - h;
      const double down = Case::f(p);
      p.x[i] = xi;
      g[i] = (up - down) / (2 * h);
    }
  };
}

/// Sizes at which fd runs: at n = 100000 one gradient costs 2n evaluations of an O(n)
/// function, about 20 seconds.
const std::vector<long> fd_sizes{10, 1000};

constexpr leibniz::variable<"a"> a_;
constexpr leibniz::variable<"b"> b_;
constexpr leibniz::variable<"m"> m_;
constexpr leibniz::variable<"s"> s_;
constexpr leibniz::variable<"y"> y_;

// The loop bodies of tape_static, accumulation (s) included.
using leibniz::constant;
constexpr auto rosenbrock_block =
    s_ + constant<100> * (b_ - a_ * a_) * (b_ - a_ * a_) + (constant<1> - a_) * (constant<1> - a_);
constexpr auto logsumexp_block = s_ + leibniz::exp(a_);
// a: sigma, m: mu, y: the data element; log(sqrt(2 pi)) is added once, outside.
constexpr auto normal_lpdf_block =
    s_ + constant<-1, 2> * leibniz::pow<2>((y_ - m_) / a_) - leibniz::log(a_);

// The elementwise terms of tape_array_static: tape::apply with arrays bound, one array entry
// whose partials the static engine computes per element, taken over by the sum.
constexpr auto rosenbrock_term =
    constant<100> * (b_ - a_ * a_) * (b_ - a_ * a_) + (constant<1> - a_) * (constant<1> - a_);
constexpr auto normal_lpdf_term = constant<-1, 2> * leibniz::pow<2>((y_ - m_) / a_);

// ------------------------------------------------------------------ rosenbrock

auto rosenbrock_hand(rosenbrock::problem& p) {
  return [&p](std::span<double> g) { rosenbrock::hand(p, g); };
}

auto rosenbrock_tape(rosenbrock::problem& p) {
  return [in = leaves(p.x)](std::span<double> g) mutable {
    var y = rosenbrock::f<var>(in.x);
    y.backward();
    in.read_and_zero(g);
  };
}

// tape_static: the loop body, accumulation included, as one static block per element (one
// entry with three operands), through tape::gradient as tape mode's author writes it
// (docs/tape.md); tape_functional: the scalar code op by op through tape::gradient.

auto rosenbrock_tape_static(rosenbrock::problem& p) {
  return [x = constants(p.x)](std::span<double> g) {
    const std::vector<double> r = tape::gradient(
        [](const std::vector<var>& v) {
          var s = 0.0;
          for (std::size_t i = 0; i + 1 < v.size(); ++i)
            s = tape::apply(rosenbrock_block, s_ = s, a_ = v[i], b_ = v[i + 1]);
          return s;
        },
        x);
    std::ranges::copy(r, g.begin());
  };
}

auto rosenbrock_tape_functional(rosenbrock::problem& p) {
  return [x = constants(p.x)](std::span<double> g) {
    const std::vector<double> r =
        tape::gradient([](const std::vector<var>& v) { return rosenbrock::f<var>(v); }, x);
    std::ranges::copy(r, g.begin());
  };
}

auto rosenbrock_tape_array(rosenbrock::problem& p) {
  return [in = array_leaf(p.x)](std::span<double> g) mutable {
    const std::size_t n = in.x.size();
    const tape::array head = in.x.slice(0, n - 1);
    const tape::array tail = in.x.slice(1, n);
    const tape::array a = tail - head * head;
    const tape::array b = 1.0 - head;
    var y = sum(100.0 * a * a + b * b);
    y.backward();
    in.read_and_zero(g);
  };
}

auto rosenbrock_tape_array_static(rosenbrock::problem& p) {
  return [in = array_leaf(p.x)](std::span<double> g) mutable {
    const std::size_t n = in.x.size();
    var y = sum(tape::apply(rosenbrock_term, a_ = in.x.slice(0, n - 1), b_ = in.x.slice(1, n)));
    y.backward();
    in.read_and_zero(g);
  };
}

// ------------------------------------------------------------------ logsumexp

auto logsumexp_hand(logsumexp::problem& p) {
  return [&p](std::span<double> g) { logsumexp::hand(p, g); };
}

auto logsumexp_tape(logsumexp::problem& p) {
  return [in = leaves(p.x)](std::span<double> g) mutable {
    var y = logsumexp::f<var>(in.x);
    y.backward();
    in.read_and_zero(g);
  };
}

auto logsumexp_tape_static(logsumexp::problem& p) {
  return [x = constants(p.x)](std::span<double> g) {
    const std::vector<double> r = tape::gradient(
        [](const std::vector<var>& v) {
          var s = 0.0;
          for (const var& vi : v) s = tape::apply(logsumexp_block, s_ = s, a_ = vi);
          return log(s);
        },
        x);
    std::ranges::copy(r, g.begin());
  };
}

auto logsumexp_tape_functional(logsumexp::problem& p) {
  return [x = constants(p.x)](std::span<double> g) {
    const std::vector<double> r =
        tape::gradient([](const std::vector<var>& v) { return logsumexp::f<var>(v); }, x);
    std::ranges::copy(r, g.begin());
  };
}

auto logsumexp_tape_array(logsumexp::problem& p) {
  return [in = array_leaf(p.x)](std::span<double> g) mutable {
    var y = log(sum(exp(in.x)));
    y.backward();
    in.read_and_zero(g);
  };
}

auto logsumexp_tape_array_static(logsumexp::problem& p) {
  return [in = array_leaf(p.x)](std::span<double> g) mutable {
    var y = log(sum(tape::apply(leibniz::exp(a_), a_ = in.x)));
    y.backward();
    in.read_and_zero(g);
  };
}

// ------------------------------------------------------------------ normal_lpdf

auto normal_lpdf_hand(normal_lpdf::problem& p) {
  return [&p](std::span<double> g) { normal_lpdf::hand(p, g); };
}

auto normal_lpdf_tape(normal_lpdf::problem& p) {
  return [&p, in = leaves(std::array{p.mu, p.sigma})](std::span<double> g) mutable {
    var lp = normal_lpdf::f<var>(in.x[0], in.x[1], p.y);
    lp.backward();
    in.read_and_zero(g);
  };
}

auto normal_lpdf_tape_static(normal_lpdf::problem& p) {
  return [&p](std::span<double> g) {
    const auto [dmu, dsigma] = tape::gradient(
        [&p](const var& mu, const var& sigma) {
          var s = 0.0;
          for (double yi : p.y)
            s = tape::apply(normal_lpdf_block, s_ = s, m_ = mu, a_ = sigma, y_ = yi);
          return s - static_cast<double>(p.y.size()) * normal_lpdf::log_sqrt_2pi;
        },
        p.mu, p.sigma);
    g[0] = dmu;
    g[1] = dsigma;
  };
}

auto normal_lpdf_tape_functional(normal_lpdf::problem& p) {
  return [&p](std::span<double> g) {
    const auto [dmu, dsigma] = tape::gradient(
        [&p](const var& mu, const var& sigma) { return normal_lpdf::f<var>(mu, sigma, p.y); }, p.mu,
        p.sigma);
    g[0] = dmu;
    g[1] = dsigma;
  };
}

auto normal_lpdf_tape_array(normal_lpdf::problem& p) {
  return
      [y = tape::array(p.y), in = leaves(std::array{p.mu, p.sigma})](std::span<double> g) mutable {
        const var& mu = in.x[0];
        const var& sigma = in.x[1];
        const tape::array z = (y - mu) / sigma;
        const double n = static_cast<double>(y.size());
        var lp = -0.5 * dot(z, z) - n * log(sigma) - n * normal_lpdf::log_sqrt_2pi;
        lp.backward();
        in.read_and_zero(g);
      };
}

auto normal_lpdf_tape_array_static(normal_lpdf::problem& p) {
  return
      [y = tape::array(p.y), in = leaves(std::array{p.mu, p.sigma})](std::span<double> g) mutable {
        const var& sigma = in.x[1];
        const double n = static_cast<double>(y.size());
        var lp = sum(tape::apply(normal_lpdf_term, m_ = in.x[0], a_ = sigma, y_ = y)) -
                 n * log(sigma) - n * normal_lpdf::log_sqrt_2pi;
        lp.backward();
        in.read_and_zero(g);
      };
}

/// normal_lpdf's fd: central differences in mu and sigma.
auto normal_lpdf_fd(normal_lpdf::problem& p) {
  return [&p](std::span<double> g) {
    for (double* v : {&p.mu, &p.sigma}) {
      const double v0 = *v;
      const double h = bench::fd_step(v0);
      *v = v0 + h;
      const double up = normal_lpdf::f(p);
      *v = v0 - h;
      const double down = normal_lpdf::f(p);
      *v = v0;
      *(v == &p.mu ? &g[0] : &g[1]) = (up - down) / (2 * h);
    }
  };
}

// ------------------------------------------------------------------ static mode over data
// The three cases as static expressions: sums whose length is known only at run time, their
// compiled gradients with no tape (issue 8). `static_bound` is a repeated gradient over data
// bound once with leibniz::bind (its power sums computed outside the timing loop);
// `static_tbb` runs the sums on two threads of a leibniz::thread_pool.

template <class... Pool>
auto rosenbrock_static(rosenbrock::problem& p, const Pool&... pool) {
  return [&p, &pool...](std::span<double> g) {
    using namespace over_data;
    leibniz::gradient(over_data::rosenbrock, x)(x = p.x, leibniz::into(x) = g, pool...);
  };
}

template <class... Pool>
auto logsumexp_static(logsumexp::problem& p, const Pool&... pool) {
  return [&p, &pool...](std::span<double> g) {
    using namespace over_data;
    leibniz::gradient(over_data::logsumexp, x)(x = p.x, leibniz::into(x) = g, pool...);
  };
}

template <class... Pool>
auto normal_lpdf_static(normal_lpdf::problem& p, const Pool&... pool) {
  return [&p, &pool...](std::span<double> g) {
    using namespace over_data;
    const auto d = leibniz::gradient(over_data::normal_lpdf, mu, sigma)(y = p.y, mu = p.mu,
                                                                        sigma = p.sigma, pool...);
    g[0] = d[0];
    g[1] = d[1];
  };
}

auto normal_lpdf_static_bound(normal_lpdf::problem& p) {
  using namespace over_data;
  return [&p, bound = leibniz::bind(over_data::normal_lpdf, y = p.y)](std::span<double> g) {
    const auto d = leibniz::gradient(bound, mu, sigma)(mu = p.mu, sigma = p.sigma);
    g[0] = d[0];
    g[1] = d[1];
  };
}

// tape_sum: the same sums over data on the tape, each one entry (tape::apply with the data's
// vectors bound to tape arrays or plain data, a "sum block"): static mode's compiled gradient
// writes the partials into the tape.

auto rosenbrock_tape_sum(rosenbrock::problem& p) {
  return [in = array_leaf(p.x)](std::span<double> g) mutable {
    using over_data::x;
    var y = tape::apply(over_data::rosenbrock, x = in.x);
    y.backward();
    in.read_and_zero(g);
  };
}

auto logsumexp_tape_sum(logsumexp::problem& p) {
  return [in = array_leaf(p.x)](std::span<double> g) mutable {
    using over_data::x;
    var y = tape::apply(over_data::logsumexp, x = in.x);
    y.backward();
    in.read_and_zero(g);
  };
}

auto normal_lpdf_tape_sum(normal_lpdf::problem& p) {
  return [&p, in = leaves(std::array{p.mu, p.sigma})](std::span<double> g) mutable {
    using namespace over_data;
    var lp = tape::apply(over_data::normal_lpdf, y = p.y, mu = in.x[0], sigma = in.x[1]);
    lp.backward();
    in.read_and_zero(g);
  };
}

#if LEIBNIZ_BENCH_TBB
const leibniz::thread_pool& two_threads() {
  static const leibniz::thread_pool pool{2};
  return pool;
}
#endif

// ------------------------------------------------------------------ the table: case x mode

[[maybe_unused]] const bool registered = [] {
  using bench::add_function;
  using bench::add_gradient;
  add_function<rosenbrock>();
  add_gradient<rosenbrock>("hand", rosenbrock_hand);
  add_gradient<rosenbrock>("static", [](auto& p) { return rosenbrock_static(p); });
#if LEIBNIZ_BENCH_TBB
  add_gradient<rosenbrock>("static_tbb",
                           [](auto& p) { return rosenbrock_static(p, two_threads()); });
#endif
  add_gradient<rosenbrock>("tape", fresh(rosenbrock_tape), bench::sizes, report_tape);
  add_gradient<rosenbrock>("tape_static", fresh(rosenbrock_tape_static), bench::sizes, report_tape);
  add_gradient<rosenbrock>("tape_functional", fresh(rosenbrock_tape_functional), bench::sizes,
                           report_tape);
  add_gradient<rosenbrock>("tape_array", fresh(rosenbrock_tape_array), bench::sizes, report_tape);
  add_gradient<rosenbrock>("tape_array_static", fresh(rosenbrock_tape_array_static), bench::sizes,
                           report_tape);
  add_gradient<rosenbrock>("tape_sum", fresh(rosenbrock_tape_sum), bench::sizes, report_tape);
  add_gradient<rosenbrock>("fd", fd_kernel<rosenbrock>, fd_sizes);

  add_function<logsumexp>();
  add_gradient<logsumexp>("hand", logsumexp_hand);
  add_gradient<logsumexp>("static", [](auto& p) { return logsumexp_static(p); });
#if LEIBNIZ_BENCH_TBB
  add_gradient<logsumexp>("static_tbb", [](auto& p) { return logsumexp_static(p, two_threads()); });
#endif
  add_gradient<logsumexp>("tape", fresh(logsumexp_tape), bench::sizes, report_tape);
  add_gradient<logsumexp>("tape_static", fresh(logsumexp_tape_static), bench::sizes, report_tape);
  add_gradient<logsumexp>("tape_functional", fresh(logsumexp_tape_functional), bench::sizes,
                          report_tape);
  add_gradient<logsumexp>("tape_array", fresh(logsumexp_tape_array), bench::sizes, report_tape);
  add_gradient<logsumexp>("tape_array_static", fresh(logsumexp_tape_array_static), bench::sizes,
                          report_tape);
  add_gradient<logsumexp>("tape_sum", fresh(logsumexp_tape_sum), bench::sizes, report_tape);
  add_gradient<logsumexp>("fd", fd_kernel<logsumexp>, fd_sizes);

  add_function<normal_lpdf>();
  add_gradient<normal_lpdf>("hand", normal_lpdf_hand);
  add_gradient<normal_lpdf>("static", [](auto& p) { return normal_lpdf_static(p); });
  add_gradient<normal_lpdf>("static_bound", normal_lpdf_static_bound);
#if LEIBNIZ_BENCH_TBB
  add_gradient<normal_lpdf>("static_tbb",
                            [](auto& p) { return normal_lpdf_static(p, two_threads()); });
#endif
  add_gradient<normal_lpdf>("tape", fresh(normal_lpdf_tape), bench::sizes, report_tape);
  add_gradient<normal_lpdf>("tape_static", fresh(normal_lpdf_tape_static), bench::sizes,
                            report_tape);
  add_gradient<normal_lpdf>("tape_functional", fresh(normal_lpdf_tape_functional), bench::sizes,
                            report_tape);
  add_gradient<normal_lpdf>("tape_array", fresh(normal_lpdf_tape_array), bench::sizes, report_tape);
  add_gradient<normal_lpdf>("tape_array_static", fresh(normal_lpdf_tape_array_static), bench::sizes,
                            report_tape);
  add_gradient<normal_lpdf>("tape_sum", fresh(normal_lpdf_tape_sum), bench::sizes, report_tape);
  add_gradient<normal_lpdf>("fd", normal_lpdf_fd);
  return true;
}();

}  // namespace
