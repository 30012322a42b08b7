// bench/sums_over_data.hpp
// The suite's scaling cases as static mode's sums over data (leibniz::vector variables), shared
// by the static modes of bench/scaling.cpp and the sum blocks (tape_sum) of both benchmarks.
#pragma once

#include <leibniz/leibniz.hpp>

namespace over_data {
using namespace leibniz::literals;
constexpr leibniz::index<"i"> i;
constexpr leibniz::vector<"x"> x;
constexpr leibniz::vector<"y"> y;
constexpr leibniz::variable<"mu"> mu;
constexpr leibniz::variable<"sigma"> sigma;
constexpr auto rosenbrock =
    leibniz::sum(i < size(x) - 1_c, 100_c * leibniz::pow<2>(x[i + 1_c] - leibniz::pow<2>(x[i])) +
                                        leibniz::pow<2>(1_c - x[i]));
constexpr auto logsumexp = leibniz::log(leibniz::sum(i < size(x), leibniz::exp(x[i])));
constexpr auto normal_lpdf =
    leibniz::sum(i < size(y), -leibniz::constant<1, 2>* leibniz::pow<2>((y[i] - mu) / sigma) -
                                  leibniz::log(sigma) -
                                  leibniz::constant<1, 2> * leibniz::log(2_c * leibniz::pi));
}  // namespace over_data
