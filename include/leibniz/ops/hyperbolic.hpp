// leibniz/ops/hyperbolic.hpp
// sinh, cosh, tanh.
#pragma once

#include <leibniz/core/canonical.hpp>
#include <leibniz/math/math.hpp>
#include <leibniz/ops/trigonometric.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace leibniz {

struct sinh_op {
  static constexpr std::string_view name = "sinh";
  static constexpr auto value(const auto& u) { return math::sinh(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return cosh(u);
  }
  static constexpr auto exact_value(rational q) { return detail::zero_at_zero(q); }
};

struct cosh_op {
  static constexpr std::string_view name = "cosh";
  static constexpr auto value(const auto& u) { return math::cosh(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return sinh(u);
  }
  static constexpr std::optional<rational> exact_value(rational q) {
    return q.is_zero() ? std::optional{rational{1}} : std::nullopt;
  }
};

struct tanh_op {
  static constexpr std::string_view name = "tanh";
  static constexpr auto value(const auto& u) { return math::tanh(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& result, const auto& /*u*/) {
    return one - result * result;  // tanh' = 1 - tanh^2
  }
  static constexpr auto exact_value(rational q) { return detail::zero_at_zero(q); }
};

}  // namespace leibniz
