// tests/static/derivatives.cpp
// Each derivative rule, as an exact result type and as printed text; higher orders; gradient
// and Hessian; the seed tutorial's functions, evaluated at compile time.
#include <leibniz/leibniz.hpp>

#include <type_traits>

namespace {

using namespace leibniz::literals;
using leibniz::constant;
using leibniz::d;
using leibniz::to_string;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;

template <class A, class B>
constexpr bool same(const A&, const B&) {
  return std::is_same_v<A, B>;
}

// Leaves.
static_assert(same(d(x, x), constant<1>));
static_assert(same(d(y, x), constant<0>));
static_assert(same(d(3_c, x), constant<0>));
static_assert(same(d(2.5, x), constant<0>));

// Each rule: the result type, and how it prints.
static_assert(same(d(x * x, x), 2_c * x));
static_assert(same(d(x * y, x), y));
static_assert(same(d(x / y, y), -x / (y * y)));
static_assert(same(d(leibniz::sin(x), x), leibniz::cos(x)));
static_assert(same(d(leibniz::cos(x), x), -leibniz::sin(x)));
static_assert(same(d(leibniz::exp(x), x), leibniz::exp(x)));
static_assert(same(d(leibniz::log(x), x), 1_c / x));
static_assert(same(d(leibniz::sqrt(x), x), constant<1, 2> / leibniz::sqrt(x)));

static_assert(to_string(d(x * x, x)) == "2*x");
static_assert(to_string(d(x / y, y)) == "-x/y^2");
static_assert(to_string(d(leibniz::pow(x, 3_c), x)) == "3*x^2");
static_assert(to_string(d(leibniz::pow(x, constant<-1, 2>), x)) == "-1/(2*x^(3/2))");
static_assert(to_string(d(leibniz::pow(x, y), x)) == "y*x^(y - 1)");
static_assert(to_string(d(leibniz::pow(x, y), y)) == "log(x)*x^y");
static_assert(to_string(d(leibniz::sqrt(x), x)) == "1/(2*sqrt(x))");
static_assert(to_string(d(leibniz::cbrt(x), x)) == "1/(3*x^(2/3))");
static_assert(to_string(d(leibniz::exp(2_c * x), x)) == "2*exp(2*x)");
static_assert(to_string(d(leibniz::expm1(x), x)) == "exp(x)");
static_assert(to_string(d(leibniz::log(x), x)) == "1/x");
static_assert(to_string(d(leibniz::log1p(x), x)) == "1/(x + 1)");
static_assert(to_string(d(leibniz::sin(x), x)) == "cos(x)");
static_assert(to_string(d(leibniz::cos(x), x)) == "-sin(x)");
static_assert(to_string(d(leibniz::tan(x), x)) == "tan(x)^2 + 1");
static_assert(to_string(d(leibniz::asin(x), x)) == "1/sqrt(1 - x^2)");
static_assert(to_string(d(leibniz::acos(x), x)) == "-1/sqrt(1 - x^2)");
static_assert(to_string(d(leibniz::atan(x), x)) == "1/(x^2 + 1)");
static_assert(to_string(d(leibniz::sinh(x), x)) == "cosh(x)");
static_assert(to_string(d(leibniz::cosh(x), x)) == "sinh(x)");
static_assert(to_string(d(leibniz::tanh(x), x)) == "1 - tanh(x)^2");
static_assert(to_string(d(leibniz::erf(x), x)) == "2*exp(-x^2)/sqrt(pi)");
static_assert(to_string(d(leibniz::sigmoid(x), x)) == "(1 - sigmoid(x))*sigmoid(x)");
static_assert(to_string(d(leibniz::abs(x), x)) == "sign(x)");
static_assert(to_string(d(leibniz::min(x, y), x)) == "step(y - x)");
static_assert(to_string(d(leibniz::max(x, y), x)) == "step(x - y)");
static_assert(to_string(d(leibniz::sign(x), x)) == "0");

// The chain rule through several levels, and higher orders by nesting.
static_assert(to_string(d(leibniz::sin(x * x), x)) == "2*x*cos(x^2)");
static_assert(to_string(d(d(leibniz::sin(x), x), x)) == "-sin(x)");
static_assert(to_string(d(d(d(leibniz::pow(x, 4_c), x), x), x)) == "24*x");
static_assert(to_string(d(d(x * x * y, x), y)) == "2*x");

// Numbers the chain rule brings out of a sum cancel with the coefficient: the normal
// log-density's derivative is -(mu - y)/sigma^2, not -(2*mu - 2*y)/(2*sigma^2).
constexpr leibniz::variable<"mu"> mu;
constexpr leibniz::variable<"sigma"> sigma;
static_assert(to_string(d(-leibniz::pow<2>(y - mu) / (2_c * leibniz::pow<2>(sigma)), mu)) ==
              "-(mu - y)/sigma^2");
static_assert(to_string(d(leibniz::pow<3>(x * x - 1_c), x)) == "6*x*(x^2 - 1)^2");

// Run-time numbers stay in the derivative.
static_assert(to_string(d(3 * x * x, x)) == "6*x");
static_assert(d(x / 4.0, x)(x = 1.0) == 0.25);

// The seed tutorial's functions, at compile time.
static_assert(d(x * x, x)(x = 3.0) == 6.0);
static_assert(d(x * x + y * y, x)(x = 2.0, y = 3.0) == 4.0);
static_assert(d(x * x + y * y, y)(x = 2.0, y = 3.0) == 6.0);
static_assert(d((x + y) * (x - y), x)(x = 3.0, y = 2.0) == 6.0);
static_assert(d((x + y) * (x - y), y)(x = 3.0, y = 2.0) == -4.0);
static_assert(d(3 * x * x + 2 * x + 1, x)(x = 4.0) == 26.0);
static_assert(d(x * x * y + x * y * y, x)(x = 2.0, y = 3.0) == 21.0);
static_assert(d(x * x * y + x * y * y, y)(x = 2.0, y = 3.0) == 16.0);

// gradient: all partials in one pass, in the order the variables are named.
constexpr auto seed_mixed = x * x * y + x * y * y;
static_assert(leibniz::gradient(seed_mixed, x, y)(x = 2.0, y = 3.0) == std::array{21.0, 16.0});
static_assert(leibniz::gradient(seed_mixed, y, x)(y = 3.0, x = 2.0) == std::array{16.0, 21.0});
static_assert(leibniz::gradient(x * x, x, y)(x = 3.0, y = 1.0) == std::array{6.0, 0.0});
static_assert(same(std::get<0>(leibniz::gradient(seed_mixed, x, y).derivatives()),
                   d(seed_mixed, x)));

// hessian: the second derivatives.
static_assert(leibniz::hessian(seed_mixed, x, y)(x = 2.0, y = 3.0) ==
              std::array{std::array{6.0, 10.0}, std::array{10.0, 4.0}});

}  // namespace
