// leibniz/ops/exponential.hpp
// exp, expm1, log, log1p.
#pragma once

#include <leibniz/core/canonical.hpp>
#include <leibniz/math/math.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace leibniz {

struct exp_op {
  static constexpr std::string_view name = "exp";
  static constexpr auto value(const auto& u) { return math::exp(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& result, const auto& /*u*/) {
    return result;  // exp' = exp
  }
  static constexpr std::optional<rational> exact_value(rational q) {
    return q.is_zero() ? std::optional{rational{1}} : std::nullopt;
  }
};

/// exp(u) - 1, accurate for small u.
struct expm1_op {
  static constexpr std::string_view name = "expm1";
  static constexpr auto value(const auto& u) { return math::expm1(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return exp(u);
  }
  static constexpr std::optional<rational> exact_value(rational q) {
    return q.is_zero() ? std::optional{rational{0}} : std::nullopt;
  }
};

/// The natural logarithm.
struct log_op {
  static constexpr std::string_view name = "log";
  static constexpr auto value(const auto& u) { return math::log(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return one / u;
  }
  static constexpr std::optional<rational> exact_value(rational q) {
    return q.is_one() ? std::optional{rational{0}} : std::nullopt;
  }
};

/// log(1 + u), accurate for small u.
struct log1p_op {
  static constexpr std::string_view name = "log1p";
  static constexpr auto value(const auto& u) { return math::log1p(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return one / (one + u);
  }
  static constexpr std::optional<rational> exact_value(rational q) {
    return q.is_zero() ? std::optional{rational{0}} : std::nullopt;
  }
};

}  // namespace leibniz
