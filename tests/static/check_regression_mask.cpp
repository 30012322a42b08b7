// tests/static/check_regression_mask.cpp
// Regression: with g++ 12, the compiled gradient of the second of these expressions was wrong
// (d/dy = 0 instead of -2.5) when the first one's gradient was compiled earlier in the same
// translation unit. Each sweep computes only the forward values it reads, passed to
// forward_pass::run_needed as a mask of slots (a template argument of class type); g++ 12 took
// the masks {1,0,0,0,0} and {0,1,0,0,0}, computed by assigning one element each, for the same
// argument, and ran the first expression's forward pass for the second. Found by the GiNaC
// oracle (tests/oracle/oracle.cpp); slot_mask in eval/evaluate.hpp writes every element out.
#include <leibniz/leibniz.hpp>

namespace {

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;

constexpr auto first = -leibniz::pow<2>(x) + y;  // the sweep reads the value in slot 0 (x)
constexpr auto second = x - 2.5 * y;             // the sweep reads the value in slot 1 (2.5)

static_assert(leibniz::gradient(first, x, y)(x = 0.5, y = 2.0)[0] == -1.0);
static_assert(leibniz::gradient(first, x, y)(x = 0.5, y = 2.0)[1] == 1.0);
static_assert(leibniz::gradient(second, x, y)(x = 0.5, y = 2.0)[0] == 1.0);
static_assert(leibniz::gradient(second, x, y)(x = 0.5, y = 2.0)[1] == -2.5);

// The same with three different one-slot masks of one size.
constexpr leibniz::variable<"z"> z;
constexpr auto third = x * y + 0.5 * z;
static_assert(leibniz::gradient(third, x, y, z)(x = 3.0, y = 2.0, z = 1.0)[2] == 0.5);

}  // namespace
