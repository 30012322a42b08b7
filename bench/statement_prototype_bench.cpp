#include <leibniz/leibniz.hpp>
#include <benchmark/benchmark.h>
#include "cases.hpp"
#include <span>
#include <vector>
namespace {
namespace tape = leibniz::tape;
using tape::var;
template <class Case>
void BM_f(benchmark::State& state) {
  const typename Case::problem p = Case::input(1000);
  for (auto _ : state) benchmark::DoNotOptimize(Case::f(p));
}
std::vector<double> inputs_of(const bench::rosenbrock::problem& p) { return p.x; }
std::vector<double> inputs_of(const bench::logsumexp::problem& p) { return p.x; }
std::vector<double> inputs_of(const bench::normal_lpdf::problem& p) { return {p.mu, p.sigma}; }
var run_f(const bench::rosenbrock::problem&, std::span<const var> v) { return bench::rosenbrock::f<var>(v); }
var run_f(const bench::logsumexp::problem&, std::span<const var> v) { return bench::logsumexp::f<var>(v); }
var run_f(const bench::normal_lpdf::problem& p, std::span<const var> v) { return bench::normal_lpdf::f<var>(v[0], v[1], p.y); }
template <class Case>
void BM_tape(benchmark::State& state) {
  const typename Case::problem p = Case::input(1000);
  std::vector<var> x;
  for (double v : inputs_of(p)) x.emplace_back(v, leibniz::requires_grad);
  std::vector<double> g(x.size()), want(x.size());
  Case::hand(p, want);
  auto once = [&] {
    var y = run_f(p, x);
    y.backward();
    for (std::size_t i = 0; i < x.size(); ++i) { g[i] = *x[i].grad(); x[i].zero_grad(); }
  };
  once();
  for (std::size_t i = 0; i < g.size(); ++i)
    if (std::abs(g[i] - want[i]) > 1e-12 * std::max(1.0, std::abs(want[i]))) { std::fprintf(stderr, "%s mismatch %zu %g %g\n", Case::name, i, g[i], want[i]); std::abort(); }
  for (auto _ : state) { once(); benchmark::ClobberMemory(); }
}
BENCHMARK(BM_f<bench::rosenbrock>)->Name("BM_rosenbrock_f");
BENCHMARK(BM_tape<bench::rosenbrock>)->Name("BM_rosenbrock_tape");
BENCHMARK(BM_f<bench::logsumexp>)->Name("BM_logsumexp_f");
BENCHMARK(BM_tape<bench::logsumexp>)->Name("BM_logsumexp_tape");
BENCHMARK(BM_f<bench::normal_lpdf>)->Name("BM_normal_lpdf_f");
BENCHMARK(BM_tape<bench::normal_lpdf>)->Name("BM_normal_lpdf_tape");
}
BENCHMARK_MAIN();
