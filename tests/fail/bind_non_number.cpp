// tests/fail/bind_non_number.cpp
// A variable is bound to a number (or a number-like scalar); a string is refused.
// expected-error: a variable can only be bound to a number
#include <leibniz/leibniz.hpp>

constexpr leibniz::variable<"x"> x;

double use() {
#ifdef LEIBNIZ_FAIL
  return (x * x)(x = "two");
#else
  return (x * x)(x = 2.0);
#endif
}
