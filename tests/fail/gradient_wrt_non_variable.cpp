// tests/fail/gradient_wrt_non_variable.cpp
// gradient(f, x, y) takes variables; a number in their place is refused.
// expected-error: differentiate with respect to leibniz::variable
#include <leibniz/leibniz.hpp>

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;

double use() {
#ifdef LEIBNIZ_FAIL
  return leibniz::gradient(x * y, x, 2.0)(x = 1.0, y = 2.0)[0];
#else
  return leibniz::gradient(x * y, x, y)(x = 1.0, y = 2.0)[0];
#endif
}
