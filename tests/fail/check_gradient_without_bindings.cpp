// tests/fail/check_gradient_without_bindings.cpp
// check_gradient checks a static expression at bindings of its variables, not at bare numbers.
// expected-error: a static expression is checked at bindings of its variables
#include <leibniz/leibniz.hpp>

constexpr leibniz::variable<"x"> x;

bool check() {
#ifdef LEIBNIZ_FAIL
  return static_cast<bool>(leibniz::check_gradient(x * x, 2.0));
#else
  return static_cast<bool>(leibniz::check_gradient(x * x, x = 2.0));
#endif
}
