// bench/peer_adolc.cpp
// ADOL-C 2.7 (Debian's libadolc-dev) on the suite's cases, two ways:
//   adolc         taping every call: trace_on (keeping the forward values), the function on
//                 adouble, trace_off, then one reverse sweep (fos_reverse) over that tape;
//   adolc_replay  the tape recorded once at set-up, each gradient a replay of it at the new
//                 point with gradient() (a forward sweep, then a reverse one). Valid only
//                 while the control flow does not depend on the point, as here.
// The tape buffers are sized to hold the whole tape in memory (ADOL-C's default spills a
// tape larger than its buffers to files in the working directory).
#include <adolc/adolc.h>

#include "bench_support.hpp"
#include "cases.hpp"

#include <algorithm>
#include <memory>
#include <span>
#include <vector>

namespace {

using bench::point;

/// A fresh tape number per tape recorded.
short next_tag() {
  static short tag = 0;
  return ++tag;
}

/// A tape number whose tape is removed (memory and files) when the last copy goes: each
/// benchmark's tapes go with its kernel.
struct owned_tag {
  short tag = next_tag();
  owned_tag() = default;
  owned_tag(const owned_tag&) = delete;
  owned_tag& operator=(const owned_tag&) = delete;
  ~owned_tag() { removeTape(tag, ADOLC_REMOVE_COMPLETELY); }
};

/// Buffers (operations, locations, values, Taylors) that hold a tape of the suite's cases of
/// `n` elements in memory: at most 10 operations, 23 locations and 3 values per element
/// (ADOL-C's tapestats at n = 1000); ADOL-C's defaults (524288 each) would spill the tapes
/// of n = 100000 to files.
int trace_on_sized(short tag, int keep, std::size_t n) {
  const auto buffer = [n](std::size_t per_element) {
    return static_cast<uint>(std::max<std::size_t>(per_element * n, 4096));
  };
  return trace_on(tag, keep, buffer(12), buffer(24), buffer(4), buffer(12));
}

/// Records f on `tag` at x (independents x, one dependent) with the Taylors kept when `keep`.
template <class F>
void record(short tag, int keep, std::span<const double> x, std::size_t n, F f) {
  trace_on_sized(tag, keep, n);
  std::vector<adouble> ax(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) ax[i] <<= x[i];
  adouble y = f(std::span<const adouble>(ax));
  double value = 0;
  y >>= value;
  trace_off();
}

/// One gradient taping every call: record with Taylors kept, then one reverse sweep.
template <class F>
void tape_and_sweep(short tag, std::span<const double> x, std::span<double> g, std::size_t n, F f) {
  record(tag, 1, x, n, f);
  double weight = 1.0;
  fos_reverse(tag, 1, static_cast<int>(x.size()), &weight, g.data());
}

// ------------------------------------------------------------------ seed cases

template <class Case>
void add_seed() {
  const auto f = [](std::span<const adouble> v) { return Case::template f<adouble>(v[0], v[1]); };
  bench::add_point<Case>("adolc", [f, tag = next_tag()](const point<2>& p) {
    std::array<double, 2> g{};
    tape_and_sweep(tag, p, g, 1, f);
    return g;
  });
  bench::add_point<Case>("adolc_replay", [tag = [f] {
                           const short t = next_tag();
                           record(t, 0, Case::at, 1, f);
                           return t;
                         }()](const point<2>& p) {
    std::array<double, 2> g{};
    gradient(tag, 2, p.data(), g.data());
    return g;
  });
}

// ------------------------------------------------------------------ scaling cases

/// The independents of a case: x, or (mu, sigma) for normal_lpdf.
std::vector<double> independents(const bench::rosenbrock::problem& p) { return p.x; }
std::vector<double> independents(const bench::logsumexp::problem& p) { return p.x; }
std::vector<double> independents(const bench::normal_lpdf::problem& p) { return {p.mu, p.sigma}; }

/// Registers adolc and adolc_replay for a scaling case at size n; f(v, problem) is the
/// function of the independents v on adouble.
template <class Case, class F>
void add_scaling(long n, F f) {
  bench::add_gradient<Case>("adolc",
                            [f](typename Case::problem& p) {
                              return [&p, f, x = independents(p),
                                      tag = std::make_shared<owned_tag>()](std::span<double> g) {
                                tape_and_sweep(tag->tag, x, g, Case::input_size(p),
                                               [&](std::span<const adouble> v) { return f(v, p); });
                              };
                            },
                            {n});
  bench::add_gradient<Case>("adolc_replay",
                            [f](typename Case::problem& p) {
                              auto tag = std::make_shared<owned_tag>();
                              std::vector<double> x = independents(p);
                              record(tag->tag, 0, x, Case::input_size(p),
                                     [&](std::span<const adouble> v) { return f(v, p); });
                              return [x, tag](std::span<double> g) {
                                gradient(tag->tag, static_cast<int>(x.size()), x.data(), g.data());
                              };
                            },
                            {n});
}

// ADOL-C's location store never shrinks, and every later sweep allocates and clears arrays
// as large as its high-water mark: after a tape of n = 100000, a gradient at n = 10 took 2 ms
// instead of 3 us. So ADOL-C's benchmarks are registered size by size, smallest first
// (Google Benchmark runs them in registration order; bench/run does not interleave).
[[maybe_unused]] const bool registered = [] {
  add_seed<bench::seed_quadratic>();
  add_seed<bench::seed_mixed>();
  for (long n : bench::sizes) {
    add_scaling<bench::rosenbrock>(n, [](std::span<const adouble> x, const auto&) {
      return bench::rosenbrock::f<adouble>(x);
    });
    add_scaling<bench::logsumexp>(
        n, [](std::span<const adouble> x, const auto&) { return bench::logsumexp::f<adouble>(x); });
    add_scaling<bench::normal_lpdf>(n, [](std::span<const adouble> v, const auto& p) {
      return bench::normal_lpdf::f<adouble>(v[0], v[1], p.y);
    });
  }
  return true;
}();

}  // namespace
