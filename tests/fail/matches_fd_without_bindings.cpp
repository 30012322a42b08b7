// tests/fail/matches_fd_without_bindings.cpp
// matches_finite_differences needs a binding for each variable to differentiate by.
// expected-error: give a binding for each variable to differentiate by
#include <leibniz/leibniz.hpp>

constexpr leibniz::variable<"x"> x;

#ifdef LEIBNIZ_FAIL
static_assert(leibniz::matches_finite_differences(x * x, 2.0));
#else
static_assert(leibniz::matches_finite_differences(x * x, x = 2.0));
#endif
