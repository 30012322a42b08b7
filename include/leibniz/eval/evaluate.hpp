// leibniz/eval/evaluate.hpp
// e(x = 2.0, y = 3.0): the forward pass over the static tape, in any scalar type.
#pragma once

#include <leibniz/config.hpp>
#include <leibniz/core/dispatch.hpp>
#include <leibniz/eval/bindings.hpp>
#include <leibniz/eval/static_tape.hpp>

#include <array>
#include <cstddef>
#include <tuple>
#include <utility>

namespace leibniz {
namespace detail {

/// A constant held in a type, as a value of the evaluation's scalar type. Number-like types
/// (tape variables) are made from the double value, so no tape entry is spent on constants.
template <class T, class A>
constexpr T constant_as(const A& a) {
  if constexpr (Number<T>)
    return to_number<T>(a);
  else
    return T(to_number<double>(a));
}

/// The static tape of one evaluation: the entries, their values, and what fills them.
template <class T, class List, class Roots, class Bindings>
struct forward_pass;

template <class T, class... Es, class Roots, class... B>
struct forward_pass<T, entries<Es...>, Roots, std::tuple<const B&...>> {
  using list = entries<Es...>;
  static constexpr std::size_t size = sizeof...(Es);

  const Roots& roots;
  std::tuple<const B&...> bindings;
  std::array<T, size> v{};

  /// The value of argument I of the node at entry K: a slot, or a constant from its type.
  template <class A, class P>
  constexpr T argument(const A& a) const {
    if constexpr (TypeConstant<A>)
      return constant_as<T>(a);
    else
      return v[slot_of<A, P>(static_cast<list*>(nullptr))];
  }

  template <class E, class P, std::size_t... I>
  constexpr auto node_arguments(const E& e, std::index_sequence<I...>) const {
    return std::tuple<decltype(argument<std::tuple_element_t<I, decltype(e.args)>,
                                        path_append_t<P, I>>(std::get<I>(e.args)))...>{
        argument<std::tuple_element_t<I, decltype(e.args)>, path_append_t<P, I>>(
            std::get<I>(e.args))...};
  }

  template <std::size_t K>
  constexpr T compute() const {
    using E = typename entry_at<K, Es...>::expr;
    using P = typename entry_at<K, Es...>::where;
    const E& e = at_path(P{}, roots);
    if constexpr (is_variable<E>) {
      return std::apply([](const auto&... b) -> T { return T(bound_value<E::symbol>(b...)); },
                        bindings);
    } else if constexpr (is_literal<E>) {
      return T(e.value);
    } else {
      return std::apply(
          [&](const auto&... args) -> T { return T(apply_op(e, args...)); },
          node_arguments<E, P>(e, std::make_index_sequence<std::tuple_size_v<decltype(e.args)>>{}));
    }
  }

  template <class Op, class... A, class... V>
  static constexpr auto apply_op(const node<Op, A...>&, const V&... args) {
    return call<Op>(args...);
  }

  constexpr void run() {
    [&]<std::size_t... K>(std::index_sequence<K...>) { ((v[K] = compute<K>()), ...); }
    (std::make_index_sequence<size>{});
  }

  /// Computes only the entries marked in Needed: the values a reverse sweep reads.
  template <std::array<bool, size> Needed>
  constexpr void run_needed() {
    [&]<std::size_t... K>(std::index_sequence<K...>) { (compute_if<K, Needed[K]>(), ...); }
    (std::make_index_sequence<size>{});
  }

  template <std::size_t K, bool Wanted>
  constexpr void compute_if() {
    if constexpr (Wanted) v[K] = compute<K>();
  }

  /// The value of root R.
  template <std::size_t R>
  constexpr T root() const {
    using E = std::remove_cvref_t<std::tuple_element_t<R, Roots>>;
    if constexpr (TypeConstant<E>)
      return constant_as<T>(std::get<R>(roots));
    else
      return v[slot_of<E, path<R>>(static_cast<list*>(nullptr))];
  }
};

template <class Roots>
struct tape_of_roots;
template <class... R>
struct tape_of_roots<std::tuple<const R&...>> {
  using type = tape_of<R...>;
};

/// The forward pass over roots, not yet run.
template <class T, class Roots, class... B>
constexpr auto make_forward(const Roots& roots, const B&... bindings) {
  using list = typename tape_of_roots<Roots>::type;
  return forward_pass<T, list, Roots, std::tuple<const B&...>>{roots, std::tie(bindings...)};
}

/// The forward pass over roots, every value computed.
template <class T, class Roots, class... B>
constexpr auto run_forward(const Roots& roots, const B&... bindings) {
  auto pass = make_forward<T>(roots, bindings...);
  pass.run();
  return pass;
}

}  // namespace detail

/// The value of a static expression at the bound point: `evaluate(e, x = 2.0)`, or `e(x = 2.0)`.
/// The scalar type is the common type of the bound values; constants adapt to it.
template <Expression E, class... B>
LEIBNIZ_INLINE constexpr auto evaluate(const E& e, const B&... bindings) {
  if constexpr (!detail::check_bindings<B...>()) {
    return 0.0;  // the bindings are wrong, and a static_assert has said how
  } else {
    using T = typename detail::scalar_of<B...>::type;
    const std::tuple<const E&> roots{e};
    return detail::run_forward<T>(roots, bindings...).template root<0>();
  }
}

}  // namespace leibniz
