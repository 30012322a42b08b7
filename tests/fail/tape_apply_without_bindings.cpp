// tests/fail/tape_apply_without_bindings.cpp
// tape::apply records a static expression at bound vars: each variable needs a binding.
// expected-error: tape::apply\(e, x = v, \.\.\.\) takes the expression and one binding per variable
#include <leibniz/leibniz.hpp>

constexpr leibniz::variable<"x"> x;

leibniz::tape::var use(const leibniz::tape::var& v) {
#ifdef LEIBNIZ_FAIL
  return leibniz::tape::apply(x * x, v);
#else
  return leibniz::tape::apply(x * x, x = v);
#endif
}
