// leibniz/tape/sum_block.hpp
// tape::apply of a static expression that sums over data (`sum(i < size(x), ...)`, with
// leibniz::vector variables): the whole loop recorded as one entry (a "sum block"). Vectors
// are bound to tape arrays (operands whose gradient is wanted) or to plain data; scalar
// variables to vars or numbers. Static mode's compiled gradient computes the value and every
// partial in one pass over the data, writing the partials with respect to each array straight
// into the tape's pool.
#pragma once

#include <leibniz/core/expression.hpp>
#include <leibniz/core/variable.hpp>
#include <leibniz/core/vector.hpp>
#include <leibniz/eval/evaluate.hpp>
#include <leibniz/eval/reverse_sweep.hpp>
#include <leibniz/tape/array.hpp>
#include <leibniz/tape/record.hpp>
#include <leibniz/tape/tape.hpp>
#include <leibniz/tape/var.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>

namespace leibniz::tape {

namespace detail {

/// Whether some binding binds a leibniz::vector: tape::apply then records a sum over data.
template <class... B>
inline constexpr bool binds_a_vector = (is_vector_binding<B> || ...);

/// A vector bound to a tape::array: an operand that may require grad.
template <class B>
consteval bool binds_an_array_to_a_vector_f() {
  if constexpr (is_vector_handle_binding<B>)
    return is_array<std::remove_cvref_t<decltype(*std::declval<const B&>().handle)>>;
  else
    return false;
}
template <class B>
inline constexpr bool binds_an_array_to_a_vector = binds_an_array_to_a_vector_f<B>();

/// A scalar variable bound to a var: an operand that may require grad.
template <class B>
consteval bool binds_a_var_f() {
  if constexpr (is_binding<B>)
    return is_var<decltype(std::declval<B>().value)>;
  else
    return false;
}
template <class B>
inline constexpr bool binds_a_var = binds_a_var_f<B>();

/// What a sum block takes: vectors bound to arrays or data, scalars bound to vars or numbers.
template <class B>
consteval bool sum_block_binding_f() {
  if constexpr (is_vector_handle_binding<B>)
    return binds_an_array_to_a_vector<B>;
  else if constexpr (is_binding<B>)
    return scalar_operand<decltype(std::declval<B>().value)>;
  else
    return is_vector_binding<B>;
}
template <class B>
inline constexpr bool sum_block_binding = sum_block_binding_f<B>();

/// The variable of a vector's binding (beside variable_of for a scalar's, in record.hpp).
template <fixed_string N, class A>
vector<N> variable_of(const vector_handle_binding<N, A>&);

/// The binding the static engine evaluates: numbers for vars, the numbers of an array.
template <class B>
LEIBNIZ_INLINE auto static_binding(const B& b) {
  if constexpr (is_vector_handle_binding<B>)
    return vector_binding<decltype(variable_of(b))::symbol, double>{b.value};
  else if constexpr (is_vector_binding<B>)
    return b;
  else
    return numeric_binding(b);
}

/// The variables whose partials the block computes: the var bindings' variables, and with
/// Arrays the vectors bound to arrays (their partials go into the pool).
template <bool Arrays, class B>
auto operand_variable() {
  if constexpr ((Arrays && binds_an_array_to_a_vector<B>) || binds_a_var<B>)
    return std::tuple<decltype(variable_of(std::declval<B>()))>{};
  else
    return std::tuple<>{};
}

template <class B>
LEIBNIZ_INLINE bool array_requires_grad(const B& b) {
  if constexpr (binds_an_array_to_a_vector<B>)
    return b.handle->requires_grad();
  else
    return false;
}

template <class B>
LEIBNIZ_INLINE bool binding_requires_grad(const B& b) {
  if constexpr (binds_a_var<B>)
    return b.value.requires_grad();
  else
    return array_requires_grad(b);
}

/// `into(x) = the pool's n partials` for an array binding; nothing for the others.
template <class B>
auto pool_output(const B& b, double* partials) {
  if constexpr (binds_an_array_to_a_vector<B>)
    return std::tuple{gradient_output<decltype(variable_of(b))::symbol, double>{
        std::span<double>(partials, b.handle->size())}};
  else
    return std::tuple<>{};
}

/// The value and the partials, from static mode's compiled gradient. Out of line: inlined into
/// apply_sum, g++ 12 compiled rosenbrock's loop to take twice as long (2.9 us against 1.4 us
/// per call at n = 1000).
template <class... Vars, class E, class... S>
LEIBNIZ_OUT_OF_LINE auto sum_value_and_partials(std::tuple<Vars...>*, const E& e,
                                                const std::tuple<S...>& bindings) {
  return std::apply(
      [&](const auto&... b) {
        return ::leibniz::detail::compiled_value_and_gradient<true, Vars...>(e, b...);
      },
      bindings);
}

/// tape::apply with a leibniz::vector bound: the value and partials of the whole expression,
/// one reduction entry whose operands are the arrays (n partials each) and vars (one each)
/// that require grad.
template <class E, class... B, std::size_t... J>
var apply_sum(std::index_sequence<J...>, const E& e, const B&... bindings) {
  constexpr std::size_t k = sizeof...(B);
  tape_state& t = the_tape;
  if (!t.grad_enabled || !(binding_requires_grad(bindings) || ...))
    return var(static_cast<double>(evaluate(e, static_binding(bindings)...)));
  reserve_entry(t, 1, 0);  // before the operands are resolved: the tape may be reset here
  // With an array that requires grad, the pool holds the partials of every array bound (those
  // of arrays that require no grad are computed and not recorded); otherwise the arrays are
  // data, and the compiled gradient is the one with respect to the vars alone (normal_lpdf's
  // data would cost n partials for nothing). Vars get one partial each, from the returned array.
  constexpr bool any_array = (binds_an_array_to_a_vector<B> || ...);
  const bool arrays = (array_requires_grad(bindings) || ...);
  std::array<std::size_t, k> offset{};
  if (arrays)
    (
        [&] {
          if constexpr (binds_an_array_to_a_vector<B>)
            offset[J] = pool_reserve(t, bindings.handle->size());
        }(),
        ...);
  // Operand j's record, if bound value j requires grad (leaves are registered here).
  std::array<array_pending, k> ops{};
  std::array<double, k> scale{};
  std::array<std::size_t, k> position{};
  std::size_t m = 0;
  (
      [&] {
        position[J] = k;
        if constexpr (binds_an_array_to_a_vector<B>) {
          const array& x = *bindings.handle;
          if (x.requires_grad() && !x.empty()) {
            position[J] = m;
            ops[m++] = {array_access::resolve(t, x), static_cast<std::uint32_t>(x.size()),
                        offset[J], 0.0};
          }
        } else if constexpr (binds_a_var<B>) {
          if (bindings.value.requires_grad()) {
            const slot_scale at = var_access::resolve(t, bindings.value);
            position[J] = m;
            scale[J] = at.scale;
            ops[m++] = {at.slot, 1, no_partials, 0.0};
          }
        }
      }(),
      ...);
  // The pool is not reallocated from here on: pointers into it stay valid.
  const auto computed = [&] {
    if constexpr (any_array) {
      if (arrays) {
        using vars = decltype(std::tuple_cat(operand_variable<true, B>()...));
        return sum_value_and_partials(
            static_cast<vars*>(nullptr), e,
            std::tuple_cat(std::tuple{static_binding(bindings)}...,
                           pool_output(bindings, t.pool.data + offset[J])...));
      }
    }
    using vars = decltype(std::tuple_cat(operand_variable<false, B>()...));
    return sum_value_and_partials(static_cast<vars*>(nullptr), e,
                                  std::tuple{static_binding(bindings)...});
  }();
  // Not a structured binding: clang 14 cannot capture one in the lambda below.
  const double value = computed.first;
  const auto& partials = computed.second;
  // The scalar partials come in the order the var bindings are given.
  std::size_t scalar = 0;
  (
      [&] {
        if constexpr (binds_a_var<B>) {
          if (position[J] < k) ops[position[J]].constant = scale[J] * partials[scalar];
          ++scalar;
        }
      }(),
      ...);
  m = merge_array_operands(t, ops.data(), m, 1);
  const op_code_t code = block_code_of(e);
  return push_reduction(t, code, value, ops.data(), m);
}

}  // namespace detail

/// A static expression that sums over data, recorded as one entry (a sum block): its vectors
/// bound to tape arrays, whose gradient is recorded, or to data; its scalar variables to vars
/// or numbers. Static mode's compiled gradient computes the value and all the partials in one
/// pass over the data: the fastest way to put a loss over data on the tape.
///
///     constexpr leibniz::vector<"x"> x;
///     auto loss = leibniz::sum(i < size(x), w * (x[i] - y[i]) * (x[i] - y[i]));
///     var l = tape::apply(loss, x = a, y = data, w = v);   // a: tape::array, v: var
template <Expression E, class... B>
requires(detail::binds_a_vector<B...>) var apply(const E& e, const B&... bindings) {
  constexpr bool valid = (detail::sum_block_binding<B> && ...);
  static_assert(valid,
                "leibniz: tape::apply of a sum over data binds each leibniz::vector to a "
                "tape::array or to data, and each scalar variable to a var or a number; an "
                "array bound to a scalar variable makes tape::apply elementwise, which does not "
                "mix with vectors");
  if constexpr (valid)
    return detail::apply_sum(std::index_sequence_for<B...>{}, e, bindings...);
  else
    return var();
}

}  // namespace leibniz::tape
