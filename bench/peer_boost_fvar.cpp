// bench/peer_boost_fvar.cpp
// Boost.Math's forward-mode autodiff (boost::math::differentiation, Boost 1.74) on the seed
// cases: a gradient of two inputs is two forward passes on make_fvar<double, 1>, each seeding
// one input (the other a constant).
#include <boost/math/differentiation/autodiff.hpp>

#include "bench_support.hpp"
#include "cases.hpp"

namespace {

using bench::point;
namespace autodiff = boost::math::differentiation;
using fvar = autodiff::autodiff_fvar<double, 1>;

template <class Case>
void add_seed() {
  bench::add_point<Case>("boost_fvar", [](const point<2>& p) {
    const fvar dx = Case::template f<fvar>(autodiff::make_fvar<double, 1>(p[0]), fvar(p[1]));
    const fvar dy = Case::template f<fvar>(fvar(p[0]), autodiff::make_fvar<double, 1>(p[1]));
    return std::array<double, 2>{dx.derivative(1), dy.derivative(1)};
  });
}

[[maybe_unused]] const bool registered = [] {
  add_seed<bench::seed_quadratic>();
  add_seed<bench::seed_mixed>();
  return true;
}();

}  // namespace
