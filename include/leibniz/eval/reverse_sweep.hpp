// leibniz/eval/reverse_sweep.hpp
// The compiled gradient: one forward pass over the static tape, then one reverse pass that
// pulls each adjoint back through the ops' local partials. No heap, no virtual call, every
// index a constant: it costs what the gradient written by hand costs.
#pragma once

#include <leibniz/config.hpp>
#include <leibniz/eval/evaluate.hpp>
#include <leibniz/eval/static_tape.hpp>
#include <leibniz/eval/usage.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace leibniz::detail {

template <class E, class... Vars>
inline constexpr bool depends_on_any = (depends_on<E, Vars::symbol> || ...);

/// How an interior entry sends its adjoint to one argument in a reverse sweep: not at all
/// (a constant, or free of the variables), by assignment (the first contribution to that slot
/// in the sweep: x + 0.0 does not fold), or by adding.
enum send_mode : std::uint8_t { skip = 0, assign = 1, accumulate = 2 };

/// The modes of an entry's arguments, as a type: plain integers, so that no class-type
/// template argument is compared (see slot_mask in eval/evaluate.hpp).
template <std::uint8_t... M>
struct send_modes {};

template <class R>
inline constexpr std::uint8_t no_send = skip;

/// Whether a leaf of the tape (its descriptor D) depends on one of Vars.
template <class D, class... Vars>
consteval bool leaf_depends() {
  if constexpr (is_variable<D> || is_element<D> || is_index<D> || is_size_of<D>)
    return depends_on_any<D, Vars...>;
  else
    return false;
}
template <class... Vars, class E, class P>
consteval bool reduction_depends(reduction_entry<E, P>*) {
  return depends_on_any<E, Vars...>;
}
template <class D, class... Vars>
consteval bool entry_depends() {
  if constexpr (reads_roots<D>)
    return reduction_depends<Vars...>(static_cast<D*>(nullptr));
  else
    return leaf_depends<D, Vars...>();
}

template <bool Sent, class Op, std::size_t I, std::size_t Arity>
consteval std::uint64_t reads_if_sent() {
  if constexpr (Sent)
    return partial_reads<Op, I, Arity>();
  else
    return 0;
}

/// The values each argument's partial reads (see usage.hpp), for the arguments sent to.
template <class D, class Modes>
struct entry_reads {
  static constexpr std::array<std::uint64_t, 0> value{};
};
template <class Op, class... R, std::uint8_t... M>
struct entry_reads<op_entry<Op, R...>, send_modes<M...>> {
  static constexpr std::array<std::uint64_t, sizeof...(R)> value =
      []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<std::uint64_t, sizeof...(R)>{
        reads_if_sent<M != skip, Op, I, sizeof...(R)>()...};
  }
  (std::index_sequence_for<R...>{});
};

/// Which entries depend on the variables: a leaf as `out` says (one more element, false),
/// an interior entry if one of its arguments does.
template <std::size_t N, std::size_t A>
constexpr std::array<bool, N + 1> dependencies(std::array<bool, N + 1> out,
                                               const std::array<std::size_t, N + 1>& first,
                                               const std::array<std::size_t, A + 1>& arguments) {
  for (std::size_t k = 0; k < N; ++k)
    for (std::size_t j = first[k]; j < first[k + 1]; ++j)
      if (arguments[j] != no_slot && out[arguments[j]]) out[k] = true;
  return out;
}

/// Argument by argument (as arguments): the first to send to a slot, in a sweep that runs
/// from the last entry back and through each entry's arguments in order, assigns; the others
/// add.
template <std::size_t N, std::size_t A>
constexpr std::array<std::uint8_t, A + 1> sweep_modes(
    const std::array<bool, N + 1>& depends, const std::array<std::size_t, N + 1>& first,
    const std::array<std::size_t, A + 1>& arguments) {
  std::array<std::uint8_t, A + 1> out{};
  std::array<bool, N + 1> sent{};
  for (std::size_t k = N; k-- > 0;) {
    if (!depends[k]) continue;
    for (std::size_t j = first[k]; j < first[k + 1]; ++j) {
      const std::size_t target = arguments[j];
      if (target == no_slot || !depends[target]) continue;
      out[j] = sent[target] ? accumulate : assign;
      sent[target] = true;
    }
  }
  return out;
}

/// The forward values a sweep reads, from what each entry's partials read (reads[k][i]: bit
/// 0 the entry's own value, bit j + 1 its argument j) and the values those need.
template <std::size_t N, std::size_t A>
constexpr std::array<bool, N> values_read(
    const std::array<std::span<const std::uint64_t>, N>& reads,
    const std::array<std::size_t, N + 1>& first, const std::array<std::size_t, A + 1>& arguments) {
  std::array<bool, N> out{};
  for (std::size_t k = 0; k < N; ++k) {
    const std::size_t begin = first[k], end = first[k + 1];
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint64_t mask = reads[k][i - begin];
      if (mask & 1) out[k] = true;
      for (std::size_t j = begin; j < end; ++j)
        if (((mask >> (j - begin + 1)) & 1) && arguments[j] != no_slot) out[arguments[j]] = true;
    }
  }
  for (std::size_t k = N; k-- > 0;)
    if (out[k])
      for (std::size_t j = first[k]; j < first[k + 1]; ++j)
        if (arguments[j] != no_slot) out[arguments[j]] = true;
  return out;
}

template <class Tables, std::size_t K, class I>
struct modes_of;
template <class Tables, std::size_t K, std::size_t... I>
struct modes_of<Tables, K, std::index_sequence<I...>> {
  using type = send_modes<Tables::modes::value[Tables::wires::first::value[K] + I]...>;
};

template <class Tables, class List, class Indices>
struct needed_table;
template <class Tables, class List, std::size_t... K>
struct needed_table<Tables, List, std::index_sequence<K...>> {
  using wires = typename Tables::wires;
  using type = table<dense(values_read<sizeof...(K), wires::arguments::value.size() - 1>(
      std::array<std::span<const std::uint64_t>, sizeof...(K)>{std::span<const std::uint64_t>(
          entry_reads<typename entry_at_t<K, List>::desc,
                      typename Tables::template modes_at<K, typename entry_at_t<K, List>::desc>>::
              value)...},
      wires::first::value, wires::arguments::value))>;
};

/// What a reverse sweep with respect to Vars does on a tape, as constant arrays computed
/// once: which entries depend on Vars, how each argument receives its adjoint, and which
/// forward values the sweep reads. Each a class deriving from table<V> (see static_tape.hpp).
template <class List, class... Vars>
struct sweep_tables;
template <class... Es, class... Vars>
struct sweep_tables<entries<Es...>, Vars...> {
  using wires = tape_tables<entries<Es...>>;

  using depends = table<dense(dependencies<sizeof...(Es), wires::arguments::value.size() - 1>(
      {entry_depends<typename Es::desc, Vars...>()..., false}, wires::first::value,
      wires::arguments::value))>;

  using modes = table<dense(sweep_modes<sizeof...(Es), wires::arguments::value.size() - 1>(
      depends::value, wires::first::value, wires::arguments::value))>;

  /// The modes of entry K's arguments. (A class, not a member function: the name of a
  /// function of this class, which the compiler spells out, holds the whole list.)
  template <std::size_t K, class D>
  using modes_at = typename modes_of<sweep_tables, K,
                                     std::make_index_sequence<descriptor_traits<D>::arity>>::type;

  /// The forward values the sweep reads -- through the partials, and the values those need.
  using needed = typename needed_table<sweep_tables, entries<Es...>,
                                       std::make_index_sequence<sizeof...(Es)>>::type;
};

/// Sends an entry's adjoint to its argument I (in slot S), times the local partial
/// d entry / d argument I.
template <std::uint8_t Mode, std::size_t I, std::size_t S, class Op, class T, class... V>
constexpr void send(const T& adjoint, const T& result, T* adjoints, const V&... arguments) {
  if constexpr (Mode != skip) {
    const T contribution = adjoint * Op::template partial<I>(result, arguments...);
    if constexpr (Mode == assign)
      adjoints[S] = contribution;
    else
      adjoints[S] += contribution;
  }
}

template <class Op, std::uint8_t... M, std::size_t... S, std::size_t... I, class T, class... V>
constexpr void send_all(send_modes<M...>, std::index_sequence<S...>, std::index_sequence<I...>,
                        const T& adjoint, const T& result, T* adjoints, const V&... arguments) {
  (send<M, I, S, Op>(adjoint, result, adjoints, arguments...), ...);
}

/// One step of a reverse sweep: an interior entry pulls its adjoint back to its arguments.
template <class Modes, class T, class Op, class... R>
constexpr void pull(op_entry<Op, R...>, const T& adjoint, const T& result, const T* v,
                    T* adjoints) {
  if constexpr (!std::is_same_v<Modes, send_modes<no_send<R>...>>) {
    send_all<Op>(Modes{}, std::index_sequence<slot_index<R>...>{}, std::index_sequence_for<R...>{},
                 adjoint, result, adjoints, read_argument<T, R>::get(v)...);
  }
}
/// Leaves pull nothing.
template <class Modes, class T, class D>
constexpr void pull(D, const T& /*adjoint*/, const T& /*result*/, const T* /*v*/, T* /*adjoints*/) {
}

template <class Pass, class... Vars>
struct reverse_pass {
  using T = std::remove_cvref_t<decltype(std::declval<Pass>().v[0])>;
  using list = typename Pass::list;
  using tables = sweep_tables<list, Vars...>;
  static constexpr std::size_t size = Pass::size;

  const Pass& forward;
  std::array<T, size> adjoint{};

  constexpr void run() { run_entries(std::make_index_sequence<size>{}); }

  template <std::size_t K>
  using desc_at = typename entry_at_t<K, list>::desc;

  /// The entries from the last (J = 0) to the first: a braced list, which runs in order (not
  /// a fold: see static_tape.hpp), over indices, not over the entries as a pack, whose types
  /// g++ would spell out in the function's mangled name (see forward_pass::run_entries).
  template <std::size_t... J>
  constexpr void run_entries(std::index_sequence<J...>) {
    [[maybe_unused]] const int in_order[] = {
        0, (pull<typename tables::template modes_at<size - 1 - J, desc_at<size - 1 - J>>>(
                desc_at<size - 1 - J>{}, adjoint[size - 1 - J], forward.v[size - 1 - J],
                forward.v.data(), adjoint.data()),
            0)...};
  }

  /// The forward values the sweep reads -- through the partials, and the values those need.
  static consteval std::array<bool, size> needed_values() { return tables::needed::value; }

  template <class V>
  constexpr T gradient_for() const {
    constexpr std::size_t k = slot_plus_one_of<V, list>::value - 1;
    if constexpr (k != no_slot)
      return adjoint[k];
    else
      return T(0);
  }
};

// ------------------------------------------------------------------ sums over data

/// The scalar variables among Vars, and the position of V among them.
template <class... Vars>
inline constexpr std::size_t scalar_count = (std::size_t{0} + ... + (is_variable<Vars> ? 1 : 0));

template <class V, class... Vars>
consteval std::size_t scalar_position() {
  constexpr std::array<bool, sizeof...(Vars) + 1> is_scalar{is_variable<Vars>..., false};
  constexpr std::array<bool, sizeof...(Vars) + 1> same{std::is_same_v<V, Vars>..., false};
  std::size_t position = 0;
  for (std::size_t k = 0; k < sizeof...(Vars); ++k) {
    if (same[k]) return position;
    if (is_scalar[k]) ++position;
  }
  return position;
}

template <bool Recurse, class T, class... Vars, class Sweep, class... B>
constexpr void gather(const Sweep& sweep, std::array<T, scalar_count<Vars...>>& scalars,
                      const B&... bindings);

/// The entries of a sum's body to compute for each i: those that vary with i and that the
/// sweep reads -- or all that vary with i when the sum's value is wanted too.
template <class List, fixed_string I, bool WantValue, class... Vars>
consteval auto loop_entries() {
  constexpr auto varying = loop_part<List, I, true>::value;
  std::array<bool, varying.size()> wanted = varying;
  if constexpr (!WantValue) {
    constexpr auto read = sweep_tables<List, Vars...>::needed::value;
    for (std::size_t k = 0; k < wanted.size(); ++k) wanted[k] = varying[k] && read[k];
  }
  return wanted;
}

/// Adds seed * d sum(i, body) / d v over lo <= i < end for each v in Vars: the scalar
/// partials into `scalars`, those with respect to vectors into the outputs bound with
/// `into(x) = g`. Per i, a forward and a reverse sweep of the body's own tape; the parts of the
/// body fixed in i are computed once, before the loop. Returns the sum over the range when
/// WantValue.
template <bool WantValue, fixed_string I, class T, class... Vars, class Body, class... B>
constexpr T reduce_gradient_range(const Body& body, std::size_t lo, std::size_t end, const T& seed,
                                  std::array<T, scalar_count<Vars...>>& scalars,
                                  const B&... bindings) {
  index_value<I> at{};
  const std::tuple<const Body&> roots{body};
  auto forward = make_forward<T>(roots, bindings..., at);
  using list = typename decltype(forward)::list;
  using sweep_t = reverse_pass<decltype(forward), Vars...>;
  constexpr std::size_t root = decltype(forward)::template root_slot<0>;
  forward.template run_needed<loop_part<list, I, false>::value>();
  sweep_t sweep{forward};
  T total = T(0);
  for (at.value = lo; at.value < end; ++at.value) {
    forward.template run_needed<loop_entries<list, I, WantValue, Vars...>()>();
    if constexpr (WantValue) total += forward.v[root];
    sweep.adjoint[root] = seed;
    sweep.run();
    gather<true, T, Vars...>(sweep, scalars, bindings..., at);
  }
  return total;
}

/// The output of the vector Name for one piece of a parallel sum over i. The piece writes
/// entries i + k for its i and the offsets k of the body; those no other piece writes go
/// straight to the output, the few at its edges (which its neighbours write too) to a small
/// buffer, added in order once every piece is done.
template <fixed_string Name, class T, std::size_t Margin>
struct piece_output {
  static constexpr std::string_view name = Name.view();
  static constexpr int kind = 1;
  struct window {
    std::span<T> out;
    std::size_t own_first, own_last;  // [own_first, own_last): this piece's alone
    std::array<T, 2 * Margin>* edge;  // [own_first - Margin, own_first), then [own_last, +Margin)
    constexpr T& operator[](std::size_t j) const {
      if (j >= own_first && j < own_last) return out[j];
      if (j < own_first) return (*edge)[j + Margin - own_first];
      return (*edge)[Margin + (j - own_last)];
    }
  };
  window value;
};

/// Where the pieces of a parallel sum over I write: the offsets k of the elements x[I + k]
/// its body reads, and the width of the edge two neighbouring pieces share.
template <fixed_string I, class Body>
struct piece_layout {
  static constexpr auto reach = index_offsets<I>(static_cast<Body*>(nullptr));
  static constexpr std::intmax_t k_min = reach[0] > reach[1] ? 0 : reach[0];
  static constexpr std::intmax_t k_max = reach[0] > reach[1] ? 0 : reach[1];
  static constexpr auto margin = static_cast<std::size_t>(k_max - k_min);
};

/// The position of the vector V among the vectors of Vars.
template <class V, class... Vars>
consteval std::size_t vector_position() {
  constexpr std::array<bool, sizeof...(Vars) + 1> is_vec{is_vector<Vars>..., false};
  constexpr std::array<bool, sizeof...(Vars) + 1> same{std::is_same_v<V, Vars>..., false};
  std::size_t position = 0;
  for (std::size_t k = 0; k < sizeof...(Vars); ++k) {
    if (same[k]) return position;
    if (is_vec[k]) ++position;
  }
  return position;
}

/// Adds seed * d sum(i, body) / d v for each v in Vars (see reduce_gradient_range); with an
/// executor bound, pieces of the range in parallel, combined in order.
template <bool WantValue, class T, class... Vars, class R, class... B>
constexpr T reduce_gradient(const R& reduction, const T& seed,
                            std::array<T, scalar_count<Vars...>>& scalars, const B&... bindings) {
  return [&]<fixed_string I, fixed_string V, std::intmax_t Lo, std::intmax_t Hi, class Body>(
             const node<sum_over_op<I, V, Lo, Hi>, Body>& e) -> T {
    const Body& body = std::get<0>(e.args);
    const std::size_t end = reduction_end<I, V, Lo, Hi, Body>(bindings...);
    if (!shares_work(static_cast<std::size_t>(Lo), end, bindings...)) {
      return reduce_gradient_range<WantValue, I, T, Vars...>(body, static_cast<std::size_t>(Lo),
                                                             end, seed, scalars, bindings...);
    }
    if constexpr (has_executor<B...>) {
      using layout = piece_layout<I, Body>;
      constexpr std::size_t pieces_max = max_pieces<B...>();
      constexpr std::size_t margin = layout::margin;
      constexpr std::size_t vectors = (std::size_t{0} + ... + (is_vector<Vars> ? 1 : 0));
      using edge_t = std::array<T, 2 * margin>;
      std::array<T, pieces_max> value{};
      std::array<std::array<T, scalar_count<Vars...>>, pieces_max> partial{};
      std::array<std::array<edge_t, vectors == 0 ? 1 : vectors>, pieces_max> edges{};
      std::array<std::array<std::size_t, 3>, pieces_max> spans{};  // first, last, own_first
      const auto shift = [](std::size_t i, std::intmax_t k) {
        return static_cast<std::size_t>(static_cast<std::intmax_t>(i) + k);
      };
      const std::size_t pieces = run_chunks(
          static_cast<std::size_t>(Lo), end,
          [&](std::size_t c, std::size_t first, std::size_t last) {
            const std::size_t own_first = shift(first, layout::k_max);
            const std::size_t own_last = std::max(own_first, shift(last, layout::k_min));
            spans[c] = {first, last, own_first};
            const auto output = [&]<class W>(std::type_identity<W>) {
              return piece_output<W::symbol, T, layout::margin>{
                  {binding_of<W::symbol, 1>(bindings...).value, own_first, own_last,
                   &edges[c][vector_position<W, Vars...>()]}};
            };
            const auto outputs = std::tuple_cat([&] {
              if constexpr (is_vector<Vars>)
                return std::tuple{output(std::type_identity<Vars>{})};
              else
                return std::tuple{};
            }()...);
            std::apply(
                [&](const auto&... out) {
                  value[c] = reduce_gradient_range<WantValue, I, T, Vars...>(
                      body, first, last, seed, partial[c], out..., bindings...);
                },
                outputs);
          },
          bindings...);
      T total = value[0];
      for (std::size_t c = 0; c < pieces; ++c) {
        if (c > 0) total += value[c];
        for (std::size_t k = 0; k < scalars.size(); ++k) scalars[k] += partial[c][k];
      }
      // The edges, piece by piece, in order: what two pieces wrote is added the same way for
      // a given number of pieces, whichever thread ran first.
      const auto add_edges = [&]<class W>(std::type_identity<W>) {
        if constexpr (is_vector<W> && layout::margin > 0) {
          const auto& out = binding_of<W::symbol, 1>(bindings...).value;
          for (std::size_t c = 0; c < pieces; ++c) {
            const auto [first, last, own_first] = spans[c];
            if (first == last) continue;
            const std::size_t own_last = std::max(own_first, shift(last, layout::k_min));
            const edge_t& edge = edges[c][vector_position<W, Vars...>()];
            for (std::size_t j = own_first - margin; j < own_first; ++j)
              out[j] += edge[j + margin - own_first];
            for (std::size_t j = own_last; j < own_last + margin && j < out.size(); ++j)
              out[j] += edge[margin + (j - own_last)];
          }
        }
      };
      (add_edges(std::type_identity<Vars>{}), ...);
      return total;
    } else {
      return T(0);  // unreachable: without an executor no work is shared
    }
  }(reduction);
}

// After a reverse sweep: each leaf's adjoint to where its partial belongs. A scalar variable's
// goes to its partial, an element x[i + k]'s to entry i + k of x's output, and a sum over data
// sweeps its own body with its adjoint as the seed.

// One function, not overloads: clang 14 cannot order overloads whose explicit template
// arguments end in a pack (Vars...), and calls them ambiguous.
template <class D>
inline constexpr bool is_reduction_entry = false;
template <class E, class P>
inline constexpr bool is_reduction_entry<reduction_entry<E, P>> = true;
template <class D>
struct reduction_expr {};
template <class E, class P>
struct reduction_expr<reduction_entry<E, P>> {
  using type = E;
};

template <bool Recurse, class T, class... Vars, class D, class Roots, class... B>
constexpr void gather_leaf([[maybe_unused]] D d, [[maybe_unused]] const T& adjoint,
                           [[maybe_unused]] std::array<T, scalar_count<Vars...>>& scalars,
                           [[maybe_unused]] const Roots& roots,
                           [[maybe_unused]] const B&... bindings) {
  if constexpr (is_variable<D>) {
    if constexpr (depends_on_any<D, Vars...>) scalars[scalar_position<D, Vars...>()] += adjoint;
  } else if constexpr (is_element<D>) {
    if constexpr (depends_on_any<D, Vars...>) {
      const std::size_t at = index_of<D::index_symbol>(bindings...) + D::offset;
      binding_of<D::vector_symbol, 1>(bindings...).value[at] += adjoint;
    }
  } else if constexpr (is_reduction_entry<D>) {
    if constexpr (depends_on_any<typename reduction_expr<D>::type, Vars...> && Recurse)
      reduce_gradient<false, T, Vars...>(reduction_object(d, roots), adjoint, scalars, bindings...);
  }
}

template <bool Recurse, class T, class... Vars, class Sweep, std::size_t... K, class... B>
constexpr void gather_entries(const Sweep& sweep, std::array<T, scalar_count<Vars...>>& scalars,
                              std::index_sequence<K...>, const B&... bindings) {
  using list = typename Sweep::list;
  [[maybe_unused]] const int in_order[] = {
      0, (gather_leaf<Recurse, T, Vars...>(
              typename entry_at_t<K, list>::desc{}, sweep.adjoint[K], scalars,
              roots_if<reads_roots<typename entry_at_t<K, list>::desc>>(sweep.forward.roots),
              bindings...),
          0)...};
}

template <bool Recurse, class T, class... Vars, class Sweep, class... B>
constexpr void gather(const Sweep& sweep, std::array<T, scalar_count<Vars...>>& scalars,
                      const B&... bindings) {
  gather_entries<Recurse, T, Vars...>(sweep, scalars, std::make_index_sequence<Sweep::size>{},
                                      bindings...);
}

/// Whether every vector among Vars has an output `into(x) = g` among the bindings B.
template <class... Vars, class... B>
consteval bool outputs_complete(std::tuple<Vars...>*, std::tuple<B...>*) {
  constexpr bool complete = ((!is_vector<Vars> || has_binding<Vars::symbol, 1, B...>)&&...);
  static_assert(complete,
                "leibniz::gradient with respect to a vector x writes into a span you give: "
                "pass into(x) = g, with g of size(x) numbers");
  return complete;
}

/// Zeroes the output of each vector among Vars, after checking that it fits the vector.
template <class T, class... Vars, class... B>
constexpr void clear_outputs(const B&... bindings) {
  (
      [&] {
        if constexpr (is_vector<Vars>) {
          const auto& out = binding_of<Vars::symbol, 1>(bindings...).value;
          if (out.size() != vector_of<Vars::symbol>(bindings...).size())
            throw std::invalid_argument(
                "leibniz::gradient: into(x) = g needs g of the same size as the vector bound "
                "to x");
          for (auto& g : out) g = T(0);
        }
      }(),
      ...);
}

/// Whether a tape holds a sum over data: a class deriving from bool_constant, whose `value` is
/// named after the answer, not after the list (g++ spells the template arguments of every
/// variable and function it instantiates, and a list's spelling grows with the expression).
template <class List>
struct holds_reduction : std::false_type {};
template <class... Es>
struct holds_reduction<entries<Es...>>
    : std::bool_constant<any_of({is_reduction<typename Es::expr>...})> {};
template <class List>
inline constexpr bool has_reduction = holds_reduction<List>::value;

template <class... Es>
consteval auto reduction_positions(entries<Es...>*) {
  constexpr std::array<bool, sizeof...(Es) + 1> is_sum{is_reduction<typename Es::expr>..., false};
  constexpr std::size_t count = sum_of({(is_reduction<typename Es::expr> ? 1 : 0)...});
  std::array<std::size_t, count> found{};
  std::size_t n = 0;
  for (std::size_t k = 0; k < sizeof...(Es); ++k)
    if (is_sum[k]) found[n++] = k;
  return found;
}

/// The entries of a tape that are sums over data.
template <class List>
consteval auto reductions_of() {
  return reduction_positions(static_cast<List*>(nullptr));
}

/// A mask without the sums over data, which were computed already.
template <class List, std::size_t N>
consteval std::array<bool, N> without_reductions(std::array<bool, N> mask) {
  for (std::size_t k : reductions_of<List>()) mask[k] = false;
  return mask;
}

template <class V, class... Es>
consteval std::size_t sums_reading(entries<Es...>*) {
  return sum_of(
      {((is_reduction<typename Es::expr> && depends_on<typename Es::expr, V::symbol>) ? 1 : 0)...});
}

/// Whether each vector among Vars is read by one sum at most: then each sum can write its
/// partials with respect to vectors straight into the outputs, scaled at the end.
template <class List, class... Vars>
consteval bool fused_sums() {
  return ((!is_vector<Vars> || sums_reading<Vars>(static_cast<List*>(nullptr)) <= 1) && ...);
}

/// A sum's partials, computed with seed 1, times its adjoint: added to the scalar partials,
/// and multiplied into the outputs of the vectors it reads (unless it is the root, whose
/// adjoint is 1).
template <bool IsRoot, class Sum, class T, class... Vars, class... B>
constexpr void scale_sum(const T& adjoint, const std::array<T, scalar_count<Vars...>>& own,
                         std::array<T, scalar_count<Vars...>>& partials, const B&... bindings) {
  for (std::size_t k = 0; k < own.size(); ++k) partials[k] += adjoint * own[k];
  if constexpr (!IsRoot) {
    (
        [&] {
          if constexpr (is_vector<Vars> && depends_on<Sum, Vars::symbol>)
            for (auto& g : binding_of<Vars::symbol, 1>(bindings...).value) g *= adjoint;
        }(),
        ...);
  }
}

/// Every slot when the value of the root is wanted too (it may not be one the sweep reads),
/// else the mask given.
template <std::size_t N>
consteval std::array<bool, N> with_value_if(bool wanted, std::array<bool, N> mask) {
  if (wanted) mask.fill(true);
  return mask;
}

/// The gradient of e with respect to Vars at the bound point: the partials with respect to
/// the scalar variables, in the order they are named; those with respect to vectors are
/// written into the outputs bound with `into(x) = g`. WithValue: returns {e's value, the
/// partials}, from the same pass (a sum's value comes from the loop that sums its partials).
template <bool WithValue, class... Vars, class E, class... B>
LEIBNIZ_INLINE constexpr auto compiled_value_and_gradient(const E& e, const B&... bindings) {
  using T = typename scalar_of<B...>::type;
  constexpr std::size_t scalars = scalar_count<Vars...>;
  if constexpr (!check_bindings<B...>() ||
                !outputs_complete(static_cast<std::tuple<Vars...>*>(nullptr),
                                  static_cast<std::tuple<B...>*>(nullptr))) {
    return std::array<double, scalars>{};  // a static_assert has said what is wrong
  } else if constexpr (TypeConstant<E>) {
    clear_outputs<T, Vars...>(bindings...);
    if constexpr (WithValue)
      return std::pair{constant_as<T>(e), std::array<T, scalars>{}};
    else
      return std::array<T, scalars>{};
  } else {
    clear_outputs<T, Vars...>(bindings...);
    const std::tuple<const E&> roots{e};
    auto forward = make_forward<T>(roots, bindings...);
    using list = typename decltype(forward)::list;
    using sweep = reverse_pass<decltype(forward), Vars...>;
    constexpr std::size_t root = decltype(forward)::template root_slot<0>;
    static_assert(root == decltype(forward)::size - 1);
    constexpr auto needed = with_value_if(WithValue, sweep::needed_values());
    const auto result = [&](const std::array<T, scalars>& partials) {
      if constexpr (WithValue)
        return std::pair{forward.v[root], partials};
      else
        return partials;
    };
    if constexpr (!holds_reduction<list>::value && !(is_vector<Vars> || ...)) {
      forward.template run_needed<needed>();
      sweep reverse{forward};
      reverse.adjoint[root] = T(1);
      reverse.run();
      return result(std::array<T, scalars>{reverse.template gradient_for<Vars>()...});
    } else if constexpr (fused_sums<list, Vars...>()) {
      // Each sum over data computes its value and its partials in one pass, before the rest
      // of the forward pass; its partials are scaled by its adjoint once that is known.
      constexpr auto sums = reductions_of<list>();
      std::array<std::array<T, scalars>, sums.size()> sum_partials{};
      [&]<std::size_t... R>(std::index_sequence<R...>) {
        ((forward.v[sums[R]] = reduce_gradient<needed[sums[R]], T, Vars...>(
              reduction_object(typename entry_at_t<sums[R], list>::desc{}, roots), T(1),
              sum_partials[R], bindings...)),
         ...);
      }
      (std::make_index_sequence<sums.size()>{});
      forward.template run_needed<without_reductions<list>(needed)>();
      sweep reverse{forward};
      reverse.adjoint[root] = T(1);
      reverse.run();
      std::array<T, scalars> partials{};
      gather<false, T, Vars...>(reverse, partials, bindings...);
      [&]<std::size_t... R>(std::index_sequence<R...>) {
        (scale_sum<sums[R] == root, typename entry_at_t<sums[R], list>::expr, T, Vars...>(
             reverse.adjoint[sums[R]], sum_partials[R], partials, bindings...),
         ...);
      }
      (std::make_index_sequence<sums.size()>{});
      return result(partials);
    } else {
      // A vector read by several sums: each sum sweeps its body again, seeded with its adjoint.
      forward.template run_needed<needed>();
      sweep reverse{forward};
      reverse.adjoint[root] = T(1);
      reverse.run();
      std::array<T, scalars> partials{};
      gather<true, T, Vars...>(reverse, partials, bindings...);
      return result(partials);
    }
  }
}

/// The gradient of e with respect to Vars at the bound point (compiled_value_and_gradient
/// without the value).
template <class... Vars, class E, class... B>
LEIBNIZ_INLINE constexpr auto compiled_gradient(const E& e, const B&... bindings) {
  return compiled_value_and_gradient<false, Vars...>(e, bindings...);
}

}  // namespace leibniz::detail
