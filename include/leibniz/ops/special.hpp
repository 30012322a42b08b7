// leibniz/ops/special.hpp
// erf and the logistic sigmoid.
#pragma once

#include <leibniz/core/canonical.hpp>
#include <leibniz/math/math.hpp>
#include <leibniz/ops/power.hpp>
#include <leibniz/ops/trigonometric.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace leibniz {

struct erf_op {
  static constexpr std::string_view name = "erf";
  static constexpr auto value(const auto& u) { return math::erf(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return constant<2> / sqrt(pi) * exp(-(u * u));  // erf' = 2/sqrt(pi) exp(-u^2)
  }
  static constexpr auto exact_value(rational q) { return detail::zero_at_zero(q); }
};

/// The logistic function 1 / (1 + exp(-u)).
struct sigmoid_op {
  static constexpr std::string_view name = "sigmoid";
  static constexpr auto value(const auto& u) { return math::sigmoid(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& result, const auto& /*u*/) {
    return result * (one - result);  // s' = s (1 - s)
  }
  static constexpr std::optional<rational> exact_value(rational q) {
    return q.is_zero() ? std::optional{rational{1, 2}} : std::nullopt;
  }
};

}  // namespace leibniz
