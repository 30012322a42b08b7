// leibniz/eval/evaluate.hpp
// e(x = 2.0, y = 3.0): the forward pass over the static tape, in any scalar type.
#pragma once

#include <leibniz/config.hpp>
#include <leibniz/core/dispatch.hpp>
#include <leibniz/eval/bindings.hpp>
#include <leibniz/eval/static_tape.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
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

/// The numbers bound to the vector Name, as a span.
template <fixed_string Name, class... B>
constexpr auto vector_of(const B&... bindings) {
  if constexpr (!has_binding<Name, 0, B...>) {
    using missing = decltype(spelled_out<Name>(std::make_index_sequence<Name.size()>{}));
    return std::span<const double>{}.subspan(missing::index);
  } else {
    return binding_of<Name, 0>(bindings...).value;
  }
}

/// The current value of the index Name of an enclosing sum.
template <fixed_string Name, class... B>
constexpr std::size_t index_of(const B&... bindings) {
  static_assert(has_binding<Name, 2, B...>,
                "leibniz: an element x[i] or an index i is used outside a sum over i; write it "
                "inside sum(i < size(x), ...)");
  if constexpr (has_binding<Name, 2, B...>)
    return binding_of<Name, 2>(bindings...).value;
  else
    return 0;
}

template <class T, class R, class... B>
constexpr T reduce_value(const R& reduction, const B&... bindings);

/// Which slots of a static tape to compute, as a template argument (run_needed). Made from a
/// std::array<bool, N> element by element: GCC 12 tells two class-type template arguments apart
/// only by the elements their value was written with, so masks computed by assigning a few
/// elements ({[0] = true} and {[1] = true}) pass for the same argument, and run_needed of the
/// second silently computes the slots of the first (tests/static/check_regression_mask.cpp).
template <std::size_t N>
struct slot_mask {
  std::array<bool, N> bits;

  constexpr slot_mask(const std::array<bool, N>& mask)  // NOLINT: converts, as a template argument
      : bits(dense(mask)) {}
  constexpr bool operator[](std::size_t k) const { return bits[k]; }
};

/// The value of an argument of an interior entry: its slot's, or a constant from its type.
template <class T, class R>
struct read_argument {
  static constexpr T get(const T* /*v*/) { return constant_as<T>(R{}); }
};
template <class T, std::size_t K>
struct read_argument<T, slot<K>> {
  static constexpr const T& get(const T* v) { return v[K]; }
};

/// What a pass hands to the entries that need the roots' objects: the sums that hold
/// literals. Every other entry gets `no_roots`, so that its code is instantiated on its
/// descriptor only.
struct no_roots {};

template <class D>
inline constexpr bool reads_roots = false;
template <class E, class P>
inline constexpr bool reads_roots<reduction_entry<E, P>> = true;

template <bool Reads, class Roots>
constexpr decltype(auto) roots_if(const Roots& roots) {
  if constexpr (Reads)
    return roots;
  else
    return no_roots{};
}

/// The object of a sum over data on the tape: the one below the roots, or any object of its
/// type when the type gives it entirely.
template <class E, class P, class Roots>
constexpr decltype(auto) reduction_object(reduction_entry<E, P>, const Roots& roots) {
  if constexpr (std::is_void_v<P>)
    return E{};
  else
    return at_path(P{}, roots);
}

// One step of a forward pass: the value of one entry, from its descriptor, the slots before
// it, the literals and the bindings. Wanted is false for entries the pass skips.

template <bool Wanted, class T, class Op, class... R, class N, class Roots, class... B>
constexpr void forward_step(op_entry<Op, R...>, T& out, const T* v, const N* /*literals*/,
                            const Roots& /*roots*/, const B&... /*bindings*/) {
  if constexpr (Wanted) out = T(call<Op>(read_argument<T, R>::get(v)...));
}

template <bool Wanted, class T, std::size_t J, class N, class Roots, class... B>
constexpr void forward_step(literal_entry<J>, T& out, const T* /*v*/, const N* literals,
                            const Roots& /*roots*/, const B&... /*bindings*/) {
  if constexpr (Wanted) out = T(literals[J]);
}

template <bool Wanted, class T, fixed_string Name, class N, class Roots, class... B>
constexpr void forward_step(variable<Name>, T& out, const T* /*v*/, const N* /*literals*/,
                            const Roots& /*roots*/, const B&... b) {
  if constexpr (Wanted) out = T(bound_value<Name>(b...));
}

template <bool Wanted, class T, fixed_string Name, class N, class Roots, class... B>
constexpr void forward_step(size_of<Name>, T& out, const T* /*v*/, const N* /*literals*/,
                            const Roots& /*roots*/, const B&... b) {
  if constexpr (Wanted) out = T(static_cast<double>(vector_of<Name>(b...).size()));
}

template <bool Wanted, class T, fixed_string Name, class N, class Roots, class... B>
constexpr void forward_step(index<Name>, T& out, const T* /*v*/, const N* /*literals*/,
                            const Roots& /*roots*/, const B&... b) {
  if constexpr (Wanted) out = T(static_cast<double>(index_of<Name>(b...)));
}

template <bool Wanted, class T, fixed_string V, fixed_string I, std::intmax_t O, class N,
          class Roots, class... B>
constexpr void forward_step(element<V, I, O>, T& out, const T* /*v*/, const N* /*literals*/,
                            const Roots& /*roots*/, const B&... b) {
  if constexpr (Wanted) {
    const std::size_t at = index_of<I>(b...) + O;
    out = T(vector_of<V>(b...)[at]);
  }
}

template <bool Wanted, class T, class E, class P, class N, class Roots, class... B>
constexpr void forward_step(reduction_entry<E, P> d, T& out, const T* /*v*/, const N* /*literals*/,
                            const Roots& roots, const B&... b) {
  if constexpr (Wanted) out = reduce_value<T>(reduction_object(d, roots), b...);
}

/// Copies the literals below e into out, in the order add_tree meets them (eval/static_tape.hpp):
/// arguments left to right, not into exact subexpressions (which hold none) nor into sums
/// over data (whose bodies are tapes of their own).
template <class N, class E>
constexpr void collect_literals(const E& e, N*& out);

template <class N, class E, std::size_t... I>
constexpr void collect_arguments(const E& e, N*& out, std::index_sequence<I...>) {
  (collect_literals<N>(std::get<I>(e.args), out), ...);
}

template <class N, class E>
constexpr void collect_literals(const E& e, N*& out) {
  if constexpr (is_literal<E>)
    *out++ = static_cast<N>(e.value);
  else if constexpr (is_interior<E> && !is_exact_type<E>)
    collect_arguments<N>(e, out, std::make_index_sequence<std::tuple_size_v<decltype(e.args)>>{});
}

template <class Refs, std::size_t R>
struct root_ref;
template <class First, class... Rest>
struct root_ref<refs<First, Rest...>, 0> {
  using type = First;
};
template <class First, class... Rest, std::size_t R>
struct root_ref<refs<First, Rest...>, R> : root_ref<refs<Rest...>, R - 1> {};

/// The static tape of one evaluation: the entries, their values, and what fills them.
template <class T, class Tape, class Roots, class Bindings>
struct forward_pass;

template <class T, class Tape, class Roots, class... B>
struct forward_pass<T, Tape, Roots, std::tuple<const B&...>> {
  using list = typename Tape::list;
  using number = typename Tape::number;
  static constexpr std::size_t size = list::size;

  const Roots& roots;
  std::tuple<const B&...> bindings;
  std::array<T, size> v{};
  std::array<number, Tape::literals> literals{};

  /// Reads the roots' literals once (the entries then read them from `literals`).
  constexpr void collect() {
    if constexpr (Tape::literals > 0) {
      number* out = literals.data();
      std::apply([&](const auto&... root) { (collect_literals<number>(root, out), ...); }, roots);
    }
  }

  constexpr void run() { run_needed<all_slots()>(); }

  /// Computes only the entries marked in Needed: the values a reverse sweep reads.
  template <slot_mask<size> Needed>
  constexpr void run_needed() {
    run_entries<Needed>(std::make_index_sequence<size>{}, std::index_sequence_for<B...>{});
  }

  // The entries are reached by index, not deduced as a pack: a function whose template
  // arguments spell the list has a mangled name that spells every entry (45 k characters at
  // 431 entries), and g++ spends time quadratic in the list mangling it.
  template <slot_mask<size> Needed, std::size_t... K, std::size_t... J>
  constexpr void run_entries(std::index_sequence<K...>, std::index_sequence<J...>) {
    // A braced list runs its elements in order (not a fold: see static_tape.hpp).
    [[maybe_unused]] const int in_order[] = {
        0, (forward_step<Needed[K], T>(desc_at<K>{}, v[K], v.data(), literals.data(),
                                       roots_if<reads_roots<desc_at<K>>>(roots),
                                       std::get<J>(bindings)...),
            0)...};
  }

  template <std::size_t K>
  using desc_at = typename entry_at_t<K, list>::desc;

  static consteval std::array<bool, size> all_slots() {
    std::array<bool, size> all{};
    for (bool& b : all) b = true;
    return all;
  }

  /// The slot of root R, or no_slot for a constant held in its type.
  template <std::size_t R>
  static constexpr std::size_t root_slot =
      slot_index<typename root_ref<typename Tape::root_refs, R>::type>;

  /// The value of root R.
  template <std::size_t R>
  constexpr T root() const {
    if constexpr (root_slot<R> == no_slot)
      return constant_as<T>(typename root_ref<typename Tape::root_refs, R>::type{});
    else
      return v[root_slot<R>];
  }
};

template <class Roots>
struct tape_of_roots;
template <class... R>
struct tape_of_roots<std::tuple<const R&...>> {
  using type = build_tape<std::remove_cvref_t<R>...>;
};

/// The forward pass over roots, not yet run.
template <class T, class Roots, class... B>
constexpr auto make_forward(const Roots& roots, const B&... bindings) {
  using tape = typename tape_of_roots<Roots>::type;
  forward_pass<T, tape, Roots, std::tuple<const B&...>> pass{roots, std::tie(bindings...)};
  pass.collect();
  return pass;
}

/// The forward pass over roots, every value computed.
template <class T, class Roots, class... B>
constexpr auto run_forward(const Roots& roots, const B&... bindings) {
  auto pass = make_forward<T>(roots, bindings...);
  pass.run();
  return pass;
}

/// Which entries of a tape vary with the index I (Varying) or stay fixed during a sum over i:
/// the fixed ones are computed once, before the loop.
template <class List, fixed_string I, bool Varying>
struct loop_part;
template <class... Es, fixed_string I, bool Varying>
struct loop_part<entries<Es...>, I, Varying>
    : table<std::array<bool, sizeof...(Es)>{(varies_with<typename Es::expr, I> == Varying)...}> {};

/// The number of terms of a sum, from the bound vector's size: 0 for an empty range. A vector
/// other than the one the range is over must be long enough for every element the body reads.
template <fixed_string I, fixed_string V, std::intmax_t Lo, std::intmax_t Hi, class Body,
          class... B>
constexpr std::size_t reduction_end(const B&... bindings) {
  const auto size = static_cast<std::intmax_t>(vector_of<V>(bindings...).size());
  const std::intmax_t end = size + Hi;
  return end > Lo ? static_cast<std::size_t>(end) : static_cast<std::size_t>(Lo);
}

/// Whether the bindings hold an executor for sums over data (`leibniz::thread_pool`).
template <class... B>
inline constexpr bool has_executor = (... || (std::remove_cvref_t<B>::kind == 3));

/// Runs chunk(c, first, last) over [lo, end) cut into pieces: one piece, in this thread, unless
/// the bindings hold an executor and the range is long enough to share. The pieces depend only
/// on the executor's thread count, so the result does for a given count, not on scheduling.
template <class Chunk, class... B>
constexpr std::size_t run_chunks(std::size_t lo, std::size_t end, Chunk&& chunk,
                                 const B&... bindings) {
  if constexpr (has_executor<B...>) {
    const auto& executor = binding_of<"parallel", 3>(bindings...);
    const std::size_t length = end > lo ? end - lo : 0;
    const std::size_t pieces = executor.pieces_for(length);
    if (pieces > 1) {
      executor.for_each(pieces, [&](std::size_t c) {
        chunk(c, lo + length * c / pieces, lo + length * (c + 1) / pieces);
      });
      return pieces;
    }
  }
  chunk(std::size_t{0}, lo, end);
  return 1;
}

/// Whether a sum over [lo, end) is cut into pieces for the executor among the bindings.
template <class... B>
constexpr bool shares_work(std::size_t lo, std::size_t end, const B&... bindings) {
  if constexpr (has_executor<B...>)
    return binding_of<"parallel", 3>(bindings...).pieces_for(end > lo ? end - lo : 0) > 1;
  else
    return false;
}

/// The most pieces a sum over data is cut into for an executor among the bindings.
template <class... B>
consteval std::size_t max_pieces() {
  if constexpr (has_executor<B...>)
    return std::remove_cvref_t<decltype(binding_of<"parallel", 3>(
        std::declval<const B&>()...))>::max_pieces;
  else
    return 1;
}

/// The value of sum(i, body) over lo <= i < end: the parts of the body fixed in i are computed
/// once, then the rest once per i, each term added in order.
template <class T, class Body, fixed_string I, class... B>
constexpr T reduce_range(const Body& body, std::size_t lo, std::size_t end, const B&... bindings) {
  index_value<I> at{};
  const std::tuple<const Body&> roots{body};
  auto pass = make_forward<T>(roots, bindings..., at);
  using list = typename decltype(pass)::list;
  pass.template run_needed<loop_part<list, I, false>::value>();
  T total = T(0);
  for (at.value = lo; at.value < end; ++at.value) {
    pass.template run_needed<loop_part<list, I, true>::value>();
    total += pass.template root<0>();
  }
  return total;
}

/// The value of sum(i, body); with an executor bound, pieces of the range in parallel, their
/// sums added in order.
template <class T, class R, class... B>
constexpr T reduce_value(const R& reduction, const B&... bindings) {
  return [&]<fixed_string I, fixed_string V, std::intmax_t Lo, std::intmax_t Hi, class Body>(
             const node<sum_over_op<I, V, Lo, Hi>, Body>& e) -> T {
    const Body& body = std::get<0>(e.args);
    const std::size_t end = reduction_end<I, V, Lo, Hi, Body>(bindings...);
    if (!shares_work(static_cast<std::size_t>(Lo), end, bindings...))
      return reduce_range<T, Body, I>(body, static_cast<std::size_t>(Lo), end, bindings...);
    std::array<T, max_pieces<B...>()> piece{};
    const std::size_t pieces = run_chunks(
        static_cast<std::size_t>(Lo), end,
        [&](std::size_t c, std::size_t first, std::size_t last) {
          piece[c] = reduce_range<T, Body, I>(body, first, last, bindings...);
        },
        bindings...);
    T total = piece[0];
    for (std::size_t c = 1; c < pieces; ++c) total += piece[c];
    return total;
  }(reduction);
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
