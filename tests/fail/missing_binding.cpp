// tests/fail/missing_binding.cpp
// Evaluating needs a value for every variable; the error names the missing one ('y').
// expected-error: a variable of the expression has no value
// expected-error-gcc: no_value_bound_for_variable<'y'>
// expected-error-clang: no_value_bound_for_variable<'y'>
#include <leibniz/leibniz.hpp>

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;

double use() {
#ifdef LEIBNIZ_FAIL
  return (x * y)(x = 2.0);
#else
  return (x * y)(x = 2.0, y = 3.0);
#endif
}
