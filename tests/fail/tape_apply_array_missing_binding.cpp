// tests/fail/tape_apply_array_missing_binding.cpp
// An array block (tape::apply with an array bound) evaluates its expression at every element:
// each variable the expression mentions needs a binding.
// expected-error: a variable of the expression has no value; bind every variable
#include <leibniz/leibniz.hpp>

constexpr leibniz::variable<"a"> a;
constexpr leibniz::variable<"b"> b;

leibniz::tape::array use(const leibniz::tape::array& x) {
#ifdef LEIBNIZ_FAIL
  return leibniz::tape::apply(a * b, a = x);
#else
  return leibniz::tape::apply(a * b, a = x, b = 2.0);
#endif
}
