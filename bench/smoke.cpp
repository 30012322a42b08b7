// bench/smoke.cpp
// A placeholder benchmark: proves the benchmark build works until the real suite lands.
#include <leibniz/leibniz.hpp>

#include <benchmark/benchmark.h>

#include <string_view>

namespace {

/// The cost of reading leibniz::version's length: a floor for everything else.
void BM_version_length_hand(benchmark::State& state) {
  for (auto _ : state) {
    std::string_view v = leibniz::version;
    benchmark::DoNotOptimize(v);
    benchmark::DoNotOptimize(v.size());
  }
}
BENCHMARK(BM_version_length_hand);

}  // namespace

BENCHMARK_MAIN();
