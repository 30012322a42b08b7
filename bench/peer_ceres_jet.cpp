// bench/peer_ceres_jet.cpp
// Ceres Solver's Jet (ceres/jet.h, Ceres 2.1, headers only) on the seed cases: one forward
// pass on Jet<double, 2>, each input seeding its own dual part.
#include <ceres/jet.h>

#include "bench_support.hpp"
#include "cases.hpp"

namespace {

using bench::point;
using jet = ceres::Jet<double, 2>;

template <class Case>
void add_seed() {
  bench::add_point<Case>("ceres_jet", [](const point<2>& p) {
    const jet f = Case::template f<jet>(jet(p[0], 0), jet(p[1], 1));
    return std::array<double, 2>{f.v[0], f.v[1]};
  });
}

[[maybe_unused]] const bool registered = [] {
  add_seed<bench::seed_quadratic>();
  add_seed<bench::seed_mixed>();
  return true;
}();

}  // namespace
