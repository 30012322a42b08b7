// leibniz/ops/arithmetic.hpp
// + - * / and negation: their values and local partial derivatives, for both engines.
#pragma once

#include <leibniz/core/canonical.hpp>

#include <cstddef>
#include <string_view>
#include <tuple>
#include <utility>

namespace leibniz {

// Every op says what it computes (`value`, on numbers) and its local partial derivatives
// (`partial<I>(result, args...)`: d result / d args[I]), written as generic code: called with
// numbers they give numbers (the tape, the compiled gradient), called with static expressions
// they give expressions (symbolic derivation). The chain rule is written once, elsewhere.

/// a1 + a2 + ...: n-ary in static mode, binary on the tape.
struct sum_op {
  static constexpr std::string_view name = "add";
  static constexpr auto value(const auto&... a) { return (a + ...); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto&... /*a*/) {
    return one;
  }
};

/// a - b. Static mode writes it a + (-1)*b; the tape keeps it as one entry.
struct sub_op {
  static constexpr std::string_view name = "sub";
  static constexpr auto value(const auto& a, const auto& b) { return a - b; }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& /*a*/, const auto& /*b*/) {
    if constexpr (I == 0)
      return one;
    else
      return constant<-1>;
  }
};

/// -a. Static mode writes it (-1)*a.
struct neg_op {
  static constexpr std::string_view name = "neg";
  static constexpr auto value(const auto& a) { return -a; }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& /*a*/) {
    return constant<-1>;
  }
};

namespace detail {
/// The product of all arguments but the I-th: d(a1*...*an)/d(aI).
template <std::size_t I, class... A>
constexpr auto product_except(const A&... a) {
  const std::tuple<const A&...> args{a...};
  return [&]<std::size_t... J>(std::index_sequence<J...>) {
    constexpr auto skip = [](std::size_t j) {
      if constexpr (I == 0)
        return j + 1;
      else
        return j < I ? j : j + 1;
    };
    if constexpr (sizeof...(J) == 0)
      return one;
    else
      return (std::get<skip(J)>(args) * ...);
  }
  (std::make_index_sequence<sizeof...(A) - 1>{});
}
}  // namespace detail

/// a1 * a2 * ...: n-ary in static mode, binary on the tape.
struct product_op {
  static constexpr std::string_view name = "mul";
  static constexpr auto value(const auto&... a) { return (a * ...); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto&... a) {
    return detail::product_except<I>(a...);
  }
};

/// a / b. Static mode writes it a * b^-1; the tape keeps it as one entry.
struct div_op {
  static constexpr std::string_view name = "div";
  static constexpr auto value(const auto& a, const auto& b) { return a / b; }
  template <std::size_t I>
  static constexpr auto partial(const auto& result, const auto& /*a*/, const auto& b) {
    if constexpr (I == 0)
      return one / b;
    else
      // d(a/b)/db = -a/b^2 = -(a/b) * (1/b): 1/b is the other partial's, computed once, and
      // out of the loop where b is the same for every element (an array over a var: one
      // division per element instead of two; normal_lpdf's statement was bound by them).
      return -(result * (one / b));
  }
};

}  // namespace leibniz
