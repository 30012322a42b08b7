// bench/static_gradient.cpp
// The compiled static gradient against the same gradient written by hand, in the same run:
// the suite's seed_quadratic and seed_mixed (BENCH-SUITE.md), and a 19-node expression with
// transcendental functions. Each gradient is checked against `hand` before it is timed.
#include <leibniz/leibniz.hpp>

#include <benchmark/benchmark.h>

#include "bench_support.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace {

using namespace leibniz::literals;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;
constexpr leibniz::variable<"z"> z;

// ------------------------------------------------------------------ the functions

constexpr auto seed_quadratic = x * x + y * y;
constexpr auto seed_mixed = x * x * y + x * y * y;
// sin(x*y) + exp(x/z)*log(y^2 + 1) - sqrt(x*z) + tanh(y - z)*x^3: 19 nodes.
constexpr auto transcendental = leibniz::sin(x * y) +
                                leibniz::exp(x / z) * leibniz::log(y * y + 1_c) -
                                leibniz::sqrt(x * z) + leibniz::tanh(y - z) * leibniz::pow<3>(x);

double quadratic_f(double a, double b) { return a * a + b * b; }
std::array<double, 2> quadratic_hand(double a, double b) { return {2 * a, 2 * b}; }

double mixed_f(double a, double b) { return a * a * b + a * b * b; }
std::array<double, 2> mixed_hand(double a, double b) {
  return {2 * a * b + b * b, a * a + 2 * a * b};
}

double transcendental_f(double a, double b, double c) {
  return std::sin(a * b) + std::exp(a / c) * std::log(b * b + 1) - std::sqrt(a * c) +
         std::tanh(b - c) * a * a * a;
}
std::array<double, 3> transcendental_hand(double a, double b, double c) {
  const double cs = std::cos(a * b);
  const double e = std::exp(a / c);
  const double l = std::log(b * b + 1);
  const double q = std::sqrt(a * c);
  const double t = std::tanh(b - c);
  const double sech2 = 1 - t * t;
  const double a2 = a * a;
  return {cs * b + e * l / c - 0.5 * c / q + 3 * t * a2,
          cs * a + e * 2 * b / (b * b + 1) + sech2 * a2 * a,
          -e * l * a / (c * c) - 0.5 * a / q - sech2 * a2 * a};
}

template <std::size_t N>
void check_against_hand(const char* name, const std::array<double, N>& got,
                        const std::array<double, N>& hand) {
  for (std::size_t i = 0; i < N; ++i) {
    if (!(std::abs(got[i] - hand[i]) <= 1e-12 * std::max(1.0, std::abs(hand[i])))) {
      std::fprintf(stderr, "%s: gradient[%zu] = %.17g, hand-written %.17g\n", name, i, got[i],
                   hand[i]);
      std::abort();
    }
  }
}

// ------------------------------------------------------------------ the harness

// Each iteration computes the gradient at 256 points read from memory, so that the loop's
// own overhead and the sub-nanosecond granularity of the clock do not blur a 1 ns kernel;
// the reported time is per gradient.
constexpr int points = 256;

template <std::size_t N>
std::array<std::array<double, N>, points> make_points(std::array<double, N> base) {
  std::array<std::array<double, N>, points> at{};
  for (int i = 0; i < points; ++i)
    for (std::size_t k = 0; k < N; ++k) at[i][k] = base[k] * (1 + 1e-3 * i);
  return at;
}

template <std::size_t N, class Kernel>
void run(benchmark::State& state, std::array<double, N> base, Kernel kernel) {
  auto at = make_points(base);
  for (auto _ : state) {
    bench::opaque(at);
    for (const auto& p : at) bench::sink(kernel(p));
  }
  state.SetItemsProcessed(state.iterations() * points);
}

template <std::size_t N>
using point = std::array<double, N>;

// ------------------------------------------------------------------ seed_quadratic

void BM_seed_quadratic_f(benchmark::State& state) {
  run<2>(state, {2, 3}, [](const point<2>& p) { return quadratic_f(p[0], p[1]); });
}
void BM_seed_quadratic_hand(benchmark::State& state) {
  run<2>(state, {2, 3}, [](const point<2>& p) { return quadratic_hand(p[0], p[1]); });
}
void BM_seed_quadratic_static(benchmark::State& state) {
  const auto gradient = leibniz::gradient(seed_quadratic, x, y);
  check_against_hand("seed_quadratic", gradient(x = 2.0, y = 3.0), quadratic_hand(2, 3));
  run<2>(state, {2, 3}, [&](const point<2>& p) { return gradient(x = p[0], y = p[1]); });
}
void BM_seed_quadratic_fd(benchmark::State& state) {
  run<2>(state, {2, 3}, [](const point<2>& p) {
    const double h = 1e-6;
    return std::array<double, 2>{
        (quadratic_f(p[0] + h, p[1]) - quadratic_f(p[0] - h, p[1])) / (2 * h),
        (quadratic_f(p[0], p[1] + h) - quadratic_f(p[0], p[1] - h)) / (2 * h)};
  });
}

// ------------------------------------------------------------------ seed_mixed

void BM_seed_mixed_f(benchmark::State& state) {
  run<2>(state, {2, 3}, [](const point<2>& p) { return mixed_f(p[0], p[1]); });
}
void BM_seed_mixed_hand(benchmark::State& state) {
  run<2>(state, {2, 3}, [](const point<2>& p) { return mixed_hand(p[0], p[1]); });
}
void BM_seed_mixed_static(benchmark::State& state) {
  const auto gradient = leibniz::gradient(seed_mixed, x, y);
  check_against_hand("seed_mixed", gradient(x = 2.0, y = 3.0), mixed_hand(2, 3));
  run<2>(state, {2, 3}, [&](const point<2>& p) { return gradient(x = p[0], y = p[1]); });
}
void BM_seed_mixed_fd(benchmark::State& state) {
  run<2>(state, {2, 3}, [](const point<2>& p) {
    const double h = 1e-6;
    return std::array<double, 2>{(mixed_f(p[0] + h, p[1]) - mixed_f(p[0] - h, p[1])) / (2 * h),
                                 (mixed_f(p[0], p[1] + h) - mixed_f(p[0], p[1] - h)) / (2 * h)};
  });
}

// ------------------------------------------------------------------ 19-node transcendental

void BM_transcendental_f(benchmark::State& state) {
  run<3>(state, {0.7, 1.3, 0.9},
         [](const point<3>& p) { return transcendental_f(p[0], p[1], p[2]); });
}
void BM_transcendental_hand(benchmark::State& state) {
  run<3>(state, {0.7, 1.3, 0.9},
         [](const point<3>& p) { return transcendental_hand(p[0], p[1], p[2]); });
}
void BM_transcendental_static(benchmark::State& state) {
  const auto gradient = leibniz::gradient(transcendental, x, y, z);
  check_against_hand("transcendental", gradient(x = 0.7, y = 1.3, z = 0.9),
                     transcendental_hand(0.7, 1.3, 0.9));
  run<3>(state, {0.7, 1.3, 0.9},
         [&](const point<3>& p) { return gradient(x = p[0], y = p[1], z = p[2]); });
}

}  // namespace

BENCHMARK(BM_seed_quadratic_f);
BENCHMARK(BM_seed_quadratic_hand);
BENCHMARK(BM_seed_quadratic_static);
BENCHMARK(BM_seed_quadratic_fd);
BENCHMARK(BM_seed_mixed_f);
BENCHMARK(BM_seed_mixed_hand);
BENCHMARK(BM_seed_mixed_static);
BENCHMARK(BM_seed_mixed_fd);
BENCHMARK(BM_transcendental_f);
BENCHMARK(BM_transcendental_hand);
BENCHMARK(BM_transcendental_static);

BENCHMARK_MAIN();
