// leibniz/parallel.hpp
// Sums over data on several threads, through oneTBB (Debian's libtbb-dev; link with -ltbb).
#pragma once

#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace leibniz {

/// An executor for sums over data, bound like a variable:
///
///     leibniz::thread_pool pool{2};
///     gradient(f, x)(x = xs, into(x) = g, pool);
///
/// A sum of at least `grain` terms is cut into as many pieces as the pool has threads, each
/// piece summed in order on one thread, and the pieces' results added in order. So the result
/// depends on the number of threads, never on scheduling: the same count gives the same bits.
class thread_pool {
 public:
  static constexpr std::string_view name = "parallel";
  static constexpr int kind = 3;  // an executor (see eval/bindings.hpp)
  static constexpr std::size_t max_pieces = 64;

  /// A pool that cuts long sums into `threads` pieces, run on at most as many threads as the
  /// machine has cores (the pieces, and so the results, depend only on `threads`).
  explicit thread_pool(int threads, std::size_t grain = 4096)
      : arena_(std::min(std::max(1, threads), tbb::info::default_concurrency())),
        threads_(static_cast<std::size_t>(std::max(1, threads))),
        grain_(std::max<std::size_t>(1, grain)) {}

  [[nodiscard]] std::size_t threads() const { return threads_; }

  /// How many pieces a sum of `length` terms is cut into.
  [[nodiscard]] std::size_t pieces_for(std::size_t length) const {
    if (length < grain_) return 1;
    return std::min({threads_, max_pieces, length / (grain_ / 2 + 1)});
  }

  /// Runs f(0), ..., f(pieces - 1), concurrently on the pool's threads.
  template <class F>
  void for_each(std::size_t pieces, F&& f) const {
    arena_.execute([&] {
      tbb::parallel_for(
          std::size_t{0}, pieces, [&](std::size_t c) { f(c); }, tbb::static_partitioner{});
    });
  }

 private:
  mutable tbb::task_arena arena_;
  std::size_t threads_;
  std::size_t grain_;
};

}  // namespace leibniz
