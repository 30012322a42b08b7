// tests/runtime/math_accuracy.cpp
// The constexpr implementations of leibniz::math, run at run time against std::, in ulp.
#include <leibniz/math/math.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace d = leibniz::math::detail;
namespace m = leibniz::math;

using ld = long double;
template <class T>
using limits = std::numeric_limits<T>;

constexpr int samples_per_interval = 20000;
constexpr std::uint64_t seed = 20240601;

template <class T>
std::string type_name() {
  if constexpr (std::is_same_v<T, float>)
    return "float";
  else if constexpr (std::is_same_v<T, double>)
    return "double";
  else
    return "long double";
}

/// x in decimal and, to reproduce it exactly, in hexadecimal.
template <class T>
std::string show(T x) {
  std::ostringstream out;
  out << static_cast<ld>(x) << " (" << std::hexfloat << static_cast<ld>(x) << ")";
  return out.str();
}

/// |got - want| in units in the last place of want (the std:: value); subnormals count in the
/// smallest subnormal. 0 when both are the same infinity or both NaN; huge when only one is.
template <class T>
ld ulp_error(T got, T want) {
  if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got) ? 0 : 1e30L;
  if (std::isinf(want) || std::isinf(got)) return got == want ? 0 : 1e30L;
  if (got == want) return 0;
  const T ulp = want == 0 ? limits<T>::denorm_min()
                          : std::fmax(std::ldexp(T(1), std::ilogb(want) - limits<T>::digits + 1),
                                      limits<T>::denorm_min());
  return std::fabs(static_cast<ld>(got) - static_cast<ld>(want)) / static_cast<ld>(ulp);
}

/// Where arguments are drawn from: uniformly, or with a uniformly distributed logarithm of the
/// magnitude (to reach every binade, subnormals included), positive or of either sign.
struct interval {
  enum kind_t { linear, log_positive, log_both_signs } kind;
  ld lo;
  ld hi;
};

/// Seeded, and the same on every platform: no std:: distributions, whose output is unspecified.
class sampler {
 public:
  sampler() : engine_(seed) {}
  ld unit() { return static_cast<ld>(engine_()) * 0x1p-64L; }  // in [0, 1)
  bool coin() { return (engine_() & 1u) != 0; }

  template <class T>
  T draw(const interval& in) {
    const ld u = unit();
    ld x = 0;
    if (in.kind == interval::linear) {
      x = in.lo + (in.hi - in.lo) * u;
    } else {
      x = std::exp(std::log(in.lo) + (std::log(in.hi) - std::log(in.lo)) * u);
      if (in.kind == interval::log_both_signs && coin()) x = -x;
    }
    x = std::fmax(std::fmin(x, static_cast<ld>(limits<T>::max())),
                  -static_cast<ld>(limits<T>::max()));
    return static_cast<T>(x);
  }

 private:
  std::mt19937_64 engine_;
};

/// The worst error seen and where.
template <class T>
struct worst_case {
  ld ulp = 0;
  T x = 0;
  T y = 0;
  void see(ld error, T at_x, T at_y = 0) {
    if (error > ulp) {
      ulp = error;
      x = at_x;
      y = at_y;
    }
  }
};

/// Runs ours against theirs on samples_per_interval points of each interval plus the extra
/// points, reports the worst error and checks it against the bound.
template <class T>
void check_unary(const char* name, T (*ours)(T), const std::function<T(T)>& theirs,
                 std::initializer_list<interval> intervals, ld bound,
                 const std::vector<T>& extra = {}) {
  sampler s;
  worst_case<T> worst;
  std::vector<T> points = extra;
  for (const interval& in : intervals)
    for (int i = 0; i < samples_per_interval; ++i) points.push_back(s.template draw<T>(in));
  for (const T x : points) worst.see(ulp_error(ours(x), theirs(x)), x);
  MESSAGE(std::string(name) << "(" << type_name<T>() << "): worst "
                            << static_cast<double>(worst.ulp) << " ulp over " << points.size()
                            << " points, at x = " << show(worst.x));
  CHECK(worst.ulp <= bound);
}

/// The bound by type: float, double, long double.
template <class T>
constexpr ld bound(ld for_float, ld for_double, ld for_long_double) {
  if constexpr (std::is_same_v<T, float>)
    return for_float;
  else if constexpr (std::is_same_v<T, double>)
    return for_double;
  else
    return for_long_double;
}

/// The T nearest k pi/2 for random k up to 1e5, and its neighbours: the arguments whose sine,
/// cosine or tangent cancel the most in the argument reduction.
template <class T>
std::vector<T> near_multiples_of_half_pi() {
  sampler s;
  std::vector<T> points;
  for (int i = 0; i < 2000; ++i) {
    const auto k = static_cast<ld>(1 + static_cast<long>(s.unit() * 100000));
    const T x = static_cast<T>(k * 1.57079632679489661923132169163975144L);
    points.push_back(x);
    points.push_back(std::nextafter(x, T(0)));
    points.push_back(std::nextafter(x, limits<T>::infinity()));
  }
  return points;
}

template <class T>
constexpr T pi = static_cast<T>(3.14159265358979323846264338327950288L);

constexpr interval tiny_both{interval::log_both_signs, 1e-30L, 1e-3L};

}  // namespace

TEST_CASE_TEMPLATE("exp and expm1 agree with std:: over their whole domain", T, float, double,
                   long double) {
  const ld lo = std::log(static_cast<ld>(limits<T>::denorm_min())) - 1;
  const ld hi = std::log(static_cast<ld>(limits<T>::max())) + 1;
  check_unary<T>(
      "exp", d::exp<T>, [](T x) { return std::exp(x); },
      {{interval::linear, lo, hi}, {interval::linear, -1, 1}, tiny_both}, bound<T>(1, 1, 1));
  check_unary<T>(
      "expm1", d::expm1<T>, [](T x) { return std::expm1(x); },
      {{interval::linear, -50, hi}, {interval::linear, -1, 1}, tiny_both}, bound<T>(1, 1, 2));
}

TEST_CASE_TEMPLATE("log and log1p agree with std:: over their whole domain", T, float, double,
                   long double) {
  const ld tiny = limits<T>::denorm_min();
  const ld huge = limits<T>::max();
  check_unary<T>(
      "log", d::log<T>, [](T x) { return std::log(x); },
      {{interval::log_positive, tiny, huge}, {interval::linear, 0.5L, 2}}, bound<T>(1, 1, 1));
  check_unary<T>(
      "log1p", d::log1p<T>, [](T x) { return std::log1p(x); },
      {{interval::log_positive, tiny, huge}, {interval::linear, -1, 1}, tiny_both},
      bound<T>(1, 1, 2));
}

TEST_CASE_TEMPLATE("sqrt is correctly rounded and cbrt agrees with std::", T, float, double,
                   long double) {
  const interval everything{interval::log_positive, limits<T>::denorm_min(), limits<T>::max()};
  check_unary<T>(
      "sqrt", d::sqrt<T>, [](T x) { return std::sqrt(x); }, {everything, {interval::linear, 0, 4}},
      0);
  check_unary<T>(
      "cbrt", d::cbrt<T>, [](T x) { return std::cbrt(x); },
      {{interval::log_both_signs, limits<T>::denorm_min(), limits<T>::max()},
       {interval::linear, -8, 8}},
      bound<T>(1, 3, 1));
}

TEST_CASE_TEMPLATE("sin, cos and tan agree with std:: for every finite argument", T, float, double,
                   long double) {
  const std::vector<T> hard = near_multiples_of_half_pi<T>();
  const std::initializer_list<interval> intervals = {
      {interval::linear, -pi<T>, pi<T>},
      {interval::linear, -1e5L, 1e5L},
      {interval::log_both_signs, limits<T>::denorm_min(), limits<T>::max()}};
  check_unary<T>(
      "sin", d::sin<T>, [](T x) { return std::sin(x); }, intervals, bound<T>(1, 1, 1), hard);
  check_unary<T>(
      "cos", d::cos<T>, [](T x) { return std::cos(x); }, intervals, bound<T>(1, 1, 1), hard);
  check_unary<T>(
      "tan", d::tan<T>, [](T x) { return std::tan(x); }, intervals, bound<T>(1, 1, 1), hard);
}

TEST_CASE_TEMPLATE("asin, acos, atan and atan2 agree with std::", T, float, double, long double) {
  std::vector<T> near_one;
  for (int k = 1; k < 40; ++k) {
    const T below_one = 1 - std::ldexp(T(1), -k);
    near_one.insert(near_one.end(), {below_one, -below_one, std::nextafter(T(1), T(0))});
  }
  const std::initializer_list<interval> unit = {{interval::linear, -1, 1}, tiny_both};
  check_unary<T>(
      "asin", d::asin<T>, [](T x) { return std::asin(x); }, unit, bound<T>(1, 1, 1), near_one);
  check_unary<T>(
      "acos", d::acos<T>, [](T x) { return std::acos(x); }, unit, bound<T>(1, 1, 1), near_one);
  check_unary<T>(
      "atan", d::atan<T>, [](T x) { return std::atan(x); },
      {{interval::log_both_signs, limits<T>::denorm_min(), limits<T>::max()},
       {interval::linear, -2, 2}},
      bound<T>(1, 1, 1));

  sampler s;
  worst_case<T> worst;
  const interval wide{interval::log_both_signs, 1e-30L, 1e30L};
  const interval all{interval::log_both_signs, limits<T>::denorm_min(), limits<T>::max()};
  const interval square{interval::linear, -1, 1};
  for (const interval& in : {wide, all, square}) {
    for (int i = 0; i < samples_per_interval; ++i) {
      const T y = s.template draw<T>(in);
      const T x = s.template draw<T>(in);
      worst.see(ulp_error(d::atan2(y, x), std::atan2(y, x)), y, x);
    }
  }
  MESSAGE("atan2(" << type_name<T>() << "): worst " << static_cast<double>(worst.ulp)
                   << " ulp, at (y, x) = (" << show(worst.x) << ", " << show(worst.y) << ")");
  CHECK(worst.ulp <= bound<T>(1, 1, 1));
}

TEST_CASE_TEMPLATE("sinh, cosh and tanh agree with std::", T, float, double, long double) {
  const ld hi = std::log(static_cast<ld>(limits<T>::max())) + 1;
  const std::initializer_list<interval> intervals = {
      {interval::linear, -hi, hi}, {interval::linear, -2, 2}, tiny_both};
  check_unary<T>(
      "sinh", d::sinh<T>, [](T x) { return std::sinh(x); }, intervals, bound<T>(2, 2, 2));
  check_unary<T>(
      "cosh", d::cosh<T>, [](T x) { return std::cosh(x); }, intervals, bound<T>(2, 1, 1));
  check_unary<T>(
      "tanh", d::tanh<T>, [](T x) { return std::tanh(x); },
      {{interval::linear, -30, 30}, {interval::linear, -2, 2}, tiny_both}, bound<T>(2, 2, 3));
}

TEST_CASE_TEMPLATE("erf agrees with std:: and sigmoid with its long double formula", T, float,
                   double, long double) {
  check_unary<T>(
      "erf", d::erf<T>, [](T x) { return std::erf(x); },
      {{interval::linear, -8, 8},
       {interval::linear, -1, 1},
       tiny_both,
       {interval::log_both_signs, limits<T>::denorm_min(), 1e-3L}},
      bound<T>(1, 1, 1));
  // No std::sigmoid: the reference is the run-time formula, evaluated in long double.
  const auto reference = [](T x) { return static_cast<T>(m::sigmoid(static_cast<ld>(x))); };
  const ld lo = std::log(static_cast<ld>(limits<T>::denorm_min())) - 1;
  check_unary<T>("sigmoid", d::sigmoid<T>, reference,
                 {{interval::linear, lo, 50}, {interval::linear, -5, 5}, tiny_both},
                 bound<T>(0, 1, 2));
}

TEST_CASE_TEMPLATE("pow agrees with std::", T, float, double, long double) {
  sampler s;
  worst_case<T> worst;
  const auto run = [&](interval xs, interval ys, bool integer_y) {
    for (int i = 0; i < samples_per_interval; ++i) {
      const T x = s.template draw<T>(xs);
      T y = s.template draw<T>(ys);
      if (integer_y) y = std::trunc(y);
      worst.see(ulp_error(d::pow(x, y), std::pow(x, y)), x, y);
    }
  };
  run({interval::log_positive, 1e-10L, 1e10L}, {interval::linear, -30, 30}, false);
  run({interval::linear, 0, 4}, {interval::linear, -200, 200}, false);
  run({interval::linear, 0.99L, 1.01L}, {interval::log_both_signs, 1, 1e7L}, false);
  run({interval::log_both_signs, limits<T>::denorm_min(), limits<T>::max()},
      {interval::linear, -3, 3}, false);
  run({interval::linear, -10, 10}, {interval::linear, -40, 40}, true);
  MESSAGE("pow(" << type_name<T>() << "): worst " << static_cast<double>(worst.ulp)
                 << " ulp, at (x, y) = (" << show(worst.x) << ", " << show(worst.y) << ")");
  CHECK(worst.ulp <= bound<T>(1, 1, 3));
}

TEST_CASE_TEMPLATE("ipow and rpow are within a few ulp of the exact power", T, float, double,
                   long double) {
  // The reference, in long double and rounded to T (for long double itself, as accurate as
  // std:: is): std::pow where the exponent is exact in binary, std::cbrt for thirds.
  const auto power = [](ld exponent) {
    return [=](T x) { return static_cast<T>(std::pow(static_cast<ld>(x), exponent)); };
  };
  const auto cube_root_of_square = [](T x) {
    const auto v = static_cast<ld>(x);
    return static_cast<T>(std::cbrt(v * v));
  };
  const std::initializer_list<interval> intervals = {{interval::linear, 0.5L, 2},
                                                     {interval::log_positive, 1e-5L, 1e5L}};
  check_unary<T>(
      "ipow<2>", [](T x) { return m::ipow<2>(x); }, power(2), intervals, bound<T>(0, 1, 0));
  check_unary<T>(
      "ipow<7>", [](T x) { return m::ipow<7>(x); }, power(7), intervals, bound<T>(4, 4, 4));
  check_unary<T>(
      "ipow<-3>", [](T x) { return m::ipow<-3>(x); }, power(-3), intervals, bound<T>(2, 2, 4));
  check_unary<T>(
      "rpow<1, 2>", [](T x) { return m::rpow<1, 2>(x); }, power(0.5L), intervals,
      bound<T>(0, 1, 1));
  check_unary<T>(
      "rpow<3, 2>", [](T x) { return m::rpow<3, 2>(x); }, power(1.5L), intervals,
      bound<T>(1, 1, 1));
  check_unary<T>(
      "rpow<-1, 2>", [](T x) { return m::rpow<-1, 2>(x); }, power(-0.5L), intervals,
      bound<T>(1, 1, 1));
  check_unary<T>(
      "rpow<1, 3>", [](T x) { return m::rpow<1, 3>(x); },
      [](T x) { return static_cast<T>(std::cbrt(static_cast<ld>(x))); }, intervals,
      bound<T>(1, 3, 1));
  check_unary<T>(
      "rpow<2, 3>", [](T x) { return m::rpow<2, 3>(x); }, cube_root_of_square, intervals,
      bound<T>(1, 4, 2));
  check_unary<T>(
      "rpow<3, 4>", [](T x) { return m::rpow<3, 4>(x); }, power(0.75L), intervals,
      bound<T>(1, 1, 1));
}

TEST_CASE_TEMPLATE("special values follow IEEE and C, as std:: does", T, float, double,
                   long double) {
  const T inf = limits<T>::infinity();
  const T nan = limits<T>::quiet_NaN();
  const std::vector<T> specials = {T(0),
                                   -T(0),
                                   T(0.5),
                                   -T(0.5),
                                   T(1),
                                   -T(1),
                                   T(2),
                                   -T(2),
                                   T(3),
                                   -T(3),
                                   inf,
                                   -inf,
                                   nan,
                                   limits<T>::denorm_min(),
                                   limits<T>::min(),
                                   limits<T>::max(),
                                   -limits<T>::max()};
  // The same class, the same sign (also of zeros and infinities), and about the same value.
  const auto same = [](T ours, T theirs) {
    if (std::isnan(theirs)) return std::isnan(ours);
    return std::signbit(ours) == std::signbit(theirs) && ulp_error(ours, theirs) <= 3;
  };
  struct unary {
    const char* name;
    T (*ours)(T);
    T (*theirs)(T);
  };
  const unary functions[] = {
      {"exp", d::exp<T>, [](T x) { return std::exp(x); }},
      {"expm1", d::expm1<T>, [](T x) { return std::expm1(x); }},
      {"log", d::log<T>, [](T x) { return std::log(x); }},
      {"log1p", d::log1p<T>, [](T x) { return std::log1p(x); }},
      {"sqrt", d::sqrt<T>, [](T x) { return std::sqrt(x); }},
      {"cbrt", d::cbrt<T>, [](T x) { return std::cbrt(x); }},
      {"sin", d::sin<T>, [](T x) { return std::sin(x); }},
      {"cos", d::cos<T>, [](T x) { return std::cos(x); }},
      {"tan", d::tan<T>, [](T x) { return std::tan(x); }},
      {"asin", d::asin<T>, [](T x) { return std::asin(x); }},
      {"acos", d::acos<T>, [](T x) { return std::acos(x); }},
      {"atan", d::atan<T>, [](T x) { return std::atan(x); }},
      {"sinh", d::sinh<T>, [](T x) { return std::sinh(x); }},
      {"cosh", d::cosh<T>, [](T x) { return std::cosh(x); }},
      {"tanh", d::tanh<T>, [](T x) { return std::tanh(x); }},
      {"erf", d::erf<T>, [](T x) { return std::erf(x); }},
      {"abs", d::abs<T>, [](T x) { return std::abs(x); }},
  };
  for (const unary& f : functions)
    for (const T x : specials)
      CHECK_MESSAGE(same(f.ours(x), f.theirs(x)), std::string(f.name) << "(" << show(x) << ")");
  for (const T y : specials) {
    for (const T x : specials) {
      CHECK_MESSAGE(same(d::atan2(y, x), std::atan2(y, x)),
                    "atan2(" << show(y) << ", " << show(x) << ")");
      CHECK_MESSAGE(same(d::pow(x, y), std::pow(x, y)),
                    "pow(" << show(x) << ", " << show(y) << ")");
      CHECK_MESSAGE(same(d::copysign(x, y), std::copysign(x, y)), "copysign");
      const bool zeros = x == 0 && y == 0;  // the sign of fmin(-0, +0) is unspecified
      CHECK_MESSAGE((zeros || same(d::fmin(x, y), std::fmin(x, y))), "fmin");
      CHECK_MESSAGE((zeros || same(d::fmax(x, y), std::fmax(x, y))), "fmax");
    }
  }
  CHECK(d::log(T(0)) == -inf);
  CHECK(std::isnan(d::log(T(-1))));
  CHECK(std::isnan(d::sqrt(T(-1))));
  CHECK(d::exp(T(20000)) == inf);
  CHECK(d::exp(T(-20000)) == 0);
  CHECK(std::isnan(d::sigmoid(nan)));
  CHECK(d::sigmoid(-inf) == 0);
  CHECK(d::sigmoid(inf) == 1);
  for (const T x : specials) {
    CHECK(d::isnan(x) == std::isnan(x));
    CHECK(d::isinf(x) == std::isinf(x));
    CHECK(d::isfinite(x) == std::isfinite(x));
    CHECK(d::signbit(x) == std::signbit(x));
  }
}

TEST_CASE_TEMPLATE("at run time leibniz::math is std::", T, float, double, long double) {
  const T x = T(0.75);
  CHECK(m::sin(x) == std::sin(x));
  CHECK(m::exp(x) == std::exp(x));
  CHECK(m::pow(x, T(3.5)) == std::pow(x, T(3.5)));
  CHECK(m::sqrt(2) == std::sqrt(2.0));
  const std::complex<T> z(T(0.5), T(-1.25));
  CHECK(m::exp(z) == std::exp(z));
  CHECK(m::tanh(z) == std::tanh(z));
  CHECK(m::pow(z, 2) == std::pow(z, T(2)));
}

TEST_CASE_TEMPLATE("complex exp, log, sqrt, sin, cos in constant-evaluation form agree with std::",
                   T, float, double, long double) {
  sampler s;
  ld worst = 0;
  const interval parts{interval::linear, -4, 4};
  for (int i = 0; i < samples_per_interval; ++i) {
    const std::complex<T> z(s.template draw<T>(parts), s.template draw<T>(parts));
    // Each part's error in ulp of the larger part: a part far below the other is not resolved
    // by the formulas (nor by std::).
    const auto error = [](std::complex<T> ours, std::complex<T> theirs) {
      const T scale = std::fmax(std::abs(theirs.real()), std::abs(theirs.imag()));
      const ld ulp = std::ldexp(ld(1), std::ilogb(scale) - limits<T>::digits + 1);
      return std::fmax(std::fabs(static_cast<ld>(ours.real()) - theirs.real()),
                       std::fabs(static_cast<ld>(ours.imag()) - theirs.imag())) /
             ulp;
    };
    worst = std::fmax(worst, error(d::exp(z), std::exp(z)));
    worst = std::fmax(worst, error(d::log(z), std::log(z)));
    worst = std::fmax(worst, error(d::sqrt(z), std::sqrt(z)));
    worst = std::fmax(worst, error(d::sin(z), std::sin(z)));
    worst = std::fmax(worst, error(d::cos(z), std::cos(z)));
    worst = std::fmax(worst, error({d::hypot(z.real(), z.imag()), 0}, {std::abs(z), 0}));
  }
  MESSAGE("complex(" << type_name<T>() << "): worst " << static_cast<double>(worst)
                     << " ulp of the larger part");
  CHECK(worst <= 4);
}
