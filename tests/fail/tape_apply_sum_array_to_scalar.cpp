// tests/fail/tape_apply_sum_array_to_scalar.cpp
// A sum block (tape::apply with a leibniz::vector bound) takes arrays for its vectors only: an
// array bound to a scalar variable would ask for an elementwise block at the same time.
// expected-error: tape::apply of a sum over data binds each leibniz::vector to a tape::array
#include <leibniz/leibniz.hpp>

constexpr leibniz::index<"i"> i;
constexpr leibniz::vector<"x"> x;
constexpr leibniz::variable<"w"> w;

leibniz::tape::var use(const leibniz::tape::array& a, const leibniz::tape::var& v) {
#ifdef LEIBNIZ_FAIL
  return leibniz::tape::apply(leibniz::sum(i < size(x), w * x[i]), x = a, w = a);
#else
  return leibniz::tape::apply(leibniz::sum(i < size(x), w * x[i]), x = a, w = v);
#endif
}
