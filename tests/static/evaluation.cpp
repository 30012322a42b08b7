// tests/static/evaluation.cpp
// Evaluation in constant expressions, on both compilers: bindings in any order, numbers mixed
// in, every function of the op table, and several scalar types.
#include <leibniz/leibniz.hpp>

namespace {

using namespace leibniz::literals;
using leibniz::constant;
using leibniz::d;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;

constexpr bool close(double a, double b, double tolerance = 1e-15) {
  const double diff = a > b ? a - b : b - a;
  const double scale = (a > 0 ? a : -a) + (b > 0 ? b : -b);
  return diff <= tolerance * (scale > 1 ? scale : 1);
}

// Bindings in any order; integers bind as double; numbers mixed into expressions.
static_assert((x * x + y * y)(x = 2.0, y = 3.0) == 13.0);
static_assert((x * x + y * y)(y = 3.0, x = 2.0) == 13.0);
static_assert((x * y)(x = 2, y = 3) == 6.0);
static_assert((3 * x)(x = 2.0) == 6.0);
static_assert((x / 2.0)(x = 3.0) == 1.5);
static_assert((1 + x)(x = 2.0) == 3.0);
static_assert((x * constant<1, 2>)(x = 3.0) == 1.5);
static_assert((x * 3_c)(x = 2.0) == 6.0);
static_assert(leibniz::pi(x = 1.0) == 3.141592653589793);
static_assert(constant<1, 3>() == 1.0 / 3.0);

// A value computed at run time is held in the expression, and still constexpr here.
constexpr double scale = 2.5;
static_assert((scale * x)(x = 2.0) == 5.0);

// Other scalar types.
static_assert((x * x + 1_c)(x = 1.5f) == 3.25f);
static_assert(std::is_same_v<decltype((x * x)(x = 1.5f)), float>);
static_assert((x * x + 1_c)(x = 1.5L) == 3.25L);
static_assert(std::is_same_v<decltype((x * y)(x = 1.5f, y = 2.0)), double>);

// Every function of the op table, in a constant expression.
static_assert(close(leibniz::sin(x)(x = 0.5), 0.479425538604203));
static_assert(close(leibniz::cos(x)(x = 0.5), 0.8775825618903728));
static_assert(close(leibniz::tan(x)(x = 0.5), 0.5463024898437905));
static_assert(close(leibniz::asin(x)(x = 0.5), 0.5235987755982989));
static_assert(close(leibniz::acos(x)(x = 0.5), 1.0471975511965979));
static_assert(close(leibniz::atan(x)(x = 0.5), 0.4636476090008061));
static_assert(close(leibniz::sinh(x)(x = 0.5), 0.5210953054937474));
static_assert(close(leibniz::cosh(x)(x = 0.5), 1.1276259652063807));
static_assert(close(leibniz::tanh(x)(x = 0.5), 0.46211715726000974));
static_assert(close(leibniz::exp(x)(x = 0.5), 1.6487212707001282));
static_assert(close(leibniz::expm1(x)(x = 1e-10), 1.00000000005e-10));
static_assert(close(leibniz::log(x)(x = 0.5), -0.6931471805599453));
static_assert(close(leibniz::log1p(x)(x = 1e-10), 9.9999999995e-11));
static_assert(close(leibniz::sqrt(x)(x = 2.0), 1.4142135623730951));
static_assert(close(leibniz::cbrt(x)(x = 2.0), 1.2599210498948732));
static_assert(close(leibniz::pow(x, y)(x = 2.0, y = 0.5), 1.4142135623730951));
static_assert(close(leibniz::pow(x, 2.5)(x = 4.0), 32.0));
static_assert(close(leibniz::erf(x)(x = 0.5), 0.5204998778130465));
static_assert(close(leibniz::sigmoid(x)(x = 0.5), 0.6224593312018546));
static_assert(leibniz::abs(x)(x = -2.0) == 2.0);
static_assert(leibniz::sign(x)(x = -2.0) == -1.0);
static_assert(leibniz::step(x)(x = 0.0) == 0.5);
static_assert(leibniz::min(x, y)(x = 1.0, y = 2.0) == 1.0);
static_assert(leibniz::max(x, y)(x = 1.0, y = 2.0) == 2.0);

// Derivatives of transcendental functions, at compile time.
static_assert(close(d(leibniz::sin(x) * leibniz::exp(x), x)(x = 0.5),
                    (0.8775825618903728 + 0.479425538604203) * 1.6487212707001282));
static_assert(close(d(leibniz::log(x * x + 1_c), x)(x = 2.0), 0.8));
static_assert(close(d(leibniz::erf(x), x)(x = 0.0), 1.1283791670955126));
static_assert(d(leibniz::abs(x), x)(x = 0.0) == 0.0);              // abs'(0) = 0, as in PyTorch
static_assert(d(leibniz::min(x, y), x)(x = 1.0, y = 1.0) == 0.5);  // a tie splits evenly

}  // namespace
