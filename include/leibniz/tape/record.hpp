// leibniz/tape/record.hpp
// One tape entry for a whole computation whose local partials are known: tape::record, the
// primitive, and tape::apply, which records a static expression evaluated on vars as one
// entry with partials from the static engine's compiled gradient (a "static block").
#pragma once

#include <leibniz/core/expression.hpp>
#include <leibniz/core/variable.hpp>
#include <leibniz/eval/evaluate.hpp>
#include <leibniz/eval/reverse_sweep.hpp>
#include <leibniz/io/to_string.hpp>
#include <leibniz/tape/errors.hpp>
#include <leibniz/tape/names.hpp>
#include <leibniz/tape/scalar_ops.hpp>
#include <leibniz/tape/tape.hpp>
#include <leibniz/tape/var.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace leibniz::tape {

namespace detail {

/// Records one entry with operands[i] and partials[i] = d value / d operands[i] (operands
/// that require no grad are skipped); `code` names it.
inline var record_entry(double value, std::span<const var> operands,
                        std::span<const double> partials, op_code_t code) {
  if (operands.size() != partials.size())
    throw shape_mismatch("tape::record: " + std::to_string(operands.size()) + " operands but " +
                         std::to_string(partials.size()) +
                         " partials; give one partial derivative per operand");
  tape_state& t = the_tape;
  if (!t.grad_enabled) return var(value);
  reserve_entry(t, 1, operands.size());
  std::size_t m = 0;
  for (const var& x : operands)
    if (x.requires_grad()) {
      (void)var_access::resolve(t, x);  // registers leaves before the entry's records
      ++m;
    }
  if (m == 0) return var(value);
  if (m > max_arity)
    throw error("tape::record: more than 65,533 operands that require grad in one entry");
  ensure_room(t, 1, m);
  const auto k = static_cast<slot_t>(t.size);
  t.head.data[k] = head_of(code, static_cast<std::uint32_t>(m));
  t.refs.data[k] = 1;
  std::size_t r = t.records;
  for (std::size_t i = 0; i < operands.size(); ++i) {
    if (!operands[i].requires_grad()) continue;
    const slot_scale at = var_access::resolve(t, operands[i]);
    t.index.data[r] = at.slot;
    t.partial.data[r] = partials[i] * at.scale;
    ++r;
  }
  t.records = r;
  t.size = k + 1;
  update_limit(t);
  return var_access::fresh(value, k, code);
}

/// The same variable bound to the number v.
template <fixed_string N, class T>
LEIBNIZ_INLINE auto rebound(const binding<N, T>&, double v) {
  return binding<N, double>{v};
}

/// The same variable bound to the value of what b binds.
template <fixed_string N, class T>
auto numeric_binding(const binding<N, T>& b) {
  return rebound(b, value_of(b.value));
}

/// The same for a binding whose var, if any, is a result of this generation: its value is
/// read without asking what kind of var it is.
template <fixed_string N, class T>
LEIBNIZ_INLINE auto entry_binding(const binding<N, T>& b) {
  if constexpr (is_var<T>)
    return rebound(b, var_access::entry_value(b.value));
  else
    return rebound(b, value_of(b.value));
}

template <fixed_string N, class T>
variable<N> variable_of(const binding<N, T>&);

template <class T>
var as_var(const T& value) {
  if constexpr (is_var<T>)
    return value;
  else
    return var(value_of(value));
}

template <class T>
LEIBNIZ_INLINE bool is_current_or_number(const tape_state& t, const T& bound) noexcept {
  if constexpr (is_var<T>)
    return var_access::is_current(t, bound);
  else
    return true;
}

/// Ends the entry of a static block whose m records were written at t.records: its slot.
/// `Reserved`: reserve_block(t, Reserved) passed with nothing taken from the tape since (no
/// leaf registered), so the limit is above (Reserved - 1) / 2 and lowering it by that, at
/// compile time, keeps it conservative (m <= Reserved); else lower_limit.
template <std::size_t Reserved = 0>
LEIBNIZ_INLINE var push_block_head(tape_state& t, double value, op_code_t code, std::uint32_t m) {
  const auto k = static_cast<slot_t>(t.size);
  t.head.data[k] = head_of(code, m);
  t.refs.data[k] = 1;
  t.records += m;
  t.size = k + std::size_t{1};
  if constexpr (Reserved > 0) {
    if constexpr (Reserved > 2) t.limit -= (Reserved - 1) / 2;
  } else {
    lower_limit(t, m);
  }
  return var_access::fresh(value, k, code);
}

/// Writes a static block's records at t.records, one per bound var that requires grad (with
/// partials[i] times its scale); returns how many. `Current`: every var is a result of this
/// generation (is_current_or_number), so each one requires grad and needs no resolving.
template <bool Current, std::size_t N, class... V>
LEIBNIZ_INLINE std::uint32_t write_block_records(tape_state& t,
                                                 const std::array<double, N>& partials,
                                                 const V&... bound) {
  slot_t* const index = t.index.data + t.records;
  double* const partial = t.partial.data + t.records;
  std::uint32_t m = 0;
  std::size_t i = 0;
  (
      [&](const auto& b) {
        if constexpr (is_var<decltype(b)>) {
          if (Current || b.requires_grad()) {
            const slot_scale at = Current ? var_access::current(b) : var_access::resolve(t, b);
            index[m] = at.slot;
            partial[m] = partials[i] * at.scale;
            ++m;
          }
        }
        ++i;
      }(bound),
      ...);
  return m;
}

/// The entry of a static block whose var operands are all results of this generation
/// (is_current_or_number: a loop's running value, an input of tape::gradient): no leaf to
/// register, and each one requires grad. Room was reserved.
template <std::size_t N, class... V>
LEIBNIZ_INLINE var record_current_block(tape_state& t, double value,
                                        const std::array<double, N>& partials, op_code_t code,
                                        const V&... bound) {
  return push_block_head<sizeof...(V)>(t, value, code,
                                       write_block_records<true>(t, partials, bound...));
}

/// One entry for a static block: its operands are the bound values that are vars requiring
/// grad (numbers are constants of the block), with the partials of the compiled gradient.
/// Leaves are registered first (a registration takes slots, and keeps room for two records
/// only); then the records are written straight into the tape. Room was reserved.
template <std::size_t N, class... V>
LEIBNIZ_INLINE var record_block(tape_state& t, double value, const std::array<double, N>& partials,
                                op_code_t code, const V&... bound) {
  static_assert(N > 0);
  bool registered = false;
  (
      [&](const auto& b) {
        if constexpr (is_var<decltype(b)>) {
          if (var_access::is_leaf_cell(b)) {
            const std::size_t size = t.size;
            (void)leaf_slot(t, var_access::cell(b));
            registered = registered || t.size != size;
          }
        }
      }(bound),
      ...);
  if (registered) [[unlikely]]
    ensure_room(t, 1, N);
  return push_block_head(t, value, code, write_block_records<false>(t, partials, bound...));
}

/// The value of a static block and its partials with respect to Vars, from one forward pass
/// (every value: the root's needs them all) and one reverse pass: the static engine's
/// compiled gradient (eval/reverse_sweep.hpp), run here so that the values it shares with the
/// block's value (exp(a) in s + exp(a)) are computed once, not once by evaluate and again by
/// compiled_gradient.
template <class... Vars, class E, class... B>
LEIBNIZ_INLINE auto block_value_and_partials(const E& e, const B&... bindings) {
  namespace engine = ::leibniz::detail;
  constexpr std::size_t n = sizeof...(Vars);
  const auto separately = [&] {
    return std::pair{static_cast<double>(evaluate(e, bindings...)),
                     engine::compiled_gradient<Vars...>(e, bindings...)};
  };
  if constexpr (TypeConstant<E>) {
    return separately();
  } else {
    const std::tuple<const E&> roots{e};
    auto forward = engine::make_forward<double>(roots, bindings...);
    using pass = decltype(forward);
    using list = typename pass::list;
    using sweep = engine::reverse_pass<pass, Vars...>;
    constexpr std::size_t root = pass::template root_slot<0>;
    if constexpr (engine::has_reduction<list> || root != pass::size - 1) {
      return separately();
    } else {
      forward.run();  // every value: the root's needs them all
      sweep reverse{forward};
      reverse.adjoint[root] = 1.0;
      reverse.run();
      return std::pair{forward.v[root],
                       std::array<double, n>{reverse.template gradient_for<Vars>()...}};
    }
  }
}

/// The name of a static block: its expression, when the type alone says what it is.
template <class E>
LEIBNIZ_INLINE op_code_t block_code_of(const E& e) {
  if constexpr (is_exact_type<E>) {
    static const op_code_t code = intern(to_string(e).view());
    return code;
  } else {
    return block_code;
  }
}

/// A bound value read without registering anything (so without any error possible): a number,
/// a var that requires no grad, a result of this recording or a leaf already registered in it
/// (var_access::quick). `recorded`: it is an operand of the entry.
struct bound_view {
  double value;
  slot_scale at;
  bool recorded;
};

template <class T>
LEIBNIZ_INLINE bool view_bound(const tape_state& t, const T& bound, bound_view& out) noexcept {
  if constexpr (is_var<T>) {
    operand_view v;
    if (var_access::quick(t, bound, v)) {
      out = {v.value, v.at, true};
      return true;
    }
    if (bound.requires_grad()) return false;
    out = {bound.value(), {}, false};
    return true;
  } else {
    out = {value_of(bound), {}, false};
    return true;
  }
}

/// Views every bound value (view_bound); false if some var needs the general path.
template <std::size_t... I, class... B>
LEIBNIZ_INLINE bool view_all(const tape_state& t, std::array<bound_view, sizeof...(B)>& views,
                             std::index_sequence<I...>, const B&... bindings) noexcept {
  return (view_bound(t, bindings.value, views[I]) && ...);
}

/// True when some viewed bound value is an operand of the entry.
template <std::size_t... I, class... B>
LEIBNIZ_INLINE bool any_recorded(const std::array<bound_view, sizeof...(B)>& views,
                                 std::index_sequence<I...>, const B&...) noexcept {
  return ((is_var<std::remove_cvref_t<decltype(B::value)>> && views[I].recorded) || ...);
}

/// The record of the I-th bound value of a static block, if it is a var viewed as an operand.
template <std::size_t I, class Bound, std::size_t N>
LEIBNIZ_INLINE void write_viewed_record(slot_t* index, double* partial, std::uint32_t& m,
                                        const std::array<bound_view, N>& views,
                                        const std::array<double, N>& partials) {
  if constexpr (is_var<Bound>) {
    if (views[I].recorded) {
      index[m] = views[I].at.slot;
      partial[m] = partials[I] * views[I].at.scale;
      ++m;
    }
  }
}

/// The entry of a static block whose bound values were all viewed (view_bound): the value
/// and partials from the views' values, one record per recorded view. Room was reserved.
template <class E, class... B, std::size_t... I>
LEIBNIZ_INLINE var record_viewed_block(tape_state& t, const E& e,
                                       const std::array<bound_view, sizeof...(B)>& views,
                                       std::index_sequence<I...>, const B&... bindings) {
  const auto [value, partials] = block_value_and_partials<decltype(variable_of(bindings))...>(
      e, rebound(bindings, views[I].value)...);
  std::uint32_t m = 0;
  (write_viewed_record<I, std::remove_cvref_t<decltype(bindings.value)>>(
       t.index.data + t.records, t.partial.data + t.records, m, views, partials),
   ...);
  return push_block_head<sizeof...(B)>(t, value, block_code_of(e), m);
}

}  // namespace detail

/// Records one entry whose value and local partial derivatives the caller computed:
/// partials[i] = d value / d operands[i]. The building block of static blocks, custom ops and
/// checkpoints. `name` is what grad_fn() and to_dot() show.
inline var record(double value, std::span<const var> operands, std::span<const double> partials,
                  std::string_view name = "block") {
  return detail::record_entry(value, operands, partials, detail::intern(name));
}

/// A static expression evaluated at vars, recorded as one entry (a static block): its value,
/// and its gradient from the static engine as the entry's local partials. Far fewer entries
/// than evaluating it op by op, `e(x = v)`, and the same gradient.
///
///     auto y = tape::apply(x * x + sin(x * y), x = a, y = b);   // a, b: tape::var
template <Expression E, class... B>
LEIBNIZ_INLINE var apply(const E& e, const B&... bindings) {
  static_assert((is_binding<B> && ...),
                "leibniz: tape::apply(e, x = v, ...) takes the expression and one binding per "
                "variable, e.g. tape::apply(x * y, x = a, y = b)");
  if constexpr ((is_binding<B> && ...)) {
    detail::tape_state& t = detail::the_tape;
    constexpr bool any_var = (detail::is_var<decltype(bindings.value)> || ...);
    // Room first, before the operands are resolved (the tape may be reset here), and grad
    // mode, in one comparison.
    if (any_var && detail::reserve_block(t, sizeof...(B))) [[likely]] {
      if ((detail::is_current_or_number(t, bindings.value) && ...)) [[likely]] {
        const auto [value, partials] =
            detail::block_value_and_partials<decltype(detail::variable_of(bindings))...>(
                e, detail::entry_binding(bindings)...);
        return detail::record_current_block(t, value, partials, detail::block_code_of(e),
                                            bindings.value...);
      }
      // Leaves already registered (a training loop's parameters), vars that require no grad.
      std::array<detail::bound_view, sizeof...(B)> views;
      if (detail::view_all(t, views, std::index_sequence_for<B...>{}, bindings...)) {
        if (detail::any_recorded(views, std::index_sequence_for<B...>{}, bindings...))
          return detail::record_viewed_block(t, e, views, std::index_sequence_for<B...>{},
                                             bindings...);
        return var(static_cast<double>(evaluate(e, detail::numeric_binding(bindings)...)));
      }
      if ((detail::grad_of(bindings.value) || ...)) {
        const auto [value, partials] =
            detail::block_value_and_partials<decltype(detail::variable_of(bindings))...>(
                e, detail::numeric_binding(bindings)...);
        return detail::record_block(t, value, partials, detail::block_code_of(e),
                                    bindings.value...);
      }
    }
    return var(static_cast<double>(evaluate(e, detail::numeric_binding(bindings)...)));
  } else {
    return var();
  }
}
}  // namespace leibniz::tape
