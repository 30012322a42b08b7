// leibniz/math/constants.hpp
// pi, ln 2 and 2/sqrt(pi) as double-words: the constants the constexpr implementations need.
#pragma once

#include <leibniz/math/double_word.hpp>

#include <concepts>

namespace leibniz::math::detail {

// Each constant is written as a sum of four doubles (about 210 bits, from mpmath at 17500 bits),
// enough for a double-word of any of float, double and x87 long double.

/// ln 2 = 0.693147180559945309417232121458176568...
template <std::floating_point T>
inline constexpr dw<T> ln2 = from_doubles<T>(0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56,
                                             0x1.7b57a079a1934p-111, -0x1.ace93a4ebe5d1p-165);

/// 1 / ln 2, to T's precision: only used to guess the multiple of ln 2 nearest a number.
template <std::floating_point T>
inline constexpr T inv_ln2 = static_cast<T>(1.44269504088896340735992468100189214L);

/// pi = 3.14159265358979323846264338327950288...
template <std::floating_point T>
inline constexpr dw<T> pi = from_doubles<T>(0x1.921fb54442d18p+1, 0x1.1a62633145c07p-53,
                                            -0x1.f1976b7ed8fbcp-109, 0x1.4cf98e804177dp-163);

/// pi / 2 (exact halving).
template <std::floating_point T>
inline constexpr dw<T> half_pi = scale(pi<T>, -1);

/// 2 / sqrt(pi) = 1.12837916709551257389615890312154517...
template <std::floating_point T>
inline constexpr dw<T> two_over_sqrt_pi = from_doubles<T>(0x1.20dd750429b6dp+0,
                                                          0x1.1ae3a914fed80p-56,
                                                          -0x1.3cbbebf65f145p-111,
                                                          -0x1.e0c574632f53ep-166);

}  // namespace leibniz::math::detail
