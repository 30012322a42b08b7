// tests/static/check_matches_fd.cpp
// matches_finite_differences at compile time: the symbolic gradient against finite differences
// (Richardson extrapolation) computed in constant evaluation with leibniz::math, on g++ and
// clang++ alike. A rule wrong by one part in a thousand does not pass; the default tolerance
// is 1e-6 relative.
#include <leibniz/leibniz.hpp>

#include <cstddef>
#include <string_view>

namespace leibniz {

/// exp with a derivative rule wrong by one part in a thousand.
struct wrong_exp_op {
  static constexpr std::string_view name = "wrong_exp";
  static constexpr auto value(const auto& u) { return math::exp(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& result, const auto& /*u*/) {
    return result * constant<1001, 1000>;
  }
};

template <class U>
constexpr auto wrong_exp(const U& u) {
  return call<wrong_exp_op>(u);
}

}  // namespace leibniz

namespace {

using namespace leibniz::literals;
using leibniz::matches_finite_differences;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;

// The seed tutorial's kind of function, and each family of ops.
static_assert(matches_finite_differences(x * x * leibniz::sin(y) + leibniz::exp(x / y), x = 2.0,
                                         y = 3.0));
static_assert(matches_finite_differences(leibniz::log(x * y) - leibniz::sqrt(x) * leibniz::cbrt(y),
                                         x = 0.5, y = 2.0));
static_assert(matches_finite_differences(leibniz::cbrt(y) + leibniz::log(x), x = 0.01, y = -2.0));
static_assert(matches_finite_differences(leibniz::pow(x, y) + leibniz::pow<-2>(x), x = 1.5,
                                         y = 0.75));
static_assert(matches_finite_differences(leibniz::tan(x) * leibniz::atan(y) +
                                             leibniz::asin(x / 2_c),
                                         x = 0.5, y = 4.0));
static_assert(matches_finite_differences(leibniz::tanh(x * y) + leibniz::sinh(x) - leibniz::cosh(y),
                                         x = 0.5, y = -0.25));
static_assert(matches_finite_differences(leibniz::erf(x) * leibniz::sigmoid(y), x = 0.5, y = 1.5));
static_assert(matches_finite_differences(leibniz::abs(x) * y + leibniz::max(x, y), x = -0.5,
                                         y = 1.0));

// The outcome says how close it came: error / tolerance, for the worst variable.
constexpr leibniz::finite_difference_match m =
    matches_finite_differences(x * x * leibniz::sin(y), x = 2.0, y = 3.0);
static_assert(m.passed && m.worst_ratio < 1e-3);
static_assert(m.worst_variable == 0 || m.worst_variable == 1);

// A wrong rule is caught; the same check with the right rule passes.
static_assert(!matches_finite_differences(leibniz::wrong_exp(x) * y, x = 0.5, y = 2.0));
static_assert(matches_finite_differences(leibniz::exp(x) * y, x = 0.5, y = 2.0));
constexpr auto wrong = matches_finite_differences(leibniz::wrong_exp(x) * y, x = 0.5, y = 2.0);
static_assert(wrong.worst_variable == 0 && wrong.worst_ratio > 100);

// Tolerances are options: loose enough, even the wrong rule passes.
static_assert(matches_finite_differences(leibniz::wrong_exp(x) * y,
                                         leibniz::check_options{.fd_rtol = 2e-3}, x = 0.5,
                                         y = 2.0));

// In constant evaluation f must be finite wherever the differences go: sqrt at 0, or log near
// 0 with steps larger than x, do not compile (1/0 and log(-h) are not constant expressions).

}  // namespace
