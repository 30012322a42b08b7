// leibniz/io/number_format.hpp
// Numbers as text, in constant expressions too: integers, exact rationals, and floating
// values in the fewest decimals that read back to the same value.
#pragma once

#include <leibniz/core/expression.hpp>

#include <charconv>
#include <cstdint>
#include <limits>
#include <string_view>
#include <type_traits>

namespace leibniz::detail {

/// Room for any number this file writes.
inline constexpr std::size_t max_number_width = 64;

/// A small text buffer for one number.
struct number_text {
  char data[max_number_width]{};
  std::size_t size = 0;
  constexpr void push(char c) { data[size++] = c; }
  constexpr void append(std::string_view s) {
    for (char c : s) push(c);
  }
  [[nodiscard]] constexpr std::string_view view() const { return {data, size}; }
};

constexpr void append_unsigned(number_text& out, std::uintmax_t value) {
  char digits[24]{};
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) out.push(digits[--n]);
}

constexpr void append_integer(number_text& out, std::intmax_t value) {
  if (value < 0) {
    out.push('-');
    append_unsigned(out, static_cast<std::uintmax_t>(-(value + 1)) + 1);
  } else {
    append_unsigned(out, static_cast<std::uintmax_t>(value));
  }
}

template <class T>
constexpr T power_of_ten(int k) {
  T p = 1;
  for (int i = 0; i < k; ++i) p *= 10;
  return p;
}

/// The largest k for which 10^k, and every integer below 2^digits, are exact in T.
template <class T>
constexpr int exact_decimals() {
  int k = 0;
  std::uintmax_t five = 1;
  const std::uintmax_t limit =
      std::uintmax_t{1} << (std::numeric_limits<T>::digits < 63 ? std::numeric_limits<T>::digits
                                                                : 63);
  while (five * 5 < limit && k < 22) {
    five *= 5;
    ++k;
  }
  return k;
}

/// A floating value in fixed notation with the fewest decimals that read back exactly
/// (0.1 is "0.1", 2.0 is "2"); values that need more use 17 significant digits.
template <class T>
constexpr number_text format_floating(T value) {
  if (!std::is_constant_evaluated()) {
    // At run time the standard library writes the shortest text that reads back exactly.
    number_text out;
    const auto result = std::to_chars(out.data, out.data + max_number_width, value);
    out.size = static_cast<std::size_t>(result.ptr - out.data);
    return out;
  }
  // In constant evaluation: the fewest decimals that read back, checked in a wider type.
  using wide = std::conditional_t<(sizeof(T) < sizeof(long double)), long double, T>;
  number_text out;
  if (value != value) {
    out.append("nan");
    return out;
  }
  if (value < 0) {
    out.push('-');
    value = -value;
  }
  if (value == std::numeric_limits<T>::infinity()) {
    out.append("inf");
    return out;
  }
  constexpr int bits =
      std::numeric_limits<wide>::digits < 63 ? std::numeric_limits<wide>::digits : 63;
  constexpr wide integer_limit = static_cast<wide>(std::uintmax_t{1} << bits);
  for (int k = 0; k <= exact_decimals<wide>(); ++k) {
    const wide scale = power_of_ten<wide>(k);
    const wide scaled = static_cast<wide>(value) * scale;
    if (!(scaled < integer_limit)) break;
    const auto whole = static_cast<std::uintmax_t>(scaled + wide(0.5));
    if (static_cast<T>(static_cast<wide>(whole) / scale) == value) {
      // whole / 10^k reads back as value: write it with k decimals.
      number_text digits;
      append_unsigned(digits, whole);
      const std::size_t n = digits.size;
      if (n <= static_cast<std::size_t>(k)) {
        out.append("0.");
        for (std::size_t i = n; i < static_cast<std::size_t>(k); ++i) out.push('0');
        out.append(digits.view());
      } else {
        out.append(digits.view().substr(0, n - static_cast<std::size_t>(k)));
        if (k > 0) {
          out.push('.');
          out.append(digits.view().substr(n - static_cast<std::size_t>(k)));
        }
      }
      return out;
    }
  }
  // Scientific notation, 17 significant digits.
  int exponent = 0;
  T mantissa = value;
  while (mantissa >= 10) {
    mantissa /= 10;
    ++exponent;
  }
  while (mantissa < 1) {
    mantissa *= 10;
    --exponent;
  }
  const auto digits17 = static_cast<std::uintmax_t>(mantissa * T(1e16) + T(0.5));
  number_text digits;
  append_unsigned(digits, digits17);
  std::string_view d = digits.view();
  while (d.size() > 1 && d.back() == '0') d.remove_suffix(1);
  out.push(d[0]);
  if (d.size() > 1) {
    out.push('.');
    out.append(d.substr(1));
  }
  out.push('e');
  append_integer(out, exponent);
  return out;
}

/// The text of a number of any arithmetic type (complex: "(re+im*I)", as GiNaC reads it).
template <class T>
constexpr number_text format_number(const T& value) {
  if constexpr (std::is_integral_v<T>) {
    number_text out;
    append_integer(out, static_cast<std::intmax_t>(value));
    return out;
  } else if constexpr (is_complex<T>::value) {
    number_text out;
    out.push('(');
    out.append(format_floating(value.real()).view());
    const auto im = format_floating(value.imag());
    if (im.view()[0] != '-') out.push('+');
    out.append(im.view());
    out.append("*I)");
    return out;
  } else {
    return format_floating(value);
  }
}

template <class T>
constexpr bool is_negative_number(const T& value) {
  if constexpr (is_complex<T>::value)
    return false;
  else
    return value < 0;
}

}  // namespace leibniz::detail
