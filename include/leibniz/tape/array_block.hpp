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
#include <leibniz/tape/elementwise.hpp>
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

/// What a bound value is as a source of the block's entry.
template <class T>
inline constexpr source_kind source_kind_of = is_array<T> ? source_kind::array
                                              : is_var<T> ? source_kind::var
                                                          : source_kind::none;

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

/// What may require grad in a binding: its array or var.
template <class X>
grad_source source_of(const X& x) {
  if constexpr (is_array<X>)
    return {&x, nullptr};
  else if constexpr (is_var<X>)
    return {nullptr, &x};
  else
    return {};
}

/// tape::apply with arrays bound: one entry, each element's value and partials computed in
/// one pass by the static engine's compiled gradient.
template <class E, class... B, std::size_t... J>
array apply_elementwise(std::index_sequence<J...> seq, const E& e, const B&... bindings) {
  using vars = std::tuple<decltype(variable_of(bindings))...>;
  constexpr std::size_t k = sizeof...(B);
  const std::size_t n = common_length(bindings.value...);
  const auto sources = std::make_tuple(elements(bindings.value)...);
  constexpr source_kinds<k> kinds{source_kind_of<decltype(bindings.value)>...};
  const std::array<grad_source, k> grads{source_of(bindings.value)...};
  return record_elementwise<kinds, false>(
      n, grads,
      [&](std::size_t i) {
        return static_cast<double>(
            evaluate(e, element_binding(bindings, std::get<J>(sources), i)...));
      },
      [&](std::size_t i) {
        return block_at<std::tuple_element_t<J, vars>...>(e, sources, i, seq, bindings...);
      },
      block_code_of(e));
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
