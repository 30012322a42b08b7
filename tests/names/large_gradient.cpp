// tests/names/large_gradient.cpp: the compiled gradient of a large derivative, compiled by
// tests/names/run.py, which checks that no function the compiler emits is named after the
// whole static tape. (g++ spends time quadratic in a name's length spelling it: such names
// made large gradients compile superlinearly slowly; see docs/static.md, "Compile time".)
// The expression is bench/compile_time.py's 100-node case (seed 100), differentiated once.
#include <leibniz/leibniz.hpp>

#include <array>

using namespace leibniz::literals;
constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;
constexpr leibniz::variable<"z"> z;
constexpr auto f = leibniz::tanh((
    ((leibniz::log(leibniz::exp((
          (leibniz::cos(((leibniz::cos(2_c) * 0.5) * (y * leibniz::cos(leibniz::sin(2_c))))) *
           leibniz::sqrt(
               leibniz::exp(leibniz::cos((0.5 / (2_c + leibniz::cos(leibniz::sin(2_c)))))))) +
          leibniz::sqrt(leibniz::exp(
              (leibniz::sqrt(leibniz::exp(leibniz::sqrt(leibniz::exp(y)))) + leibniz::sin(z))))))) +
      (((leibniz::exp(
             ((leibniz::sin(0.5) - y) -
              leibniz::log(leibniz::exp((leibniz::sin(y) - leibniz::log(leibniz::exp(y))))))) +
         x) -
        x) -
       y)) -
     (((x - leibniz::sin(2_c)) +
       ((((leibniz::cos(x) + 0.5) / (2_c + leibniz::cos(leibniz::sin(x)))) * leibniz::cos(z)) +
        leibniz::cos(leibniz::cos(leibniz::sin(y))))) *
      leibniz::sin((leibniz::tanh(leibniz::tanh(leibniz::tanh(z))) / (2_c + leibniz::cos(0.5)))))) *
    ((x * leibniz::tanh(leibniz::sin(y))) + 2_c)));
constexpr auto g = leibniz::d(f, x);

std::array<double, 3> gradient_of(double a, double b, double c);
std::array<double, 3> gradient_of(double a, double b, double c) {
  return leibniz::gradient(g, x, y, z)(x = a, y = b, z = c);
}
