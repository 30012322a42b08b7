// leibniz/tape/elementwise.hpp
// One array entry for a whole elementwise computation whose value and partials at element i a
// kernel gives in one pass: an array block (tape::apply with arrays, array_block.hpp) and an
// array statement (array ops, array_statement.hpp) are both recorded here, as an entry of n
// slots, or reduced at once to one slot (sum, mean) without the n slots ever being pushed.
#pragma once

#include <leibniz/config.hpp>
#include <leibniz/tape/accumulate.hpp>
#include <leibniz/tape/array.hpp>
#include <leibniz/tape/tape.hpp>
#include <leibniz/tape/var.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>
#include <vector>

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
/// `uniform`: an array or a var whose partial is the same at every element (the mu of
/// `(y - mu) / sigma`, d/d mu = -1/sigma): its record holds that one number, computed at
/// element 0, and the loops store nothing for it.
enum class source_kind : unsigned char { none, array, var, uniform };

template <std::size_t K>
using source_kinds = std::array<source_kind, K>;

/// True for the sources whose partials the loops store, element by element.
constexpr bool per_element(source_kind k) noexcept {
  return k == source_kind::array || k == source_kind::var;
}

template <auto Kinds>
inline constexpr bool any_uniform = [] {
  for (source_kind k : Kinds)
    if (k == source_kind::uniform) return true;
  return false;
}();

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

/// Scratch memory of one thread, reused (no allocation once it has grown to the largest n):
/// where the loops below put what they compute but nobody needs, and a reduction's columns.
inline double* elementwise_scratch(std::size_t size) {
  thread_local std::vector<double> scratch;
  if (scratch.size() < size) scratch.resize(size);
  return scratch.data();
}

/// How many sources can require grad (arrays and vars).
template <auto Kinds>
inline constexpr std::size_t capable_sources = [] {
  std::size_t count = 0;
  for (source_kind k : Kinds) count += k != source_kind::none ? 1 : 0;
  return count;
}();

/// The records of the sources that require grad (in ops, m of them), position[j] being
/// source j's index in ops (K if it has none). Arrays get n partials; vars too unless
/// `reduced` (their partials are then summed into the record's constant); uniform sources
/// none (their record's constant is set after, from element 0). partial[j] is
/// where the loop stores source j's partials: into the pool, or, for a source that requires
/// no grad, into `unused` (n doubles of scratch): the loop then stores without a test per
/// element, and the compiler vectorizes it.
///
/// An array that occurs more than once (`a * a` inside a statement, rosenbrock's `head`
/// three times) is one record: its occurrences share one array of partials (`repeated`), the
/// first occurrence storing, the others adding to what it stored (`first`). Merged after the
/// loop instead, each repetition cost a pass over n partials: a fifth of rosenbrock's array
/// gradient; zeroed before the loop and added into by all, a pass each still (memset was a
/// tenth of rosenbrock's array gradient).
template <std::size_t K>
struct pending_records {
  std::array<array_pending, K> ops{};
  std::array<std::size_t, K> position{};
  std::array<double, K> scale{};
  std::array<double*, K> partial{};
  std::array<bool, K> first{};  // source j's partials are stored, not added (see `store`)
  std::size_t m = 0;
  bool repeated = false;

  pending_records(tape_state& t, const std::array<grad_source, K>& sources,
                  const source_kinds<K>& kinds, std::size_t n, bool reduced, double* unused,
                  bool share) {
    std::array<bool, K> shared_array{};  // ops[q] is an array's record, partials in the pool
    for (std::size_t j = 0; j < K; ++j) {
      position[j] = K;
      scale[j] = 0.0;
      first[j] = true;
      if (!sources[j].requires_grad()) continue;
      const bool is_array = sources[j].a != nullptr;
      const bool uniform = kinds[j] == source_kind::uniform;
      const bool summed = reduced && !is_array;
      array_pending o = pending_of(t, sources[j], n, 0, scale[j]);
      // (A uniform occurrence keeps a record of its own: merge_array_operands adds its one
      // partial into the others' after the loop.)
      const bool shares = share && is_array && !uniform;
      std::size_t q = 0;
      while (shares && q < m &&
             !(shared_array[q] && ops[q].source == o.source && ops[q].length == o.length))
        ++q;
      if (shares && q < m) {
        position[j] = q;
        first[j] = false;
        repeated = true;
        continue;
      }
      if (!summed && !uniform) o.partials = pool_reserve(t, n);
      shared_array[m] = is_array && !uniform;
      position[j] = m;
      ops[m++] = o;
    }
    // The pool is not reallocated from here on: pointers into it stay valid.
    for (std::size_t j = 0; j < K; ++j)
      partial[j] = position[j] < K && ops[position[j]].partials != no_partials
                       ? t.pool.data + ops[position[j]].partials
                       : unused;
  }
};

/// Stores source J's partial at element i, or adds it to an earlier occurrence's (`Add`: the
/// kernel variant for statements with a repeated array). A select, not a branch: vectorized.
template <bool Add>
LEIBNIZ_INLINE void store(double* partial, std::size_t i, double value, bool first) {
  if constexpr (Add)
    partial[i] = first ? value : partial[i] + value;
  else
    partial[i] = value;
}

// The loops below read the kernel's result, the partials' pointers and the scales from local
// copies, and are marked LEIBNIZ_INDEPENDENT_ITERATIONS: read where they are (`rec`), the
// pointers may alias the doubles the loop stores, and g++ reloaded them at every element and
// did not vectorize; nor did it with many operands (too many pairs of pointers to check).
// Rosenbrock's array statements counted 68 k instructions per gradient before, 42 k after.
// `local_kernel`: the loops call a copy of the kernel made in the function. A statement's
// kernel holds its view (pointers, and the values of its vars); read through the caller's
// copy, which a store of a double may alias, they were reloaded at every element:
// normal_lpdf's `(y - mu) / sigma` divided 1 by sigma at every element (1.6 -> 2.3 us).

/// Sets the record of each uniform source that requires grad: its partial at element 0 (the
/// same at every element) times `scale`, and, for a var of a reduction (`n` elements summed
/// into one slot), times n.
template <auto Kinds, std::size_t K, class Kernel>
void set_uniform_partials(pending_records<K>& rec, const Kernel& value_and_partials, double scale,
                          std::size_t n) {
  const auto d = value_and_partials(0).second;
  for (std::size_t j = 0; j < K; ++j) {
    if (Kinds[j] != source_kind::uniform || rec.position[j] == K) continue;
    array_pending& o = rec.ops[rec.position[j]];
    const double summed = o.length == 1 ? static_cast<double>(n) : 1.0;
    o.constant = scale * rec.scale[j] * d[j] * summed;
  }
}

/// An entry of n slots: r[i], d r[i] / d source j = value_and_partials(i).{first, second[j]}.
/// `value(i)` alone when nothing is recorded.
template <auto Kinds, bool Share, std::size_t K, class Value, class Kernel>
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
  double* const unused = elementwise_scratch(n);
  pending_records<K> rec(t, sources, Kinds, n, false, unused, Share);
  if constexpr (any_uniform<Kinds>) set_uniform_partials<Kinds>(rec, value_and_partials, 1.0, 1);
  bool all_require_grad = true;
  for (std::size_t j = 0; j < K; ++j)
    if (per_element(Kinds[j]) && !sources[j].requires_grad()) all_require_grad = false;
  const std::array<double*, K> partial = rec.partial;
  const std::array<double, K> scale = rec.scale;
  const std::array<bool, K> first = rec.first;
  const Kernel kernel = value_and_partials;  // see `local_kernel`
  const auto at = [&]<bool All, bool Add, std::size_t... J>(
      std::bool_constant<All>, std::bool_constant<Add>, std::size_t i, std::index_sequence<J...>)
      LEIBNIZ_INLINE_LAMBDA {
    const auto [v, d] = kernel(i);
    r[i] = v;
    ((per_element(Kinds[J]) && (All || partial[J] != unused)
          ? store<Add>(partial[J], i, scale[J] * d[J], first[J])
          : static_cast<void>(0)),
     ...);
  };
  constexpr auto sources_seq = std::make_index_sequence<K>{};
  const auto fill = [&]<bool Add>(std::bool_constant<Add> add) LEIBNIZ_INLINE_LAMBDA {
    if (all_require_grad) {
      LEIBNIZ_INDEPENDENT_ITERATIONS
      for (std::size_t i = 0; i < n; ++i) at(std::true_type{}, add, i, sources_seq);
    } else {
      // Some source requires no grad: a test per store, in a plain loop. Storing its
      // partials to scratch instead, vectorized, counted more (normal_lpdf's block: 13.7 k
      // instructions against 10.3 k).
      for (std::size_t i = 0; i < n; ++i) at(std::false_type{}, add, i, sources_seq);
    }
  };
  // Only statements share: an array block's kernel (the static engine) is inlined into one
  // loop, not two (inlined into both, g++ ran out of inlining budget: rosenbrock's block
  // went from 20 k to 52 k instructions); a block knows each variable once anyway.
  const bool add = Share && rec.repeated;
  if constexpr (Share) {
    if (add) fill(std::true_type{});
  }
  if (!add) fill(std::false_type{});
  rec.m = merge_array_operands(t, rec.ops.data(), rec.m, n);
  const slot_t slot = push_array_entry(t, code, n, rec.ops.data(), rec.m);
  return array_access::entry(std::move(out), 0, n, slot, code);
}

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
template <auto Kinds, bool Share, std::size_t K, class Value, class Kernel>
var reduce_elementwise(std::size_t n, const std::array<grad_source, K>& sources, const Value& value,
                       const Kernel& value_and_partials, op_code_t code, double divisor) {
  tape_state& t = the_tape;
  if (!t.grad_enabled || n == 0 || !any_requires_grad(sources))
    return var(accumulate(n, value) / divisor);
  reserve_entry(t, 1, 0);
  // Two passes: the loop stores the arrays' partials and puts each element's value and the
  // vars' partials in scratch columns, then each column is summed (eight interleaved totals).
  // With the sums inside the loop, it was not vectorized.
  constexpr std::size_t v = vars_before<Kinds>(K);
  double* const column = elementwise_scratch((v + 2) * n);
  pending_records<K> rec(t, sources, Kinds, n, true, column + (v + 1) * n, Share);
  const double scale = 1.0 / divisor;
  if constexpr (any_uniform<Kinds>) set_uniform_partials<Kinds>(rec, value_and_partials, scale, n);
  const auto fill = [&]<bool Add, std::size_t... J>(
      std::bool_constant<Add>, std::index_sequence<J...>) LEIBNIZ_INLINE_LAMBDA {
    const std::array<double*, K> partial = rec.partial;
    const std::array<bool, K> first = rec.first;
    const Kernel kernel = value_and_partials;  // see `local_kernel`
    LEIBNIZ_INDEPENDENT_ITERATIONS
    for (std::size_t i = 0; i < n; ++i) {
      const auto [value_i, d] = kernel(i);
      column[i] = value_i;
      ((Kinds[J] == source_kind::array ? store<Add>(partial[J], i, scale * d[J], first[J])
        : Kinds[J] == source_kind::var
            ? static_cast<void>(column[(1 + vars_before<Kinds>(J)) * n + i] = d[J])
            : static_cast<void>(0)),
       ...);
    }
  };
  const bool add = Share && rec.repeated;
  if constexpr (Share) {
    if (add) fill(std::true_type{}, std::make_index_sequence<K>{});
  }
  if (!add) fill(std::false_type{}, std::make_index_sequence<K>{});
  const auto column_sum = [&](std::size_t c) {
    const double* p = column + c * n;
    return accumulate(n, [p](std::size_t i) { return p[i]; });
  };
  for (std::size_t j = 0; j < K; ++j)
    if (Kinds[j] == source_kind::var && rec.position[j] < K)
      rec.ops[rec.position[j]].constant =
          scale * rec.scale[j] * column_sum(1 + vars_before<Kinds>(j));
  const double total = column_sum(0);
  rec.m = merge_array_operands(t, rec.ops.data(), rec.m, 1);
  return push_reduction(t, code, total / divisor, rec.ops.data(), rec.m);
}

}  // namespace leibniz::tape::detail
