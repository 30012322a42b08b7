// leibniz/eval/static_tape.hpp
// The static tape: an expression DAG flattened at compile time into a list of entries in
// topological order, each subexpression once. Evaluation and the compiled gradient walk it
// with every index known to the compiler, so values live in registers, not on a heap.
#pragma once

#include <leibniz/core/expression.hpp>
#include <leibniz/core/reduction.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

namespace leibniz::detail {

/// A node whose arguments are entries of the same tape. A sum over data is not: its body is
/// evaluated by a loop of its own (eval/reduce.hpp), so on this tape it is a leaf.
template <class E>
inline constexpr bool is_interior = is_node<E> && !is_reduction<E>;

/// The number of arguments an entry reads from the tape.
template <class E>
struct arity_of : std::integral_constant<std::size_t, 0> {};
template <class Op, class... A>
requires(!is_reduction<node<Op, A...>>) struct arity_of<node<Op, A...>>
    : std::integral_constant<std::size_t, sizeof...(A)> {
};

/// Where a subexpression sits: the root's index, then argument indices down the tree.
template <std::size_t... I>
struct path {};

template <class P, std::size_t I>
struct path_append;
template <std::size_t... P, std::size_t I>
struct path_append<path<P...>, I> {
  using type = path<P..., I>;
};
template <class P, std::size_t I>
using path_append_t = typename path_append<P, I>::type;

/// One slot of the static tape: the subexpression's type and where it was first met.
template <class E, class P>
struct entry {
  using expr = E;
  using where = P;
};

template <class... Es>
struct entries {
  static constexpr std::size_t size = sizeof...(Es);
};

template <class List, class E>
struct push_back;
template <class... Es, class E>
struct push_back<entries<Es...>, E> {
  using type = entries<Es..., E>;
};

template <class E, class... Es>
consteval bool contains(entries<Es...>*) {
  return (std::is_same_v<typename Es::expr, E> || ...);
}

/// A subexpression needs a slot unless the type alone gives its value (2, pi, sqrt(pi)),
/// or it is exact and already has one: identical subtrees are computed once.
template <class List, class E, class P>
consteval auto add_tree();

template <class List, class P, std::size_t I, class... A>
consteval auto add_arguments() {
  if constexpr (I == sizeof...(A)) {
    return std::type_identity<List>{};
  } else {
    using arg = std::tuple_element_t<I, std::tuple<A...>>;
    using next = typename decltype(add_tree<List, arg, path_append_t<P, I>>())::type;
    return add_arguments<next, P, I + 1, A...>();
  }
}

template <class List, class P, class Op, class... A>
consteval auto add_children(node<Op, A...>*) {
  return add_arguments<List, P, 0, A...>();
}

template <class List, class E, class P>
consteval auto add_tree() {
  if constexpr (TypeConstant<E>) {
    return std::type_identity<List>{};
  } else if constexpr (is_exact_type<E> && contains<E>(static_cast<List*>(nullptr))) {
    return std::type_identity<List>{};
  } else if constexpr (is_interior<E>) {
    using with_children = typename decltype(add_children<List, P>(static_cast<E*>(nullptr)))::type;
    return std::type_identity<typename push_back<with_children, entry<E, P>>::type>{};
  } else {
    return std::type_identity<typename push_back<List, entry<E, P>>::type>{};
  }
}

template <class List, std::size_t R, class... Roots>
consteval auto add_roots() {
  if constexpr (R == sizeof...(Roots)) {
    return std::type_identity<List>{};
  } else {
    using root = std::tuple_element_t<R, std::tuple<Roots...>>;
    using next = typename decltype(add_tree<List, root, path<R>>())::type;
    return add_roots<next, R + 1, Roots...>();
  }
}

/// The static tape of several roots evaluated together (a gradient, a Hessian).
template <class... Roots>
using tape_of = typename decltype(add_roots<entries<>, 0, std::remove_cvref_t<Roots>...>())::type;

/// The slot holding the subexpression E met at P: found by type when the type fixes the
/// value, by place otherwise (a literal's value is in the object, not in the type).
template <class E, class P, class... Es>
consteval std::size_t slot_of(entries<Es...>*) {
  constexpr std::array<bool, sizeof...(Es) + 1> match{
      (is_exact_type<E> ? std::is_same_v<typename Es::expr, E>
                        : std::is_same_v<typename Es::where, P>)...,
      false};
  for (std::size_t i = 0; i < sizeof...(Es); ++i)
    if (match[i]) return i;
  throw "leibniz internal error: a subexpression has no slot on the static tape";
}

template <std::size_t K, class... Es>
using entry_at = std::tuple_element_t<K, std::tuple<Es...>>;

template <std::size_t K, class List>
struct entry_at_list;
template <std::size_t K, class... Es>
struct entry_at_list<K, entries<Es...>> {
  using type = entry_at<K, Es...>;
};
template <std::size_t K, class List>
using entry_at_t = typename entry_at_list<K, List>::type;

inline constexpr std::size_t no_slot = static_cast<std::size_t>(-1);

template <class E, std::size_t I>
using argument_type = std::tuple_element_t<I, decltype(E::args)>;

/// The slot of an argument, or no_slot for a constant held in its type.
template <class List, class A, class P>
consteval std::size_t argument_slot() {
  if constexpr (TypeConstant<A>)
    return no_slot;
  else
    return slot_of<A, P>(static_cast<List*>(nullptr));
}

template <class List, class E, class P, std::size_t Width, std::size_t... I>
consteval std::array<std::size_t, Width> argument_slots(std::index_sequence<I...>) {
  std::array<std::size_t, Width> slots{};
  slots.fill(no_slot);
  ((slots[I] = argument_slot<List, argument_type<E, I>, path_append_t<P, I>>()), ...);
  return slots;
}

/// The wiring of a static tape as plain arrays: which slots each entry reads.
template <class List>
struct wiring;
template <class... Es>
struct wiring<entries<Es...>> {
  using list = entries<Es...>;
  static constexpr std::size_t size = sizeof...(Es);
  static constexpr std::size_t width =
      std::max({std::size_t{1}, arity_of<typename Es::expr>::value...});
  static constexpr std::array<std::array<std::size_t, width>, size + 1> arguments{
      argument_slots<list, typename Es::expr, typename Es::where, width>(
          std::make_index_sequence<arity_of<typename Es::expr>::value>{})...,
      {}};

  /// True when argument I of entry K is the first, in a reverse sweep, to send an adjoint to
  /// its slot: that contribution assigns instead of adding to zero (x + 0.0 does not fold).
  static consteval bool first_contribution(std::size_t k, std::size_t i) {
    const std::size_t target = arguments[k][i];
    for (std::size_t later = k + 1; later < size; ++later)
      for (std::size_t j = 0; j < width; ++j)
        if (arguments[later][j] == target) return false;
    for (std::size_t j = 0; j < i; ++j)
      if (arguments[k][j] == target) return false;
    return true;
  }
};

template <class E>
constexpr const E& descend(const E& e, path<>) {
  return e;
}
template <std::size_t First, std::size_t... Rest, class E>
constexpr const auto& descend(const E& e, path<First, Rest...>) {
  return descend(std::get<First>(e.args), path<Rest...>{});
}

/// The subexpression object at a path below the roots: literals carry their values there.
template <std::size_t R, std::size_t... I, class Roots>
constexpr const auto& at_path(path<R, I...>, const Roots& roots) {
  return descend(std::get<R>(roots), path<I...>{});
}

}  // namespace leibniz::detail
