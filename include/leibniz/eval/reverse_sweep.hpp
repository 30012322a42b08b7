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
#include <tuple>
#include <utility>

namespace leibniz::detail {

template <class E, class... Vars>
inline constexpr bool depends_on_any = (depends_on<E, Vars::symbol> || ...);

template <class Pass, class... Vars>
struct reverse_pass {
  using T = std::remove_cvref_t<decltype(std::declval<Pass>().v[0])>;
  using list = typename Pass::list;
  using wires = wiring<list>;
  static constexpr std::size_t size = Pass::size;

  const Pass& forward;
  std::array<T, size> adjoint{};

  /// Sends entry K's adjoint to its argument I, times the local partial d entry / d arg.
  template <std::size_t K, std::size_t I, class Op, class... A>
  constexpr void send(const node<Op, A...>& e, const auto& arguments) {
    using arg = std::tuple_element_t<I, std::tuple<A...>>;
    if constexpr (!TypeConstant<arg> && depends_on_any<arg, Vars...>) {
      (void)e;
      constexpr std::size_t target = wires::arguments[K][I];
      const T contribution = std::apply(
          [&](const auto&... args) -> T {
            return adjoint[K] * Op::template partial<I>(forward.v[K], args...);
          },
          arguments);
      if constexpr (wires::first_contribution(K, I))
        adjoint[target] = contribution;
      else
        adjoint[target] += contribution;
    }
  }

  template <std::size_t K>
  constexpr void pull() {
    using E = typename entry_at_t<K, list>::expr;
    using P = typename entry_at_t<K, list>::where;
    if constexpr (is_node<E> && depends_on_any<E, Vars...>) {
      const E& e = at_path(P{}, forward.roots);
      const auto arguments =
          forward.template node_arguments<E, P>(e, std::make_index_sequence<arity_of<E>::value>{});
      [&]<std::size_t... I>(std::index_sequence<I...>) { (send<K, I>(e, arguments), ...); }
      (std::make_index_sequence<arity_of<E>::value>{});
    }
  }

  constexpr void run() {
    [&]<std::size_t... J>(std::index_sequence<J...>) { (pull<size - 1 - J>(), ...); }
    (std::make_index_sequence<size>{});
  }

  // ---------------------------------------------------------------- which values it reads

  template <class E, std::size_t I>
  static consteval std::uint64_t argument_reads() {
    using arg = argument_type<E, I>;
    if constexpr (!TypeConstant<arg> && depends_on_any<arg, Vars...>)
      return []<class Op, class... A>(node<Op, A...>*) {
        return partial_reads<Op, I, sizeof...(A)>();
      }(static_cast<E*>(nullptr));
    else
      return 0;
  }

  template <std::size_t K, std::size_t... I>
  static consteval std::array<std::uint64_t, wires::width> entry_reads(std::index_sequence<I...>) {
    std::array<std::uint64_t, wires::width> reads{};
    using E = typename entry_at_t<K, list>::expr;
    if constexpr (is_node<E> && depends_on_any<E, Vars...>)
      ((reads[I] = argument_reads<E, I>()), ...);
    return reads;
  }

  template <std::size_t... K>
  static consteval std::array<std::array<std::uint64_t, wires::width>, size> all_reads(
      std::index_sequence<K...>) {
    return {entry_reads<K>(
        std::make_index_sequence<arity_of<typename entry_at_t<K, list>::expr>::value>{})...};
  }

  /// The forward values the sweep reads -- through the partials, and the values those need.
  static consteval std::array<bool, size> needed_values() {
    constexpr auto reads = all_reads(std::make_index_sequence<size>{});
    std::array<bool, size> needed{};
    for (std::size_t k = 0; k < size; ++k) {
      for (std::size_t i = 0; i < wires::width; ++i) {
        const std::uint64_t mask = reads[k][i];
        if (mask & 1) needed[k] = true;
        for (std::size_t j = 0; j < wires::width; ++j)
          if (((mask >> (j + 1)) & 1) && wires::arguments[k][j] != no_slot)
            needed[wires::arguments[k][j]] = true;
      }
    }
    for (std::size_t k = size; k-- > 0;)
      if (needed[k])
        for (std::size_t j = 0; j < wires::width; ++j)
          if (wires::arguments[k][j] != no_slot) needed[wires::arguments[k][j]] = true;
    return needed;
  }

  template <class V>
  constexpr T gradient_for() const {
    if constexpr (contains<V>(static_cast<list*>(nullptr)))
      return adjoint[slot_of<V, path<>>(static_cast<list*>(nullptr))];
    else
      return T(0);
  }
};

/// The gradient of e with respect to Vars at the bound point, in the order Vars are named.
template <class... Vars, class E, class... B>
LEIBNIZ_INLINE constexpr auto compiled_gradient(const E& e, const B&... bindings) {
  using T = typename scalar_of<B...>::type;
  if constexpr (!check_bindings<B...>()) {
    return std::array<double, sizeof...(Vars)>{};  // a static_assert has said what is wrong
  } else if constexpr (TypeConstant<E>) {
    return std::array<T, sizeof...(Vars)>{(static_cast<void>(sizeof(Vars)), T(0))...};
  } else {
    const std::tuple<const E&> roots{e};
    auto forward = make_forward<T>(roots, bindings...);
    using sweep = reverse_pass<decltype(forward), Vars...>;
    forward.template run_needed<sweep::needed_values()>();
    sweep reverse{forward};
    constexpr std::size_t root =
        slot_of<E, path<0>>(static_cast<typename decltype(forward)::list*>(nullptr));
    static_assert(root == decltype(forward)::size - 1);
    reverse.adjoint[root] = T(1);
    reverse.run();
    return std::array<T, sizeof...(Vars)>{reverse.template gradient_for<Vars>()...};
  }
}

}  // namespace leibniz::detail
