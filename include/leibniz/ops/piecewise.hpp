// leibniz/ops/piecewise.hpp
// abs, sign, step, min, max: functions with kinks, and their conventions at the kink.
#pragma once

#include <leibniz/core/canonical.hpp>

#include <cstddef>
#include <limits>
#include <optional>
#include <string_view>

namespace leibniz {

// At a kink the derivative follows PyTorch: abs'(0) = 0, and min and max split the
// gradient evenly between equal arguments. NaN propagates through all of them.

namespace detail {
template <class T>
constexpr bool is_nan(const T& v) {
  return v != v;  // NOLINT(misc-redundant-expression): true only for NaN
}
}  // namespace detail

struct abs_op {
  static constexpr std::string_view name = "abs";
  template <class U>
  static constexpr U value(const U& u) {
    return u < U(0) ? -u : (u == U(0) ? U(0) : u);  // abs(-0) = 0; NaN stays NaN
  }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return sign(u);
  }
  static constexpr std::optional<rational> exact_value(rational q) {
    return q.is_negative() ? -q : q;
  }
};

/// -1, 0 or 1; NaN for NaN.
struct sign_op {
  static constexpr std::string_view name = "sign";
  template <class U>
  static constexpr U value(const U& u) {
    if (detail::is_nan(u)) return u;
    return u > U(0) ? U(1) : (u < U(0) ? U(-1) : U(0));
  }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& /*u*/) {
    return zero;
  }
  static constexpr std::optional<rational> exact_value(rational q) {
    return rational{q.num > 0 ? 1 : (q.num < 0 ? -1 : 0)};
  }
};

/// The Heaviside step with step(0) = 1/2.
struct step_op {
  static constexpr std::string_view name = "step";
  template <class U>
  static constexpr U value(const U& u) {
    if (detail::is_nan(u)) return u;
    return u > U(0) ? U(1) : (u < U(0) ? U(0) : U(0.5));
  }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& /*u*/) {
    return zero;
  }
  static constexpr std::optional<rational> exact_value(rational q) {
    return q.num > 0 ? rational{1} : (q.num < 0 ? rational{0} : rational{1, 2});
  }
};

struct min_op {
  static constexpr std::string_view name = "min";
  template <class T>
  static constexpr T value(const T& a, const T& b) {
    if (detail::is_nan(a) || detail::is_nan(b)) return std::numeric_limits<T>::quiet_NaN();
    return b < a ? b : a;
  }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& a, const auto& b) {
    if constexpr (I == 0)
      return step(b - a);
    else
      return step(a - b);
  }
  static constexpr std::optional<rational> exact_value(rational a, rational b) {
    return compare_rationals(a, b) <= 0 ? a : b;
  }
};

struct max_op {
  static constexpr std::string_view name = "max";
  template <class T>
  static constexpr T value(const T& a, const T& b) {
    if (detail::is_nan(a) || detail::is_nan(b)) return std::numeric_limits<T>::quiet_NaN();
    return a < b ? b : a;
  }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& a, const auto& b) {
    if constexpr (I == 0)
      return step(a - b);
    else
      return step(b - a);
  }
  static constexpr std::optional<rational> exact_value(rational a, rational b) {
    return compare_rationals(a, b) >= 0 ? a : b;
  }
};

}  // namespace leibniz
