// tests/fail/sum_reads_past_end.cpp
// A sum that reads x[i + 1] must stop one element early; the range is checked at compile time.
// expected-error: the sum reads past the end of the vector
#include <leibniz/leibniz.hpp>

using namespace leibniz::literals;

constexpr leibniz::index<"i"> i;
constexpr leibniz::vector<"x"> x;

auto differences() {
#ifdef LEIBNIZ_FAIL
  return leibniz::sum(i < size(x), x[i + 1_c] - x[i]);
#else
  return leibniz::sum(i < size(x) - 1_c, x[i + 1_c] - x[i]);
#endif
}
