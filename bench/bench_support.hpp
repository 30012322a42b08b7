// bench/bench_support.hpp
// Hiding inputs and results from the optimiser, safely on g++ 12.
#pragma once

#include <type_traits>

namespace bench {

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

}  // namespace bench
