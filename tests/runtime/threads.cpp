// tests/runtime/threads.cpp
// Each thread works on its own thread_local state and gets the single-threaded answer.
// A stand-in for the tape's thread test: scripts/check also runs it under ThreadSanitizer.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <array>
#include <string_view>
#include <thread>
#include <vector>

namespace {

/// Per-thread scratch state, the way each thread will own its tape.
thread_local std::vector<double> scratch;

/// sum_{i<n} (i + v)^2 with v = the length of leibniz::version, accumulated in `scratch`.
double work(int n) {
  scratch.clear();
  const double v = static_cast<double>(std::string_view(leibniz::version).size());
  for (int i = 0; i < n; ++i) scratch.push_back((i + v) * (i + v));
  double sum = 0;
  for (double s : scratch) sum += s;
  return sum;
}

}  // namespace

TEST_CASE("threads with thread_local state agree with a single thread") {
  constexpr int n = 10000;
  const double expected = work(n);

  std::array<double, 4> results{};
  std::vector<std::thread> threads;
  for (auto& result : results) threads.emplace_back([&result] { result = work(n); });
  for (auto& t : threads) t.join();

  for (double r : results) CHECK(r == expected);
  CHECK(scratch.size() == static_cast<std::size_t>(n));  // the main thread's copy is untouched
}
