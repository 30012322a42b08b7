// tests/fail/matches_fd_not_constant.cpp
// matches_finite_differences runs in constant evaluation: where f is not finite at a point the
// differences visit (sqrt at 0: 1/0 in its derivative, sqrt(-h)), it is not a constant
// expression, and the static_assert does not compile. Its twin checks the same f at 1.
// expected-error-gcc: non-constant condition for static assertion
// expected-error-clang: not an integral constant expression
#include <leibniz/leibniz.hpp>

constexpr leibniz::variable<"x"> x;

#ifdef LEIBNIZ_FAIL
static_assert(leibniz::matches_finite_differences(leibniz::sqrt(x), x = 0.0));
#else
static_assert(leibniz::matches_finite_differences(leibniz::sqrt(x), x = 1.0));
#endif
