// bench/tape_callgrind.cpp
// The cases of bench/tape_cases.cpp, each run a fixed number of times with callgrind's
// collection on only around the timed calls, so that callgrind counts the instructions of one
// gradient exactly (repeatable on a shared machine, unlike timings). Built and run by
// bench/tape_callgrind_counts; not part of the meson build (it includes tape_cases.cpp).
#include <benchmark/benchmark.h>
#undef BENCHMARK_MAIN
#define BENCHMARK_MAIN() static_assert(true)
#include "tape_cases.cpp"  // NOLINT: the cases and their checks, in this translation unit

#include <valgrind/callgrind.h>

#include <cstring>

namespace {

bool profile = false;  // collection toggled by callgrind's --toggle-collect='*timed*' instead

/// The ten counted calls (a function of its own, for --toggle-collect).
template <class F>
[[gnu::noinline]] void timed(F& run) {
  for (int i = 0; i < 10; ++i) run();
}

template <class F>
void count(const char* name, const char* wanted, F&& run) {
  if (std::strcmp(wanted, "all") != 0 && std::strcmp(wanted, name) != 0) return;
  for (int i = 0; i < 3; ++i) run();  // warm: the tape has its memory, the leaves are registered
  if (profile) {
    timed(run);
    return;
  }
  CALLGRIND_ZERO_STATS;
  CALLGRIND_TOGGLE_COLLECT;
  timed(run);
  CALLGRIND_TOGGLE_COLLECT;
  CALLGRIND_DUMP_STATS_AT(name);
}

}  // namespace

int main(int argc, char** argv) {
  const char* wanted = argc > 1 ? argv[1] : "all";
  profile = argc > 2 && std::strcmp(argv[2], "profile") == 0;
  const std::size_t n = 1000;
  std::vector<double> g(n);
  {
    const auto x = rosenbrock_input(n);
    leaves in(x);
    const auto c = constants(x);
    array_leaf a(x);
    count("rosenbrock_f", wanted, [&] { benchmark::DoNotOptimize(rosenbrock<double>(x)); });
    count("rosenbrock_hand", wanted, [&] {
      rosenbrock_hand(x, g);
      benchmark::ClobberMemory();
    });
    count("rosenbrock_tape", wanted, [&] { rosenbrock_tape(in, g); });
    count("rosenbrock_tape_functional", wanted, [&] { rosenbrock_tape_functional(c, g); });
    count("rosenbrock_tape_static", wanted, [&] { rosenbrock_tape_static(c, g); });
    count("rosenbrock_tape_array", wanted, [&] { rosenbrock_tape_array(a, g); });
    count("rosenbrock_tape_array_static", wanted, [&] { rosenbrock_tape_array_static(a, g); });
    count("rosenbrock_tape_sum", wanted, [&] { rosenbrock_tape_sum(a, g); });
  }
  {
    const auto x = logsumexp_input(n);
    leaves in(x);
    const auto c = constants(x);
    array_leaf a(x);
    count("logsumexp_f", wanted, [&] { benchmark::DoNotOptimize(logsumexp<double>(x)); });
    count("logsumexp_hand", wanted, [&] {
      logsumexp_hand(x, g);
      benchmark::ClobberMemory();
    });
    count("logsumexp_tape", wanted, [&] { logsumexp_tape(in, g); });
    count("logsumexp_tape_functional", wanted, [&] { logsumexp_tape_functional(c, g); });
    count("logsumexp_tape_static", wanted, [&] { logsumexp_tape_static(c, g); });
    count("logsumexp_tape_array", wanted, [&] { logsumexp_tape_array(a, g); });
    count("logsumexp_tape_array_static", wanted, [&] { logsumexp_tape_array_static(a, g); });
    count("logsumexp_tape_sum", wanted, [&] { logsumexp_tape_sum(a, g); });
  }
  {
    const auto data = normal_data(n);
    const tape::array y(data);
    leaves in({mu0, sigma0});
    double mu = mu0;
    double sigma = sigma0;
    count("normal_lpdf_f", wanted, [&] {
      benchmark::DoNotOptimize(mu);
      benchmark::DoNotOptimize(sigma);
      benchmark::DoNotOptimize(normal_lpdf<double>(mu, sigma, data));
    });
    count("normal_lpdf_hand", wanted, [&] {
      normal_lpdf_hand(mu0, sigma0, data, g);
      benchmark::ClobberMemory();
    });
    count("normal_lpdf_tape", wanted, [&] { normal_lpdf_tape(in, data, g); });
    count("normal_lpdf_tape_functional", wanted, [&] { normal_lpdf_tape_functional(data, g); });
    count("normal_lpdf_tape_static", wanted, [&] { normal_lpdf_tape_static(data, g); });
    count("normal_lpdf_tape_array", wanted, [&] { normal_lpdf_tape_array(in, y, g); });
    count("normal_lpdf_tape_array_static", wanted,
          [&] { normal_lpdf_tape_array_static(in, y, g); });
    count("normal_lpdf_tape_sum", wanted, [&] { normal_lpdf_tape_sum(in, y, g); });
  }
}
