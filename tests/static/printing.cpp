// tests/static/printing.cpp
// to_string at compile time: conventional precedence, no needless parentheses, subtraction and
// division where the canonical form holds negative coefficients and exponents.
#include <leibniz/leibniz.hpp>

namespace {

using namespace leibniz::literals;
using leibniz::constant;
using leibniz::to_string;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;
constexpr leibniz::variable<"mu"> mu;

// Sums print as polynomials: higher powers first, constants last.
static_assert(to_string(x * x + y * y) == "x^2 + y^2");
static_assert(to_string(1_c + x) == "x + 1");
static_assert(to_string((x + 1_c) * (x + 1_c)) == "(x + 1)^2");
static_assert(to_string(x * x * y + x * y * y) == "x^2*y + x*y^2");
static_assert(to_string(x - y) == "x - y");
static_assert(to_string(-x) == "-x");
static_assert(to_string(-x - y) == "-x - y");
static_assert(to_string(y - 2_c * x) == "y - 2*x");  // a positive term leads
static_assert(to_string(1_c - x * x) == "1 - x^2");
static_assert(to_string(-x - y + 2_c) == "2 - x - y");
static_assert(to_string(leibniz::sqrt(1_c - x) * y) == "y*sqrt(1 - x)");

// Products and quotients.
static_assert(to_string(x * y) == "x*y");
static_assert(to_string(x / y) == "x/y");
static_assert(to_string(x / (y * y)) == "x/y^2");
static_assert(to_string(x / (2_c * y)) == "x/(2*y)");
static_assert(to_string(constant<3, 2> * x) == "3*x/2");
static_assert(to_string(1_c / x) == "1/x");
static_assert(to_string(x / (x + y)) == "x/(x + y)");
static_assert(to_string((x + y) * (x - y)) == "(x + y)*(x - y)");

// Powers and roots.
static_assert(to_string(leibniz::pow<3>(x)) == "x^3");
static_assert(to_string(leibniz::sqrt(x)) == "sqrt(x)");
static_assert(to_string(leibniz::sqrt(x + y)) == "sqrt(x + y)");
static_assert(to_string(1_c / leibniz::sqrt(x)) == "1/sqrt(x)");
static_assert(to_string(leibniz::pow(x, constant<3, 2>)) == "x^(3/2)");
static_assert(to_string(leibniz::pow(x, y)) == "x^y");
static_assert(to_string(leibniz::pow(x, y + 1_c)) == "x^(y + 1)");
static_assert(to_string(leibniz::pow(leibniz::sin(x), 2_c)) == "sin(x)^2");
static_assert(to_string(leibniz::pow(2_c * x, 2_c)) == "4*x^2");

// Functions, constants, names.
static_assert(to_string(leibniz::sin(x) * leibniz::cos(x)) == "cos(x)*sin(x)");
static_assert(to_string(leibniz::exp(-x * x / 2_c)) == "exp(-x^2/2)");
static_assert(to_string(leibniz::min(x, y)) == "min(x, y)");
static_assert(to_string(leibniz::pi * x) == "pi*x");
static_assert(to_string(mu * x) == "mu*x");
static_assert(to_string(constant<-1, 2>) == "-1/2");

// Run-time numbers print in the fewest decimals that read back exactly.
static_assert(to_string(3 * x) == "3*x");
static_assert(to_string(0.1 * x) == "0.1*x");
static_assert(to_string(x - 3.25) == "x - 3.25");
static_assert(to_string(-2.5 * x + 1) == "1 - 2.5*x");
static_assert(to_string(leibniz::pow(x, -2.5)) == "x^(-2.5)");
static_assert(to_string((2 * x) / 2) == "x");  // a run-time 1 is not shown, as an exact 1 is not
static_assert(to_string(-(2.0 * x) / 2.0) == "-x");
static_assert(to_string((2.0 * x) / (2.0 * y)) == "x/y");

}  // namespace
