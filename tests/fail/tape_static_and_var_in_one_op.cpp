// tests/fail/tape_static_and_var_in_one_op.cpp
// A static expression and a tape::var cannot meet in an op: the expression must first be
// evaluated on vars (or recorded as one entry with tape::apply).
// expected-error: a static expression \(made of leibniz::variable\) and a tape::var cannot be
// combined
#include <leibniz/leibniz.hpp>

constexpr leibniz::variable<"x"> x;

leibniz::tape::var use(const leibniz::tape::var& v) {
#ifdef LEIBNIZ_FAIL
  return x * x + v;
#else
  return (x * x)(x = v) + v;
#endif
}
