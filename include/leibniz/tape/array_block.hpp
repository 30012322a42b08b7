// leibniz/tape/array_block.hpp
// tape::apply over arrays: a static expression applied elementwise, recorded as one array entry
// whose per-element partials the static engine's compiled gradient computes (an "array block").
// Array ops fuse a statement into one entry already (array.hpp); a block fuses the whole
// expression, however many statements it spans, and computes each element's value and partials
// in one pass, with the intermediate values in registers instead of arrays.
#pragma once

#include <leibniz/core/expression.hpp>
#include <leibniz/core/variable.hpp>
#include <leibniz/eval/evaluate.hpp>
#include <leibniz/tape/array.hpp>
#include <leibniz/tape/record.hpp>
#include <leibniz/tape/tape.hpp>
#include <leibniz/tape/var.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <tuple>
#include <utility>

namespace leibniz::tape {

namespace detail {

/// Whether some binding holds an array: tape::apply is then elementwise.
template <class... B>
inline constexpr bool binds_an_array = (is_array<decltype(std::declval<B>().value)> || ...);

template <class T>
inline constexpr bool may_require_grad = is_array<T> || is_var<T>;

/// The binding of element i: the element of an array, the value of a var or number.
template <fixed_string N, class T, class Elements>
LEIBNIZ_INLINE binding<N, double> element_binding(const binding<N, T>&, const Elements& from,
                                                  std::size_t i) {
  return binding<N, double>{from.at(i)};
}

/// The value and partials of the block at element i.
template <class... Vars, class E, class Sources, class... B, std::size_t... J>
LEIBNIZ_INLINE auto block_at(const E& e, const Sources& sources, std::size_t i,
                             std::index_sequence<J...>, const B&... bindings) {
  return block_value_and_partials<Vars...>(e,
                                           element_binding(bindings, std::get<J>(sources), i)...);
}

/// The operand record of a bound array or var that requires grad, with n partials reserved
/// in the pool (a var is broadcast: its record has length 1, and the sweep sums what it fed).
template <class X>
array_pending block_operand(tape_state& t, const X& x, std::size_t n, double& scale) {
  array_pending o{};
  if constexpr (is_array<X>) {
    o.source = array_access::resolve(t, x);
    o.length = static_cast<std::uint32_t>(n);
    scale = 1.0;
  } else {
    const slot_scale at = var_access::resolve(t, x);
    o.source = at.slot;
    o.length = 1;
    scale = at.scale;
  }
  o.partials = pool_reserve(t, n);
  return o;
}

/// tape::apply with arrays bound: values, operand records with n partials each, one entry.
template <class E, class... B, std::size_t... J>
array apply_elementwise(std::index_sequence<J...> seq, const E& e, const B&... bindings) {
  using vars = std::tuple<decltype(variable_of(bindings))...>;
  constexpr std::size_t k = sizeof...(B);
  const std::size_t n = common_length(bindings.value...);
  const auto sources = std::make_tuple(elements(bindings.value)...);
  buffer_ref out = buffer_ref::make(n);
  double* const r = out.data();
  tape_state& t = the_tape;
  if (!t.grad_enabled || !(array_grad_of(bindings.value) || ...) || n == 0) {
    for (std::size_t i = 0; i < n; ++i)
      r[i] =
          static_cast<double>(evaluate(e, element_binding(bindings, std::get<J>(sources), i)...));
    return array_access::constant(std::move(out), 0, n);
  }
  reserve_entry(t, n, 0);  // before the operands are resolved: the tape may be reset here
  // Operand j's record, if bound value j requires grad; position[j] is its index in ops.
  std::array<array_pending, k> ops{};
  std::array<std::size_t, k> position{};
  std::array<double, k> scale{};
  std::size_t m = 0;
  (
      [&] {
        const auto& x = bindings.value;
        position[J] = k;
        if constexpr (may_require_grad<decltype(x)>) {
          if (x.requires_grad()) {
            position[J] = m;
            ops[m++] = block_operand(t, x, n, scale[J]);
          }
        }
      }(),
      ...);
  // The pool is not reallocated from here on: pointers into it stay valid.
  std::array<double*, k> partial{};
  for (std::size_t j = 0; j < k; ++j)
    partial[j] = position[j] < k ? t.pool.data + ops[position[j]].partials : nullptr;
  // Each element's value and partials. When every bound array and var requires grad (All),
  // the stores are unconditional and the compiler vectorizes the loop: rosenbrock's block
  // counted 40 k instructions per gradient with a test per store, 20 k without.
  constexpr std::array<bool, k> capable{may_require_grad<decltype(bindings.value)>...};
  const auto fill = [&]<bool All>(std::bool_constant<All>) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto [value, partials] =
          block_at<std::tuple_element_t<J, vars>...>(e, sources, i, seq, bindings...);
      r[i] = value;
      ((capable[J] && (All || partial[J] != nullptr)
            ? static_cast<void>(partial[J][i] = scale[J] * partials[J])
            : static_cast<void>(0)),
       ...);
    }
  };
  if (m == static_cast<std::size_t>(std::count(capable.begin(), capable.end(), true)))
    fill(std::true_type{});
  else
    fill(std::false_type{});
  m = merge_array_operands(t, ops.data(), m, n);
  const op_code_t code = block_code_of(e);
  const slot_t slot = push_array_entry(t, code, n, ops.data(), m);
  return array_access::entry(std::move(out), 0, n, slot, code);
}

}  // namespace detail

/// A static expression applied to every element of arrays, recorded as one array entry (an
/// array block) whose per-element partials the static engine's compiled gradient computes.
/// Vars and numbers bound are broadcast; arrays must have one length. The gradient is that of
/// the same computation written with array ops, or element by element with tape::apply.
///
///     auto r = tape::apply(b * exp(-a * a), a = x, b = w);   // x: tape::array, w: var
///     var y = sum(std::move(r));   // the sum takes the block's entry over
template <Expression E, class... B>
requires((is_binding<B> && ...) && detail::binds_an_array<B...>) array
    apply(const E& e, const B&... bindings) {
  return detail::apply_elementwise(std::index_sequence_for<B...>{}, e, bindings...);
}

}  // namespace leibniz::tape
