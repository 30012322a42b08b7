// leibniz/tape/elementwise.hpp
// One array entry for a whole elementwise computation whose value and partials at element i a
// kernel gives in one pass: an array block (tape::apply with arrays, array_block.hpp) and an
// array statement (array ops, array_statement.hpp) are both recorded here, as an entry of n
// slots, or reduced at once to one slot (sum, mean) without the n slots ever being pushed.
#pragma once

#include <leibniz/tape/accumulate.hpp>
#include <leibniz/tape/array.hpp>
#include <leibniz/tape/tape.hpp>
#include <leibniz/tape/var.hpp>

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace leibniz::tape::detail {

/// An operand of an elementwise entry that may require grad: an array (a partial per
/// element) or a var (broadcast: its record has length 1, the sweep sums what it fed).
/// Neither for a number.
struct grad_source {
  const array* a = nullptr;
  const var* v = nullptr;
  bool requires_grad() const noexcept {
    return a != nullptr ? a->requires_grad() : v != nullptr && v->requires_grad();
  }
};

/// What source j of an elementwise entry can be, known where the entry is written: the
/// loops below are compiled for it (no test per element of what kind a source is).
enum class source_kind : unsigned char { none, array, var };

template <std::size_t K>
using source_kinds = std::array<source_kind, K>;

/// The operand record of a source that requires grad, with `partials` values reserved in the
/// pool (none: no_partials); `scale` is d var / d its slot (1 for an array).
inline array_pending pending_of(tape_state& t, const grad_source& s, std::size_t n,
                                std::size_t partials, double& scale) {
  array_pending o{};
  if (s.a != nullptr) {
    o.source = array_access::resolve(t, *s.a);
    o.length = static_cast<std::uint32_t>(n);
    scale = 1.0;
  } else {
    const slot_scale at = var_access::resolve(t, *s.v);
    o.source = at.slot;
    o.length = 1;
    scale = at.scale;
  }
  o.partials = partials > 0 ? pool_reserve(t, partials) : no_partials;
  return o;
}

template <std::size_t K>
bool any_requires_grad(const std::array<grad_source, K>& sources) {
  for (const grad_source& s : sources)
    if (s.requires_grad()) return true;
  return false;
}

/// The records of the sources that require grad (in ops, m of them), position[j] being
/// source j's index in ops (K if it has none). Arrays get n partials; vars too unless
/// `reduced` (their partials are then summed into the record's constant).
template <std::size_t K>
struct pending_records {
  std::array<array_pending, K> ops{};
  std::array<std::size_t, K> position{};
  std::array<double, K> scale{};
  std::array<double*, K> partial{};
  std::size_t m = 0;

  pending_records(tape_state& t, const std::array<grad_source, K>& sources, std::size_t n,
                  bool reduced) {
    for (std::size_t j = 0; j < K; ++j) {
      position[j] = K;
      scale[j] = 0.0;
      if (!sources[j].requires_grad()) continue;
      position[j] = m;
      const bool summed = reduced && sources[j].a == nullptr;
      ops[m++] = pending_of(t, sources[j], n, summed ? 0 : n, scale[j]);
    }
    // The pool is not reallocated from here on: pointers into it stay valid.
    for (std::size_t j = 0; j < K; ++j)
      partial[j] = position[j] < K && ops[position[j]].partials != no_partials
                       ? t.pool.data + ops[position[j]].partials
                       : nullptr;
  }
  /// Every source that can require grad (an array or a var in Kinds) does: the stores need
  /// no test.
  template <source_kinds<K> Kinds>
  bool all() const noexcept {
    std::size_t capable = 0;
    for (source_kind c : Kinds) capable += c != source_kind::none ? 1 : 0;
    return m == capable;
  }
};

/// An entry of n slots: r[i], d r[i] / d source j = value_and_partials(i).{first, second[j]}.
/// `value(i)` alone when nothing is recorded.
template <auto Kinds, std::size_t K, class Value, class Kernel>
array record_elementwise(std::size_t n, const std::array<grad_source, K>& sources,
                         const Value& value, const Kernel& value_and_partials, op_code_t code) {
  buffer_ref out = buffer_ref::make(n);
  double* const r = out.data();
  tape_state& t = the_tape;
  if (!t.grad_enabled || n == 0 || !any_requires_grad(sources)) {
    for (std::size_t i = 0; i < n; ++i) r[i] = value(i);
    return array_access::constant(std::move(out), 0, n);
  }
  reserve_entry(t, n, 0);  // before the operands are resolved: the tape may be reset here
  pending_records<K> rec(t, sources, n, false);
  // When every capable source requires grad (All) the stores are unconditional and the
  // compiler vectorizes the loop: rosenbrock's block counted 40 k instructions per gradient
  // with a test per store, 20 k without.
  const auto fill = [&]<bool All, std::size_t... J>(std::bool_constant<All>,
                                                    std::index_sequence<J...>) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto [v, d] = value_and_partials(i);
      r[i] = v;
      ((Kinds[J] != source_kind::none && (All || rec.partial[J] != nullptr)
            ? static_cast<void>(rec.partial[J][i] = rec.scale[J] * d[J])
            : static_cast<void>(0)),
       ...);
    }
  };
  if (rec.template all<Kinds>())
    fill(std::true_type{}, std::make_index_sequence<K>{});
  else
    fill(std::false_type{}, std::make_index_sequence<K>{});
  rec.m = merge_array_operands(t, rec.ops.data(), rec.m, n);
  const slot_t slot = push_array_entry(t, code, n, rec.ops.data(), rec.m);
  return array_access::entry(std::move(out), 0, n, slot, code);
}

/// A value and V var partials, summed together by accumulate's eight interleaved totals.
template <std::size_t V>
struct running_totals {
  std::array<double, V + 1> v{};
  running_totals& operator+=(const running_totals& o) noexcept {
    for (std::size_t j = 0; j <= V; ++j) v[j] += o.v[j];
    return *this;
  }
  friend running_totals operator+(running_totals a, const running_totals& b) noexcept {
    return a += b;
  }
};

/// The number of vars among the first J sources.
template <auto Kinds>
constexpr std::size_t vars_before(std::size_t j) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < j; ++i) count += Kinds[i] == source_kind::var ? 1 : 0;
  return count;
}

/// The same computation reduced: (sum of r[i]) / divisor as one entry of one slot, whose
/// operands' partials are those of the elements over divisor (a var's summed into one).
/// sum(x * x) and mean(exp(x)) never push the n slots of the elementwise result.
template <auto Kinds, std::size_t K, class Value, class Kernel>
var reduce_elementwise(std::size_t n, const std::array<grad_source, K>& sources, const Value& value,
                       const Kernel& value_and_partials, op_code_t code, double divisor) {
  tape_state& t = the_tape;
  if (!t.grad_enabled || n == 0 || !any_requires_grad(sources))
    return var(accumulate(n, value) / divisor);
  reserve_entry(t, 1, 0);
  pending_records<K> rec(t, sources, n, true);
  const double scale = 1.0 / divisor;
  std::array<double, K> summed{};
  double total = 0.0;
  if (rec.template all<Kinds>()) {
    // Every source requires grad: arrays' partials stored, vars' summed with the value, no
    // test per element (rosenbrock's sum of a statement: 37 instructions per element with
    // the tests, ... without).
    constexpr std::size_t v = vars_before<Kinds>(K);
    using totals_t = std::conditional_t<v == 0, double, running_totals<v>>;
    const totals_t totals = [&]<std::size_t... J>(std::index_sequence<J...>) {
      return accumulate<totals_t>(n, [&](std::size_t i) {
        const auto [value_i, d] = value_and_partials(i);
        ((Kinds[J] == source_kind::array ? static_cast<void>(rec.partial[J][i] = scale * d[J])
                                         : static_cast<void>(0)),
         ...);
        if constexpr (v == 0) {
          return value_i;
        } else {
          running_totals<v> r;
          r.v[0] = value_i;
          ((Kinds[J] == source_kind::var ? static_cast<void>(r.v[1 + vars_before<Kinds>(J)] = d[J])
                                         : static_cast<void>(0)),
           ...);
          return r;
        }
      });
    }
    (std::make_index_sequence<K>{});
    if constexpr (v == 0) {
      total = totals;
    } else {
      total = totals.v[0];
      for (std::size_t j = 0; j < K; ++j)
        if (Kinds[j] == source_kind::var) summed[j] = totals.v[1 + vars_before<Kinds>(j)];
    }
  } else {
    total = [&]<std::size_t... J>(std::index_sequence<J...>) {
      return accumulate(n, [&](std::size_t i) {
        const auto [value_i, d] = value_and_partials(i);
        ((Kinds[J] == source_kind::none || rec.position[J] == K ? static_cast<void>(0)
          : rec.partial[J] != nullptr ? static_cast<void>(rec.partial[J][i] = scale * d[J])
                                      : static_cast<void>(summed[J] += d[J])),
         ...);
        return value_i;
      });
    }
    (std::make_index_sequence<K>{});
  }
  for (std::size_t j = 0; j < K; ++j)
    if (rec.position[j] < K && rec.partial[j] == nullptr)
      rec.ops[rec.position[j]].constant = scale * rec.scale[j] * summed[j];
  rec.m = merge_array_operands(t, rec.ops.data(), rec.m, 1);
  return push_reduction(t, code, total / divisor, rec.ops.data(), rec.m);
}

}  // namespace leibniz::tape::detail
