// tests/fail/vector_gradient_without_output.cpp
// The gradient with respect to a vector is written into a span the caller gives.
// expected-error: pass into\(x\) = g
#include <leibniz/leibniz.hpp>

#include <vector>

constexpr leibniz::index<"i"> i;
constexpr leibniz::vector<"x"> x;

void use(const std::vector<double>& xs, std::vector<double>& g) {
  const auto f = leibniz::sum(i < size(x), x[i] * x[i]);
#ifdef LEIBNIZ_FAIL
  leibniz::gradient(f, x)(x = xs);
  (void)g;
#else
  leibniz::gradient(f, x)(x = xs, leibniz::into(x) = g);
#endif
}
