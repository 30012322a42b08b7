// leibniz/io/to_string.hpp
// to_string(e) in constant expressions -- static_assert(to_string(d(x*x, x)) == "2*x") --
// and operator<< for streams.
#pragma once

#include <leibniz/io/printer.hpp>

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace leibniz {

/// The text of an expression, in a buffer sized from its type: usable at compile time.
template <std::size_t Capacity>
struct printed {
  char data[Capacity + 1]{};
  std::size_t length = 0;

  [[nodiscard]] constexpr std::string_view view() const { return {data, length}; }
  constexpr operator std::string_view() const { return view(); }  // NOLINT: reads as text
  [[nodiscard]] std::string str() const { return std::string(view()); }
  [[nodiscard]] constexpr std::size_t size() const { return length; }

  friend constexpr bool operator==(const printed& a, std::string_view b) { return a.view() == b; }
  friend std::ostream& operator<<(std::ostream& os, const printed& p) { return os << p.view(); }
};

namespace detail {

/// Counts an upper bound of the printed length, from the type alone: every number is given
/// the widest room a number can take.
struct bound_sink {
  static constexpr bool counts_only = true;
  std::size_t size = 0;
  constexpr void put(std::string_view s) { size += s.size(); }
  constexpr void put_number(std::string_view) { size += max_number_width; }
};

template <std::size_t Capacity>
struct buffer_sink {
  printed<Capacity>& text;
  constexpr void put(std::string_view s) {
    for (char c : s) text.data[text.length++] = c;
  }
  constexpr void put_number(std::string_view s) { put(s); }
};

struct string_sink {
  std::string& text;
  void put(std::string_view s) { text.append(s); }
  void put_number(std::string_view s) { text.append(s); }
};

/// An object of type E with zero for every literal. Built argument by argument: default
/// construction of std::tuple holding empty types is not a constant expression in GCC 12.
template <class E>
constexpr E placeholder() {
  if constexpr (is_node<E>)
    return []<class Op, class... A>(node<Op, A...>*) {
      return node<Op, A...>{placeholder<A>()...};
    }(static_cast<E*>(nullptr));
  else
    return E{};
}

template <class Style, class E>
consteval std::size_t printed_bound() {
  bound_sink sink;
  const E e = placeholder<E>();
  printer<Style, bound_sink>{sink}.print(e, precedence::sum);
  return sink.size;
}

}  // namespace detail

/// The expression as conventional text: `to_string(x*x + 2*x*y)` is "x^2 + 2*x*y".
/// It is a constant expression when e is one, and GiNaC's parser reads it back.
template <Expression E>
constexpr auto to_string(const E& e) {
  constexpr std::size_t capacity = detail::printed_bound<detail::plain_style, E>();
  printed<capacity> text;
  detail::buffer_sink<capacity> sink{text};
  detail::printer<detail::plain_style, decltype(sink)>{sink}.print(e, detail::precedence::sum);
  return text;
}

/// The expression in LaTeX: `to_latex(x / 2)` is "\frac{x}{2}".
template <Expression E>
std::string to_latex(const E& e) {
  std::string text;
  detail::string_sink sink{text};
  detail::printer<detail::latex_style, detail::string_sink>{sink}.print(e, detail::precedence::sum);
  return text;
}

template <Expression E>
std::ostream& operator<<(std::ostream& os, const E& e) {
  return os << to_string(e).view();
}

}  // namespace leibniz
