// leibniz/eval/usage.hpp
// Which values a local partial reads. Each op's partial<I>(result, args...) is generic code;
// run at compile time on probes, it tells which forward values the reverse sweep needs, so
// the compiled gradient skips the rest: the gradient of sin(u) + ... never computes sin(u).
#pragma once

#include <leibniz/core/functions.hpp>

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace leibniz::detail {

/// A stand-in value that remembers which inputs it was computed from: bit 0 is the op's
/// result, bit 1 + j its argument j.
struct probe {
  std::uint64_t reads = 0;
};

template <class T>
inline constexpr bool is_probe = std::is_same_v<std::remove_cvref_t<T>, probe>;

template <class T>
constexpr std::uint64_t reads_of(const T& t) {
  if constexpr (is_probe<T>)
    return t.reads;
  else
    return 0;  // a number or a constant held in a type reads nothing
}

/// Every op on probes gives a probe that read what its operands read.
template <class Op, class... A>
constexpr probe lift(op_tag<Op>, const A&... a) {
  return probe{(std::uint64_t{0} | ... | reads_of(a))};
}

template <class A, class B>
requires(is_probe<A> || is_probe<B>) constexpr probe operator+(const A& a, const B& b) {
  return probe{reads_of(a) | reads_of(b)};
}
template <class A, class B>
requires(is_probe<A> || is_probe<B>) constexpr probe operator-(const A& a, const B& b) {
  return probe{reads_of(a) | reads_of(b)};
}
template <class A, class B>
requires(is_probe<A> || is_probe<B>) constexpr probe operator*(const A& a, const B& b) {
  return probe{reads_of(a) | reads_of(b)};
}
template <class A, class B>
requires(is_probe<A> || is_probe<B>) constexpr probe operator/(const A& a, const B& b) {
  return probe{reads_of(a) | reads_of(b)};
}
constexpr probe operator-(const probe& a) { return a; }

template <std::size_t... J>
constexpr std::uint64_t partial_reads_impl(auto partial, std::index_sequence<J...>) {
  return reads_of(partial(probe{1}, probe{std::uint64_t{2} << J}...));
}

/// The values partial<I> of the op of node E reads, as a bit mask (see probe).
template <class Op, std::size_t I, std::size_t Arity>
consteval std::uint64_t partial_reads() {
  return partial_reads_impl(
      [](const auto& result, const auto&... args) {
        return Op::template partial<I>(result, args...);
      },
      std::make_index_sequence<Arity>{});
}

}  // namespace leibniz::detail
