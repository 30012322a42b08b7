// leibniz/tape/sweep.hpp
// backward(): the reverse sweep over the tape, a loop from the output's slot down to slot 0
// (no recursion, no call per entry), then the leaves' gradients and the release of the graph.
#pragma once

#include <leibniz/tape/accumulate.hpp>
#include <leibniz/tape/errors.hpp>
#include <leibniz/tape/tape.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace leibniz::tape::detail {

/// Where the records and array descriptors of the entries up to a slot end.
struct cursor {
  std::size_t records;
  std::size_t arrays;
};

/// The cursor just past the entry that owns slot `top` (a walk down from the end of the tape
/// over the entries recorded after it: usually none).
inline cursor cursor_after(const tape_state& t, std::size_t top) {
  cursor c{t.records, t.array_count};
  for (std::size_t k = t.size; k-- > top + 1;) {
    const std::uint32_t arity = arity_of(t.head.data[k]);
    if (arity == array_last) {
      const array_entry& e = t.arrays.data[--c.arrays];
      if (e.out <= top) {  // top lies inside this array entry: its descriptor counts
        ++c.arrays;
        break;
      }
      k = e.out;
    } else if (arity != array_body) {
      c.records -= arity;
    }
  }
  return c;
}

/// The slot the sweep starts from: the last slot of the entry that owns `top`, and the leaf
/// slots right above it. (An entry extended after it was recorded, as an array op taking a
/// temporary's entry over, may have an operand in a leaf registered after it; leaves have no
/// records, so the order of the records holds.)
inline std::size_t entry_end(const tape_state& t, std::size_t top) {
  std::size_t k = top;
  while (k + 1 < t.size && arity_of(t.head.data[k]) == array_body) ++k;
  while (k + 1 < t.size && t.head.data[k + 1] == head_of(leaf_op, 0)) ++k;
  return k;
}

inline void ensure_adjoints(tape_state& t) {
  if (t.adjoint.capacity < t.size) t.adjoint.reallocate(0, t.size);
}

/// adjoint[source...] += partials * adjoint[out...] for one operand of an array entry.
inline void array_operand_backward(double* adjoint, const double* pool, const array_entry& e,
                                   const array_operand& o) {
  double* __restrict target = adjoint + o.source;
  const double* __restrict from = adjoint + e.out;
  const std::size_t n = std::max<std::size_t>(o.length, e.length);
  const double* __restrict p = o.partials == no_partials ? nullptr : pool + o.partials;
  const double c = o.constant;
  if (o.length == e.length) {  // elementwise
    if (p != nullptr)
      for (std::size_t i = 0; i < n; ++i) target[i] += from[i] * p[i];
    else
      for (std::size_t i = 0; i < n; ++i) target[i] += c * from[i];
  } else if (o.length == 1) {  // a broadcast scalar: the sum of what it fed
    if (p != nullptr)
      target[0] += accumulate(n, [&](std::size_t i) { return from[i] * p[i]; });
    else
      target[0] += c * accumulate(n, [&](std::size_t i) { return from[i]; });
  } else {  // a reduction to one slot
    const double a = from[0];
    if (p != nullptr)
      for (std::size_t i = 0; i < n; ++i) target[i] += a * p[i];
    else
      for (std::size_t i = 0; i < n; ++i) target[i] += a * c;
  }
}

/// The reverse sweep from slot `top` (whose adjoints are seeded) down to slot 0: each entry
/// adds its adjoint times each local partial to its operands' adjoints. One loop over the
/// slots, no call per entry, no recursion.
inline void sweep(tape_state& t, std::size_t bottom, std::size_t top, cursor at) {
  double* const adjoint = t.adjoint.data;
  const std::uint32_t* const head = t.head.data;
  const slot_t* const index = t.index.data;
  const double* const partial = t.partial.data;
  std::size_t r = at.records;
  std::size_t a_index = at.arrays;
  for (std::size_t k = top + 1; k-- > bottom;) {
    const std::uint32_t arity = arity_of(head[k]);
    if (arity == 2) {
      r -= 2;
      const double a = adjoint[k];
      adjoint[index[r]] += a * partial[r];
      adjoint[index[r + 1]] += a * partial[r + 1];
    } else if (arity == 1) {
      r -= 1;
      adjoint[index[r]] += adjoint[k] * partial[r];
    } else if (arity == 3) {  // a static block, or a statement of three vars (s += a * b)
      r -= 3;
      const double a = adjoint[k];
      adjoint[index[r]] += a * partial[r];
      adjoint[index[r + 1]] += a * partial[r + 1];
      adjoint[index[r + 2]] += a * partial[r + 2];
    } else if (arity == 0) {
      // A leaf: nothing to pass on, nor from the leaf slots below it (an array leaf's run of
      // slots, passed over in a tight loop instead of one dispatch each).
      if (k > bottom && arity_of(head[k - 1]) == 0) {
        while (k >= bottom + 8) {  // eight heads at a time: a loop the compiler vectorizes
          std::uint32_t arities = 0;
          for (std::size_t j = 1; j <= 8; ++j) arities |= head[k - j] & arity_mask;
          if (arities != 0) break;
          k -= 8;
        }
        while (k > bottom && arity_of(head[k - 1]) == 0) --k;
      }
    } else if (arity == array_last) {
      const array_entry& e = t.arrays.data[--a_index];
      const double* out = adjoint + e.out;
      if (std::any_of(out, out + e.length, [](double v) { return v != 0.0; }))
        for (std::uint32_t j = 0; j < e.operand_count; ++j)
          array_operand_backward(adjoint, t.pool.data, e, t.operands.data[e.first_operand + j]);
      k = e.out;
    } else {
      r -= arity;
      const double a = adjoint[k];
      for (std::size_t j = r; j < r + arity; ++j) adjoint[index[j]] += a * partial[j];
    }
  }
}

/// Marks every slot in [bottom, top] reachable from the slots [first, last] (and clears the
/// reached mark of the others; top is the end of the entry holding last). A walk over the
/// records, without arithmetic.
inline void mark_reachable(tape_state& t, std::size_t first, std::size_t last, std::size_t top,
                           cursor at, std::size_t bottom = 0) {
  std::uint32_t* const marks = t.refs.data;
  for (std::size_t k = bottom; k <= top; ++k) marks[k] &= ~reached_mark;
  for (std::size_t k = first; k <= last; ++k) marks[k] |= reached_mark;
  std::size_t r = at.records;
  std::size_t a_index = at.arrays;
  for (std::size_t k = top + 1; k-- > bottom;) {
    const std::uint32_t arity = arity_of(t.head.data[k]);
    if (arity == array_last) {
      const array_entry& e = t.arrays.data[--a_index];
      bool hit = false;
      for (std::size_t i = e.out; i <= k; ++i) hit = hit || (marks[i] & reached_mark) != 0;
      if (hit) {
        for (std::size_t i = e.out; i <= k; ++i) marks[i] |= reached_mark;
        for (std::uint32_t j = 0; j < e.operand_count; ++j) {
          const array_operand& o = t.operands.data[e.first_operand + j];
          for (std::size_t i = 0; i < o.length; ++i)
            if (o.source + i >= bottom) marks[o.source + i] |= reached_mark;
        }
      }
      k = e.out;
      continue;
    }
    r -= arity;
    if ((marks[k] & reached_mark) != 0)
      for (std::size_t j = r; j < r + arity; ++j)
        if (t.index.data[j] >= bottom) marks[t.index.data[j]] |= reached_mark;
  }
}

/// True when a slot reachable (per the marks) was released by an earlier backward().
inline bool reaches_released(const tape_state& t, std::size_t bottom, std::size_t top) {
  for (std::size_t k = bottom; k <= top; ++k)
    if ((t.refs.data[k] & (reached_mark | released_mark)) == (reached_mark | released_mark))
      return true;
  return false;
}

/// Adds each leaf's adjoint to its gradient (leaves the output does not reach keep theirs,
/// even when it is none: nullopt stays nullopt). `marked` says whether the reached marks are
/// already up to date. Returns how many leaves at the start of the leaf table a reset may keep
/// where they are (leaf_keeping::in_place), found on the way.
inline std::size_t flush_leaves(tape_state& t, std::size_t first, std::size_t last,
                                std::size_t bottom, std::size_t top, cursor at, bool& marked) {
  const double* const adjoint = t.adjoint.data;
  const leaf_ref* const leaves = t.leaves.data;  // (locals: the loop writes doubles only)
  const std::size_t count = t.leaf_count;
  std::size_t in_place = 0;
  std::size_t i = 0;
  if (bottom == 0) {
    // A training loop's leaves, first: kept from the last step where they were (slot i is
    // leaf i), scalar, with a gradient, reached, alive -- so to be kept again in place. A
    // tighter loop than the general one below, which takes over at the first other leaf.
    // (Counts read relaxed: one that drops to 0 after this is one the reset has to be ready
    // for anyway, collect_orphans.)
    const std::size_t end = std::min(count, top + 1);
    for (; i < end; ++i) {
      const leaf_ref ref = leaves[i];
      leaf_cell* const c = ref.cell;
      if (ref.slot != i || ref.length != 1 || c == nullptr || !c->has_grad) [[unlikely]]
        break;
      const double a = adjoint[i];
      if (a == 0.0 || c->refs.load(std::memory_order_relaxed) == 0) [[unlikely]]
        break;
      *c->grads += a;
    }
    in_place = i;
  }
  for (; i < count; ++i) {
    const leaf_ref ref = leaves[i];
    leaf_cell* const c = ref.cell;
    if (c == nullptr || ref.slot > top || ref.slot < bottom) continue;
    if (ref.length == 1 && c->has_grad) [[likely]] {
      // A scalar leaf with a gradient already: reached or not, a zero adjoint leaves it as it
      // is (no need of the marks to tell which). Leaves kept from an earlier recording
      // (keep_reached_leaves) and not used by this one take this way.
      const double a = adjoint[ref.slot];
      if (a != 0.0) {
        *c->grads += a;
        // keep_reached_leaves's test (slot >= bottom here). Relaxed: a count that drops to 0
        // after this is one the reset has to be ready for anyway (collect_orphans).
        if (in_place == i && ref.slot == i && c->refs.load(std::memory_order_relaxed) != 0)
          in_place = i + 1;
      }
      continue;
    }
    const std::size_t n = std::min<std::size_t>(ref.length, top + 1 - ref.slot);
    const double* a = adjoint + ref.slot;
    bool reached = std::any_of(a, a + n, [](double v) { return v != 0.0; });
    if (!reached) {  // a zero adjoint: reached through a zero partial, or not reached at all?
      if (!marked) {
        mark_reachable(t, first, last, top, at, bottom);
        marked = true;
      }
      for (std::size_t j = 0; j < n; ++j)
        reached = reached || (t.refs.data[ref.slot + j] & reached_mark) != 0;
    }
    if (!reached) continue;
    if (c->grads == nullptr) {
      c->grad_storage = std::make_unique<double[]>(c->length);
      c->grads = c->grad_storage.get();
    }
    if (!c->has_grad) {
      std::fill(c->grads, c->grads + c->length, 0.0);
      c->has_grad = true;
    }
    for (std::size_t j = 0; j < n; ++j) c->grads[j] += a[j];
  }
  return in_place;
}

/// True when some slot from `bottom` up has a handle, is not released, and has a zero adjoint
/// (so that only the marks can tell whether the output reached it). Most slots have no handle:
/// their counts are or-ed 64 at a time, and a block is looked at slot by slot only when its or
/// is not 0.
inline bool any_unproven(const tape_state& t, std::size_t bottom) noexcept {
  const std::uint32_t* const refs = t.refs.data;
  const double* const adjoint = t.adjoint.data;
  const auto unproven = [&](std::size_t k) {
    return (refs[k] & count_mask) != 0 && (refs[k] & released_mark) == 0 && adjoint[k] == 0.0;
  };
  std::size_t k = bottom;
  for (; k + 64 <= t.size; k += 64) {
    std::uint32_t any = 0;
    for (std::size_t j = 0; j < 64; ++j) any |= refs[k + j];
    if ((any & count_mask) == 0) continue;
    for (std::size_t j = 0; j < 64; ++j)
      if (unproven(k + j)) return true;
  }
  for (; k < t.size; ++k)
    if (unproven(k)) return true;
  return false;
}

/// What backward() did to the graph.
enum class released { no, marked, reset };

/// Releases the graph of the output. When every var or array still alive refers to an entry
/// the output reaches, nothing on the tape can be used again: the tape is reset (the common
/// case, a training loop). Otherwise the reached entries are marked released.
/// `keep`: the leaves a reset keeps registered for the next recording (backward()'s), or none.
inline released release_graph(tape_state& t, std::size_t first, std::size_t last,
                              std::size_t bottom, std::size_t top, cursor at, bool marked,
                              const leaf_keeping* keep) {
  // A statement alive (tape/statement.hpp) holds slots no handle counts: no reset then.
  // A reset here is a training loop's: all the room the tape grew is its own (no soft_slots).
  if (top + 1 == t.size && !statements_alive(t)) {
    t.soft_slots = ~std::size_t{0};
    // A non-zero adjoint proves a slot reached; a zero one leaves the question to the marks.
    // Adjoints below the sweep's bottom are not set: there any handle is unproven.
    if (!any_handle(t.refs.data, 0, bottom, true) && !any_unproven(t, bottom)) {
      reset(t, keep);
      return released::reset;
    }
  }
  if (!marked) mark_reachable(t, first, last, top, at, bottom);
  if (top + 1 == t.size && !statements_alive(t)) {
    bool all = true;
    for (std::size_t k = 0; k < bottom && all; ++k)  // below the bottom nothing is marked
      all = (t.refs.data[k] & count_mask) == 0 || (t.refs.data[k] & released_mark) != 0;
    for (std::size_t k = bottom; k < t.size && all; ++k)
      all = (t.refs.data[k] & count_mask) == 0 || (t.refs.data[k] & released_mark) != 0 ||
            (t.refs.data[k] & reached_mark) != 0;
    if (all) {
      reset(t, keep);
      return released::reset;
    }
  }
  for (std::size_t k = bottom; k <= top; ++k)
    if ((t.refs.data[k] & reached_mark) != 0 && op_of(t.head.data[k]) != leaf_op)
      t.refs.data[k] |= released_mark;
  t.any_released = true;
  return released::marked;
}

inline constexpr std::size_t no_bottom = static_cast<std::size_t>(-1);

/// The gradient of the output held in slots [first, first + n) (n = 1 for a scalar), with
/// seed adjoints seed[i] (or seed_value for all when seed is null), pulled back to every slot.
/// Throws if the graph was released. Afterwards the adjoints of slots <= top are valid.
struct sweep_request {
  std::size_t first;
  std::size_t length;
  const double* seed;
  double seed_value;
  bool flush;  // add to the leaves' .grad (backward) or not (tape::grad, tape::gradient)
  bool retain_graph;
  // The lowest slot whose adjoint is wanted: the sweep stops there. By default the lowest
  // input (leaf or input of tape::gradient) on the tape: no entry lies below it.
  std::size_t bottom = no_bottom;
};

struct sweep_outcome {
  std::size_t bottom;
  std::size_t top;
  cursor at;
  released release;
  bool marked;
};

inline sweep_outcome backward_sweep(tape_state& t, const sweep_request& q) {
  const std::size_t last = q.first + q.length - 1;
  const std::size_t top = entry_end(t, last);
  const cursor at = cursor_after(t, top);
  // Nothing below the lowest input (a leaf, or an input of tape::gradient) lies on a path to
  // an input: the sweep goes from top down to there, or to the bottom asked for.
  const std::size_t bottom = std::min(q.bottom == no_bottom ? t.lowest_input : q.bottom, q.first);
  bool marked = false;
  if (t.any_released) {
    mark_reachable(t, q.first, last, top, at, bottom);
    marked = true;
    if (reaches_released(t, bottom, top)) throw_released();
  }
  ensure_adjoints(t);
  std::fill(t.adjoint.data + bottom, t.adjoint.data + top + 1, 0.0);
  for (std::size_t i = 0; i < q.length; ++i)
    t.adjoint.data[q.first + i] += q.seed != nullptr ? q.seed[i] * q.seed_value : q.seed_value;
  sweep(t, bottom, top, at);
  leaf_keeping keep{t.adjoint.data, bottom, 0};
  if (q.flush) keep.in_place = flush_leaves(t, q.first, last, bottom, top, at, marked);
  released r = released::no;
  if (!q.retain_graph)
    r = release_graph(t, q.first, last, bottom, top, at, marked, q.flush ? &keep : nullptr);
  return {bottom, top, at, r, marked};
}

}  // namespace leibniz::tape::detail
