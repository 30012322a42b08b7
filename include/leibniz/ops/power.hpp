// leibniz/ops/power.hpp
// Powers: u^P with P exact (squares, roots, reciprocals) and u^v in general.
#pragma once

#include <leibniz/core/canonical.hpp>
#include <leibniz/math/math.hpp>

#include <complex>
#include <cstddef>
#include <string_view>

namespace leibniz {

/// u^P for an exact rational P: sqrt is u^(1/2), 1/u is u^-1. Evaluated by multiplications
/// and square or cube roots where P allows, never by a general pow.
template <rational P>
struct power_op {
  static constexpr rational parameter = P;
  static constexpr std::string_view name = P == rational{1, 2}   ? "sqrt"
                                           : P == rational{1, 3} ? "cbrt"
                                                                 : "pow";

  template <class U>
  static constexpr U value(const U& u) {
    if constexpr (detail::is_complex<U>::value) {
      if constexpr (P.is_integer())
        return math::ipow<P.num>(u);
      else
        return std::pow(u, P.template as<typename U::value_type>());
    } else {
      return math::rpow<P.num, P.den>(u);
    }
  }

  template <std::size_t I>
  static constexpr auto partial(const auto& result, const auto& u) {
    if constexpr (P == rational{1, 2})
      return constant<1, 2> / result;  // d sqrt(u) = 1 / (2 sqrt(u)), reusing sqrt(u)
    else if constexpr (P == rational{-1})
      return -(result * result);  // d (1/u) = -1/u^2, reusing 1/u: no second division
    else
      return exact<P>{} * pow(u, exact<P - rational{1}>{});  // d u^P = P u^(P-1)
  }
};

/// u^v for an exponent that is not an exact constant.
struct pow_op {
  static constexpr std::string_view name = "pow";
  template <class U, class V>
  static constexpr auto value(const U& u, const V& v) {
    return math::pow(u, v);
  }
  template <std::size_t I>
  static constexpr auto partial(const auto& result, const auto& u, const auto& v) {
    if constexpr (I == 0)
      return v * pow(u, v - one);  // d/du u^v = v u^(v-1)
    else
      return result * log(u);  // d/dv u^v = u^v log(u)
  }
};

}  // namespace leibniz
