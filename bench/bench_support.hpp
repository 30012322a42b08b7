// bench/bench_support.hpp
// The suite's harness: hiding inputs and results from the optimiser (safely on g++ 12),
// checking every gradient against the hand-written one before it is timed, and registering
// one benchmark per case, mode and size, BM_<case>_<mode>/<n>.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace bench {

// ------------------------------------------------------------------ hiding from the optimiser

// Google Benchmark 1.7.1's DoNotOptimize(lvalue) uses the asm constraint "+m,r"; with g++ 12
// at -O2 and above it silently computed wrong values in our loops (a transcendental
// gradient came out wrong, hand-written and leibniz alike). These single-alternative
// constraints do not.

/// Makes v opaque: the compiler must assume it changed, so nothing computed from it is hoisted
/// out of the timing loop. A floating value stays in an SSE register (x86) at no cost.
template <class T>
inline void opaque(T& v) {
#if defined(__x86_64__) || defined(__i386__)
  if constexpr (std::is_floating_point_v<T> && sizeof(T) <= 8) {
    asm volatile("" : "+x"(v));
    return;
  }
#endif
  asm volatile("" : "+m"(v) : : "memory");
}

/// Makes v used: the computation of v cannot be dropped.
template <class T>
inline void sink(const T& v) {
  asm volatile("" : : "m"(v) : "memory");
}

/// Lets p escape: what it points to may be read or written by any later `sink` or `opaque`
/// (their "memory" clobber), so a loop over it is redone every iteration.
inline void escape(const void* p) { asm volatile("" : : "g"(p) : "memory"); }

// ------------------------------------------------------------------ checking

/// Aborts the run unless got[i] is within tolerance * max(1, |want[i]|) of want[i] for all i:
/// a wrong gradient is never timed.
inline void check_gradient(const std::string& what, std::span<const double> got,
                           std::span<const double> want, double tolerance = 1e-12) {
  if (got.size() != want.size()) {
    std::fprintf(stderr, "%s: gradient of size %zu, hand-written %zu\n", what.c_str(), got.size(),
                 want.size());
    std::abort();
  }
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (!(std::abs(got[i] - want[i]) <= tolerance * std::max(1.0, std::abs(want[i])))) {
      std::fprintf(stderr, "%s: gradient[%zu] = %.17g, hand-written %.17g (tolerance %g)\n",
                   what.c_str(), i, got[i], want[i], tolerance);
      std::abort();
    }
  }
}

/// The check of central differences (`fd`).
inline constexpr double fd_tolerance = 1e-6;

/// The tolerance a mode is checked with at size n: 1e-12 (BENCH-SUITE.md), and for sums of
/// more terms than that allows, n * epsilon: summing 10^5 terms in another order (a reverse
/// sweep adds each term's partial into an adjoint, the hand-written gradient factors 1/sigma
/// out of the sum) legitimately moves the last 1e-12 of the result. Central differences
/// (`fd`) are accurate to about sqrt(epsilon) at best.
inline double tolerance_of(const std::string& mode, long n = 2) {
  if (mode == "fd") return fd_tolerance;
  return std::max(1e-12, static_cast<double>(n) * 2.220446049250313e-16);
}

inline std::string benchmark_name(const char* case_name, const std::string& mode) {
  return std::string("BM_") + case_name + "_" + mode;
}

// ------------------------------------------------------------------ cases of two inputs

// A seed case's kernel is about 1 ns: each iteration computes the gradient at 256 points read
// from memory, so that the loop's own overhead and the clock's granularity do not blur it.
// The reported time is per gradient (the iteration's time divided by 256, done by report.py
// from items_per_second; Google Benchmark's own ns column is per 256 gradients).
inline constexpr int points = 256;

template <std::size_t N>
using point = std::array<double, N>;

template <std::size_t N>
std::array<point<N>, points> make_points(point<N> base) {
  std::array<point<N>, points> at{};
  for (int i = 0; i < points; ++i)
    for (std::size_t k = 0; k < N; ++k) at[i][k] = base[k] * (1 + 1e-3 * i);
  return at;
}

/// Times kernel(p) over the 256 points around base.
template <std::size_t N, class Kernel>
void run_points(benchmark::State& state, point<N> base, Kernel kernel) {
  auto at = make_points(base);
  for (auto _ : state) {
    opaque(at);
    for (const auto& p : at) sink(kernel(p));
  }
  state.SetItemsProcessed(state.iterations() * points);
  state.counters["per_iteration"] = points;
}

/// Registers BM_<case>_<mode>/<N> for a case of N inputs (Case::at, the point): `kernel(point<N>)`
/// returns the gradient (std::array<double, N>) or, for mode "f", the value. The gradient at
/// every point is checked against Case::hand first.
template <class Case, class Kernel>
bool add_point(const std::string& mode, Kernel kernel) {
  constexpr std::size_t n = Case::at.size();
  const std::string name = benchmark_name(Case::name, mode);
  benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
    if constexpr (!std::is_same_v<decltype(kernel(Case::at)), double>) {
      for (const point<n>& p : make_points(Case::at)) {
        const std::array<double, n> got = kernel(p);
        const std::array<double, n> want = std::apply(Case::hand, p);
        check_gradient(name, got, want, tolerance_of(mode));
      }
    }
    run_points<n>(state, Case::at, kernel);
  })->Arg(static_cast<long>(n));
  return true;
}

/// The step of central differences at x: cbrt(epsilon) * max(1, |x|), which balances the
/// truncation error (h^2) against rounding (epsilon / h).
inline double fd_step(double x) { return 6.0555e-6 * std::max(1.0, std::abs(x)); }

/// The gradient of Case::f at p by central differences: 2N evaluations of f.
template <class Case, std::size_t N>
std::array<double, N> fd_gradient(const point<N>& p) {
  const auto f = [](auto... v) { return Case::template f<double>(v...); };
  std::array<double, N> g{};
  for (std::size_t k = 0; k < N; ++k) {
    point<N> up = p;
    point<N> down = p;
    const double h = fd_step(p[k]);
    up[k] += h;
    down[k] -= h;
    g[k] = (std::apply(f, up) - std::apply(f, down)) / (2 * h);
  }
  return g;
}

// ------------------------------------------------------------------ the scaling cases

/// The sizes of the scaling cases (BENCH-SUITE.md).
inline const std::vector<long> sizes{10, 1000, 100000};

/// Times one gradient, kernel(g), at the case's input of size n, after checking g against
/// Case::hand. `make(problem&)` builds the kernel (a callable taking std::span<double>) once:
/// setting up leaves, recording a tape to replay, is not timed; what one gradient costs is.
/// `report(state)`, if given, adds counters after the timing loop.
template <class Case, class Make, class Report>
void time_gradient(benchmark::State& state, const std::string& name, const std::string& mode,
                   Make make, Report report) {
  auto problem = Case::input(static_cast<std::size_t>(state.range(0)));
  std::vector<double> want(Case::dimension(problem));
  Case::hand(problem, want);
  std::vector<double> g(want.size(), -1.0);
  auto kernel = make(problem);
  kernel(std::span<double>(g));
  check_gradient(name + "/" + std::to_string(state.range(0)), g, want,
                 tolerance_of(mode, state.range(0)));
  escape(&problem);
  escape(g.data());
  for (auto _ : state) {
    kernel(std::span<double>(g));
    sink(g[0]);
  }
  state.SetItemsProcessed(state.iterations());
  report(state);
}

/// No counters.
inline void no_report(benchmark::State&) {}

/// Registers BM_<case>_<mode>/<n> for every n in `at` (default: all the suite's sizes).
/// `report(state)` adds counters after the timing loop (tape memory, say).
template <class Case, class Make, class Report = void (*)(benchmark::State&)>
bool add_gradient(const std::string& mode, Make make, const std::vector<long>& at = sizes,
                  Report report = no_report) {
  const std::string name = benchmark_name(Case::name, mode);
  auto* b = benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
    time_gradient<Case>(state, name, mode, make, report);
  });
  for (long n : at) b->Arg(n);
  return true;
}

/// Registers BM_<case>_f/<n>: the function itself on double.
template <class Case>
bool add_function() {
  const std::string name = benchmark_name(Case::name, "f");
  auto* b = benchmark::RegisterBenchmark(name.c_str(), [](benchmark::State& state) {
    auto problem = Case::input(static_cast<std::size_t>(state.range(0)));
    escape(&problem);
    for (auto _ : state) {
      opaque(problem);
      double value = Case::f(problem);
      sink(value);
    }
    state.SetItemsProcessed(state.iterations());
  });
  for (long n : sizes) b->Arg(n);
  return true;
}

}  // namespace bench
