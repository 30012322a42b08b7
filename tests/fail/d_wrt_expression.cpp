// tests/fail/d_wrt_expression.cpp
// d(e, x) differentiates with respect to a variable; an expression in its place is refused.
// expected-error: d\(e, x\): x must be a leibniz::variable
#include <leibniz/leibniz.hpp>

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;

double use() {
#ifdef LEIBNIZ_FAIL
  return leibniz::d(x * y, x * y)(x = 1.0, y = 2.0);
#else
  return leibniz::d(x * y, x)(x = 1.0, y = 2.0);
#endif
}
