// bench/suite_main.cpp
// The suite's one program: every case, mode and size registered by the files linked with it
// (static_gradient.cpp, scaling.cpp, tape_memory.cpp, and each peer found: peer_*.cpp), so
// that every ratio is measured in the same run.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
