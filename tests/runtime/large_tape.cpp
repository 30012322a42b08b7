// tests/runtime/large_tape.cpp
// Regression: a static tape of more than 256 entries. clang 14 refuses a fold expression of
// more than 256 operands (its bracket-depth limit), and the passes over the tape were folds
// over its entries, so the gradient of a 200-node expression's second derivative did not
// compile with clang++. The passes are braced pack expansions now (eval/static_tape.hpp).
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>

namespace {

using namespace leibniz::literals;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;

/// A balanced tree of depth D over distinct leaves (K+1)*x + 1 or (K+1)*y + 1:
/// node = sin(left) + cos(right). Depth 6: 64 leaves, about 320 tape entries.
template <std::size_t D, std::size_t K = 0>
constexpr auto tree() {
  if constexpr (D == 0) {
    if constexpr (K % 2 == 0)
      return leibniz::constant<K + 1> * x + 1_c;
    else
      return leibniz::constant<K + 1> * y + 1_c;
  } else {
    return leibniz::sin(tree<D - 1, 2 * K>()) + leibniz::cos(tree<D - 1, 2 * K + 1>());
  }
}

constexpr auto f = tree<6>();
static_assert(leibniz::detail::tape_of<decltype(f)>::size > 256);

/// The same tree and its forward-mode derivatives, written by hand.
struct hand_result {
  double value, d_dx, d_dy;
};
hand_result by_hand(std::size_t depth, std::size_t k, double a, double b) {
  if (depth == 0) {
    const double c = static_cast<double>(k + 1);
    return k % 2 == 0 ? hand_result{c * a + 1, c, 0.0} : hand_result{c * b + 1, 0.0, c};
  }
  const hand_result l = by_hand(depth - 1, 2 * k, a, b);
  const hand_result r = by_hand(depth - 1, 2 * k + 1, a, b);
  const double cl = std::cos(l.value), sr = -std::sin(r.value);
  return {std::sin(l.value) + std::cos(r.value), cl * l.d_dx + sr * r.d_dx,
          cl * l.d_dy + sr * r.d_dy};
}

TEST_CASE("a static tape of more than 256 entries: value and compiled gradient") {
  const hand_result expected = by_hand(6, 0, 0.3, 0.7);
  const auto [d_dx, d_dy] = leibniz::gradient(f, x, y)(x = 0.3, y = 0.7);
  CHECK(f(x = 0.3, y = 0.7) == doctest::Approx(expected.value).epsilon(1e-13));
  CHECK(d_dx == doctest::Approx(expected.d_dx).epsilon(1e-12));
  CHECK(d_dy == doctest::Approx(expected.d_dy).epsilon(1e-12));
  CHECK(std::abs(d_dx) > 1.0);
}

}  // namespace
