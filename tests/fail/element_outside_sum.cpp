// tests/fail/element_outside_sum.cpp
// x[i] stands for an element only inside a sum over i.
// expected-error: is used outside a sum over i
#include <leibniz/leibniz.hpp>

#include <vector>

constexpr leibniz::index<"i"> i;
constexpr leibniz::vector<"x"> x;

double use(const std::vector<double>& xs) {
#ifdef LEIBNIZ_FAIL
  return (x[i] * 2.0)(x = xs);
#else
  return leibniz::sum(i < size(x), x[i] * 2.0)(x = xs);
#endif
}
