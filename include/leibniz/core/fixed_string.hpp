// leibniz/core/fixed_string.hpp
// A string usable as a template argument: the name in variable<"x">.
#pragma once

#include <cstddef>
#include <string_view>

namespace leibniz {

/// A string of N characters held by value, so that it can be a template argument.
template <std::size_t N>
struct fixed_string {
  char data[N + 1]{};

  constexpr fixed_string(const char (&text)[N + 1]) {
    for (std::size_t i = 0; i <= N; ++i) data[i] = text[i];
  }

  [[nodiscard]] static constexpr std::size_t size() { return N; }
  [[nodiscard]] constexpr std::string_view view() const { return {data, N}; }
  constexpr operator std::string_view() const { return view(); }

  template <std::size_t M>
  friend constexpr bool operator==(const fixed_string& a, const fixed_string<M>& b) {
    return a.view() == b.view();
  }
};

template <std::size_t N>
fixed_string(const char (&)[N]) -> fixed_string<N - 1>;

}  // namespace leibniz
