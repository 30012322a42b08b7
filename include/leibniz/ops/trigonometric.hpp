// leibniz/ops/trigonometric.hpp
// sin, cos, tan and their inverses.
#pragma once

#include <leibniz/core/canonical.hpp>
#include <leibniz/math/math.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace leibniz {

namespace detail {
/// For functions with f(0) = 0: the exact value at 0, and nothing elsewhere.
constexpr std::optional<rational> zero_at_zero(rational q) {
  return q.is_zero() ? std::optional{rational{0}} : std::nullopt;
}
}  // namespace detail

struct sin_op {
  static constexpr std::string_view name = "sin";
  static constexpr auto value(const auto& u) { return math::sin(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return cos(u);
  }
  static constexpr auto exact_value(rational q) { return detail::zero_at_zero(q); }
};

struct cos_op {
  static constexpr std::string_view name = "cos";
  static constexpr auto value(const auto& u) { return math::cos(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return -sin(u);
  }
  static constexpr std::optional<rational> exact_value(rational q) {
    return q.is_zero() ? std::optional{rational{1}} : std::nullopt;
  }
};

struct tan_op {
  static constexpr std::string_view name = "tan";
  static constexpr auto value(const auto& u) { return math::tan(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& result, const auto& /*u*/) {
    return one + result * result;  // tan' = 1 + tan^2
  }
  static constexpr auto exact_value(rational q) { return detail::zero_at_zero(q); }
};

struct asin_op {
  static constexpr std::string_view name = "asin";
  static constexpr auto value(const auto& u) { return math::asin(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return one / sqrt(one - u * u);
  }
  static constexpr auto exact_value(rational q) { return detail::zero_at_zero(q); }
};

struct acos_op {
  static constexpr std::string_view name = "acos";
  static constexpr auto value(const auto& u) { return math::acos(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return -(one / sqrt(one - u * u));
  }
  static constexpr std::optional<rational> exact_value(rational q) {
    return q.is_one() ? std::optional{rational{0}} : std::nullopt;
  }
};

struct atan_op {
  static constexpr std::string_view name = "atan";
  static constexpr auto value(const auto& u) { return math::atan(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return one / (one + u * u);
  }
  static constexpr auto exact_value(rational q) { return detail::zero_at_zero(q); }
};

}  // namespace leibniz
