// bench/tape_memory.cpp
// Tape memory per recorded scalar binary op (issue 4: at most 40 bytes), everything counted:
// the tape is reserved to exactly the recording's size, a chain of n products of two vars
// that require grad is recorded and swept, and every byte the tape then holds (op heads,
// operand indices, partials, adjoints, handle counts) is divided by n: bytes_per_op. Fixed
// costs (the leaves' table, say) are in it too; bytes_per_op_marginal is what one more op
// adds: (bytes at 2n - bytes at n) / n. The time is that of one record-and-sweep of the chain.
#include <leibniz/leibniz.hpp>

#include "bench_support.hpp"

#include <utility>

namespace {

namespace tape = leibniz::tape;

/// Records a chain of n products on a tape reserved to fit it, sweeps it, and returns the
/// tape's statistics while the chain was alive and its bytes after the sweep.
std::pair<tape::tape_statistics, std::size_t> record_chain(std::size_t n) {
  tape::release_memory();
  const tape::var a{1.0, leibniz::requires_grad};
  const tape::var b{1.0, leibniz::requires_grad};
  tape::reserve(n + 2, 2 * n);
  tape::var s = a * b;
  for (std::size_t i = 1; i < n; ++i) s = s * b;
  const tape::tape_statistics recorded = tape::statistics();
  s.backward();
  return {recorded, tape::capacity_bytes()};
}

void BM_tape_memory_binary_op(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::pair<tape::tape_statistics, std::size_t> once;
  for (auto _ : state) once = record_chain(n);
  const auto [recorded, bytes] = once;
  const std::size_t bytes_twice = record_chain(2 * n).second;
  const auto ops = static_cast<double>(n);
  state.counters["bytes_per_op"] = static_cast<double>(bytes) / ops;
  state.counters["bytes_per_op_marginal"] = static_cast<double>(bytes_twice - bytes) / ops;
  state.counters["slots_per_op"] = static_cast<double>(recorded.slots) / ops;
  state.counters["records_per_op"] = static_cast<double>(recorded.records) / ops;
}
BENCHMARK(BM_tape_memory_binary_op)->Arg(1000000);

}  // namespace
