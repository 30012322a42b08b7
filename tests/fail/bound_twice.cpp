// tests/fail/bound_twice.cpp
// Each variable is bound once per evaluation.
// expected-error: a variable is bound twice in one evaluation
#include <leibniz/leibniz.hpp>

constexpr leibniz::variable<"x"> x;

double use() {
#ifdef LEIBNIZ_FAIL
  return (x * x)(x = 2.0, x = 3.0);
#else
  return (x * x)(x = 2.0);
#endif
}
