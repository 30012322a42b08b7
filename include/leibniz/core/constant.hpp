// leibniz/core/constant.hpp
// Exact constants (`constant<1, 2>`, `3_c`, `pi`) and the wrapping of run-time numbers.
#pragma once

#include <leibniz/core/expression.hpp>

#include <cstdint>
#include <type_traits>

namespace leibniz {

/// The exact constant N/D, held in the type: `x * leibniz::constant<1, 2>` is `x/2`.
template <std::intmax_t N, std::intmax_t D = 1>
inline constexpr exact<rational{N, D}> constant{};

/// pi, exactly: it prints as `pi` and evaluates to the nearest value of the scalar type.
inline constexpr named_constant<"pi"> pi{};

inline constexpr exact<rational{0}> zero{};
inline constexpr exact<rational{1}> one{};

namespace detail {

template <char... Digits>
consteval std::intmax_t parse_integer() {
  std::intmax_t value = 0;
  for (char c : {Digits...}) {
    if (c == '\'') continue;
    if (c < '0' || c > '9') throw "leibniz: _c takes a decimal integer, e.g. 3_c";
    if (__builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, c - '0', &value))
      throw "leibniz: the constant does not fit in std::intmax_t";
  }
  return value;
}

/// A run-time number as a leaf. Integers are held as double: they meet floating values.
template <class T>
constexpr auto make_literal(const T& value) {
  if constexpr (std::is_integral_v<T>)
    return literal<double>{static_cast<double>(value)};
  else
    return literal<T>{value};
}

}  // namespace detail

namespace literals {

/// `3_c` is the exact constant 3: `x * 3_c` keeps the 3 in the type.
template <char... Digits>
constexpr auto operator""_c() {
  return exact<rational{detail::parse_integer<Digits...>()}>{};
}

}  // namespace literals

}  // namespace leibniz
