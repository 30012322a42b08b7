// tests/fail/evaluate_without_bindings.cpp
// An expression is evaluated with named bindings, not positional numbers.
// expected-error: evaluate an expression with bindings, e.g. e\(x = 2.0, y = 3.0\)
#include <leibniz/leibniz.hpp>

constexpr leibniz::variable<"x"> x;

double use() {
#ifdef LEIBNIZ_FAIL
  return (x * x)(2.0);
#else
  return (x * x)(x = 2.0);
#endif
}
