// tests/fail/tape_gradient_of_array_valued.cpp
// tape::gradient differentiates a scalar function: an array result must be reduced first.
// expected-error: tape::gradient\(f, x\.\.\.\) differentiates a function returning a tape::var
#include <leibniz/leibniz.hpp>

#include <vector>

std::vector<double> use() {
  using leibniz::tape::array;
#ifdef LEIBNIZ_FAIL
  return leibniz::tape::gradient([](const array& v) { return v * v; }, std::vector{1.0, 2.0});
#else
  return leibniz::tape::gradient([](const array& v) { return sum(v * v); }, std::vector{1.0, 2.0});
#endif
}
