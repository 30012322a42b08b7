// leibniz/eval/static_tape.hpp
// The static tape: an expression DAG flattened at compile time into a list of entries in
// topological order, each subexpression once. Evaluation and the compiled gradient walk it
// with every index known to the compiler, so values live in registers, not on a heap.
//
// Compile time is kept linear in the number of entries: each entry carries a small
// *descriptor* (its op and the slots it reads: `op_entry<sin_op, slot<3>>`), and the code of
// the passes is instantiated on descriptors, never on the whole list or on the (large) type of
// the subexpression, whose mangled names would grow with the expression. The tables the
// passes need (which slots each entry reads, which adjoints it sends) are computed once per
// tape as constexpr arrays, and the list is walked by pack expansions, not looked up by index.
//
// Those expansions are braced lists, never fold expressions: clang refuses a fold of more
// than 256 operands (its bracket-depth limit), and a tape can have more entries than that.
#pragma once

#include <leibniz/core/expression.hpp>
#include <leibniz/core/reduction.hpp>

#include <array>
#include <cstddef>
#include <initializer_list>
#include <span>
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

inline constexpr std::size_t no_slot = static_cast<std::size_t>(-1);

/// Sums and searches over a pack written as a braced list, sum_of({f<Es>()...}), in place of
/// a fold expression.
constexpr std::size_t sum_of(std::initializer_list<std::size_t> terms) {
  std::size_t total = 0;
  for (std::size_t t : terms) total += t;
  return total;
}
constexpr bool any_of(std::initializer_list<bool> flags) {
  for (bool f : flags)
    if (f) return true;
  return false;
}

// ---------------------------------------------------------------- descriptors

/// An argument read from slot K of the tape. (An argument that is a constant held in its
/// type, such as 2 or sqrt(pi), is named by its type instead: it has no slot.)
template <std::size_t K>
struct slot {
  static constexpr std::size_t index = K;
};

template <class R>
inline constexpr std::size_t slot_index = no_slot;
template <std::size_t K>
inline constexpr std::size_t slot_index<slot<K>> = K;

/// An interior entry: Op applied to its arguments, each a slot<K> or a type constant.
template <class Op, class... Args>
struct op_entry {};

/// A number known at run time: the J-th literal met walking the roots (see collect_literals).
template <std::size_t J>
struct literal_entry {};

/// A sum over data, E, met at P below the roots; P is void for a sum whose type gives it
/// entirely (no literal inside), which any object of the type stands for.
template <class E, class P>
struct reduction_entry {};

/// Every other leaf (a variable, an index, an element x[i + k], size(x)) is its own
/// descriptor: these types are small.

/// One slot of the static tape: the subexpression's type, where it was first met, what it
/// computes, and its index.
template <class E, class P, class D, std::size_t K>
struct entry {
  using expr = E;
  using where = P;
  using desc = D;
  enum : std::size_t { index = K };
};

template <class... Es>
struct entries {
  enum : std::size_t { size = sizeof...(Es) };
};

// ---------------------------------------------------------------- building the tape

/// 1 + the slot of the exact type E on the list, or 0. A fold over the list, evaluated as a
/// constant: no instantiation per element.
template <class E, class List>
struct slot_plus_one_of : std::integral_constant<std::size_t, 0> {};
template <class E, class... Es>
struct slot_plus_one_of<E, entries<Es...>>
    : std::integral_constant<std::size_t,
                             sum_of({(__is_same(E, typename Es::expr) ? std::size_t{Es::index} + 1
                                                                      : 0)...})> {};

/// The common type of two literals' numbers; void stands for none yet.
template <class A, class B>
struct common_number {
  using type = std::common_type_t<A, B>;
};
template <class B>
struct common_number<void, B> {
  using type = B;
};

/// The list so far, how many literals it holds, and the number type that holds them (their
/// common type: double, usually).
template <class List, std::size_t Literals, class Number>
struct tape_state {
  using list = List;
  enum : std::size_t { literals = Literals };
  using number = Number;
};

template <class State, class E, class P, class D>
struct push_entry;
template <class... Es, std::size_t L, class N, class E, class P, class D>
struct push_entry<tape_state<entries<Es...>, L, N>, E, P, D> {
  enum : std::size_t { index = sizeof...(Es) };
  using list = entries<Es..., entry<E, P, D, index>>;
};

enum class tape_kind { constant, found, leaf, literal, reduction, interior };

/// How E goes on the tape; Found: E is exact and already on it. (Not a function of the
/// tape so far: a function's name, which the compiler spells out, would hold the whole list.)
template <class E, bool Found>
consteval tape_kind kind_on_tape() {
  if constexpr (TypeConstant<E>)
    return tape_kind::constant;
  else if constexpr (Found)
    return tape_kind::found;
  else if constexpr (is_literal<E>)
    return tape_kind::literal;
  else if constexpr (is_reduction<E>)
    return tape_kind::reduction;
  else if constexpr (is_node<E>)
    return tape_kind::interior;
  else
    return tape_kind::leaf;
}

/// 1 + E's slot if E is exact and on the list already, or 0.
template <class State, class E>
using found_on_tape = std::conditional_t<is_exact_type<E> && !TypeConstant<E>,
                                         slot_plus_one_of<E, typename State::list>,
                                         std::integral_constant<std::size_t, 0>>;

/// Adds the subexpression E met at P, and what it needs, to the tape: `state` is the tape
/// after, `ref` how E is read (slot<K>, or E itself for a constant held in its type). A
/// subexpression needs a slot unless the type alone gives its value (2, pi, sqrt(pi)), or it
/// is exact and already has one: identical subtrees are computed once.
template <class State, class E, class P,
          tape_kind Kind = kind_on_tape<E, found_on_tape<State, E>::value != 0>()>
struct add_tree;

template <class State, class E, class P>
struct add_tree<State, E, P, tape_kind::constant> {
  using state = State;
  using ref = E;
};

template <class State, class E, class P>
struct add_tree<State, E, P, tape_kind::found> {
  using state = State;
  using ref = slot<slot_plus_one_of<E, typename State::list>::value - 1>;
};

template <class State, class E, class P>
struct add_tree<State, E, P, tape_kind::leaf> {
  using pushed = push_entry<State, E, P, E>;
  using state = tape_state<typename pushed::list, State::literals, typename State::number>;
  using ref = slot<pushed::index>;
};

template <class State, class U, class P>
struct add_tree<State, literal<U>, P, tape_kind::literal> {
  using pushed = push_entry<State, literal<U>, P, literal_entry<State::literals>>;
  using state = tape_state<typename pushed::list, std::size_t{State::literals} + 1,
                           typename common_number<typename State::number, U>::type>;
  using ref = slot<pushed::index>;
};

template <class State, class E, class P>
struct add_tree<State, E, P, tape_kind::reduction> {
  using pushed =
      push_entry<State, E, P, reduction_entry<E, std::conditional_t<is_exact_type<E>, void, P>>>;
  using state = tape_state<typename pushed::list, State::literals, typename State::number>;
  using ref = slot<pushed::index>;
};

/// The arguments of a node, left to right, each threading the tape to the next; Desc
/// gathers how each is read.
template <class State, class P, class Desc, std::size_t I, class... A>
struct add_arguments {
  using state = State;
  using desc = Desc;
};
template <class State, class P, class Op, class... R, std::size_t I, class First, class... Rest>
struct add_arguments<State, P, op_entry<Op, R...>, I, First, Rest...> {
  using first = add_tree<State, First, path_append_t<P, I>>;
  using next = add_arguments<typename first::state, P, op_entry<Op, R..., typename first::ref>,
                             I + 1, Rest...>;
  using state = typename next::state;
  using desc = typename next::desc;
};

template <class State, class Op, class... A, class P>
struct add_tree<State, node<Op, A...>, P, tape_kind::interior> {
  using arguments = add_arguments<State, P, op_entry<Op>, 0, A...>;
  using before = typename arguments::state;
  using pushed = push_entry<before, node<Op, A...>, P, typename arguments::desc>;
  using state = tape_state<typename pushed::list, before::literals, typename before::number>;
  using ref = slot<pushed::index>;
};

/// How the roots are read, in order.
template <class... R>
struct refs {};

template <class State, class Refs, std::size_t R, class... Roots>
struct add_roots {
  using state = State;
  using root_refs = Refs;
};
template <class State, class... Done, std::size_t R, class First, class... Rest>
struct add_roots<State, refs<Done...>, R, First, Rest...> {
  using first = add_tree<State, First, path<R>>;
  using next = add_roots<typename first::state, refs<Done..., typename first::ref>, R + 1, Rest...>;
  using state = typename next::state;
  using root_refs = typename next::root_refs;
};

/// The static tape of several roots evaluated together (a gradient, a Hessian): the list of
/// entries, how each root is read, and the literals the roots hold.
template <class... Roots>
struct build_tape {
  using built = add_roots<tape_state<entries<>, 0, void>, refs<>, 0, Roots...>;
  using list = typename built::state::list;
  using root_refs = typename built::root_refs;
  static constexpr std::size_t literals = built::state::literals;
  /// The type the literals are kept in (double when there are none).
  using number = std::conditional_t<std::is_void_v<typename built::state::number>, double,
                                    typename built::state::number>;
};

template <class... Roots>
using tape_of = typename build_tape<std::remove_cvref_t<Roots>...>::list;

// ---------------------------------------------------------------- reading the tape

/// The K-th entry of a list, found by the compiler among the bases of one class (one
/// lookup, not a recursion over the list).
template <class List>
struct entry_index;
template <class... Es>
struct entry_index<entries<Es...>> : Es... {};

template <std::size_t K, class E, class P, class D>
entry<E, P, D, K> pick_entry(const entry<E, P, D, K>*);

template <std::size_t K, class List>
using entry_at_t = decltype(pick_entry<K>(static_cast<const entry_index<List>*>(nullptr)));

/// The list from the last entry to the first (each keeps its index).
template <class List, class Positions>
struct reversed;
template <class List, std::size_t... K>
struct reversed<List, std::index_sequence<K...>> {
  using type = entries<entry_at_t<std::size_t{List::size} - 1 - K, List>...>;
};
template <class List>
using reversed_t = typename reversed<List, std::make_index_sequence<List::size>>::type;

template <class D>
struct descriptor_traits {
  static constexpr std::size_t arity = 0;
  static constexpr std::array<std::size_t, 0> slots{};
};
template <class Op, class... R>
struct descriptor_traits<op_entry<Op, R...>> {
  static constexpr std::size_t arity = sizeof...(R);
  static constexpr std::array<std::size_t, sizeof...(R)> slots{slot_index<R>...};
};

// Tables computed from a tape are classes deriving from table<V>: the variable g++ names,
// table<V>::value, is named by the numbers it holds. (A static member of a class named after
// the list would be named after the list, whose spelling grows with the expression, and g++
// spends time quadratic in a name's length spelling it.)

/// A constant array as a class: `table<V>::value`.
template <auto V>
struct table {
  static constexpr auto value = V;
};

/// An array rebuilt element by element, so that it is a safe template argument (see
/// slot_mask in eval/evaluate.hpp: g++ 12 compares class-type template arguments by the
/// elements their value was written with).
template <class T, std::size_t N>
constexpr std::array<T, N> dense(const std::array<T, N>& a) {
  return [&]<std::size_t... K>(std::index_sequence<K...>) { return std::array<T, N>{a[K]...}; }
  (std::make_index_sequence<N>{});
}

/// Where each entry's arguments start among all arguments, from each entry's arity; one more
/// element gives the end of the last.
template <std::size_t N>
constexpr std::array<std::size_t, N + 1> starts(const std::array<std::size_t, N>& arity) {
  std::array<std::size_t, N + 1> out{};
  std::size_t n = 0;
  for (std::size_t k = 0; k < N; ++k) {
    out[k] = n;
    n += arity[k];
  }
  out[N] = n;
  return out;
}

/// The slots each entry reads, one after the other; one more element (no_slot), so that a
/// tape of leaves has an array too.
template <std::size_t A, std::size_t N>
constexpr std::array<std::size_t, A + 1> concatenated(
    const std::array<std::span<const std::size_t>, N>& slots) {
  std::array<std::size_t, A + 1> out{};
  std::size_t n = 0;
  for (const auto& entry : slots)
    for (std::size_t s : entry) out[n++] = s;
  out[A] = no_slot;
  return out;
}

/// The wiring of a static tape as plain arrays: entry k reads the slots
/// arguments::value[first::value[k]] ... arguments::value[first::value[k + 1] - 1] (no_slot
/// for a type constant).
template <class List>
struct first_table;
template <class... Es>
struct first_table<entries<Es...>>
    : table<dense(starts<sizeof...(Es)>({descriptor_traits<typename Es::desc>::arity...}))> {};

template <class List>
struct arguments_table;
template <class... Es>
struct arguments_table<entries<Es...>>
    : table<dense(concatenated<sum_of({descriptor_traits<typename Es::desc>::arity...})>(
          std::array<std::span<const std::size_t>, sizeof...(Es)>{
              std::span<const std::size_t>(descriptor_traits<typename Es::desc>::slots)...}))> {};

template <class List>
struct tape_tables {
  using first = first_table<List>;
  using arguments = arguments_table<List>;
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

template <class E, std::size_t I>
using argument_type = std::tuple_element_t<I, decltype(E::args)>;

}  // namespace leibniz::detail
