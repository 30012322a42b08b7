// leibniz/tape/tape.hpp
// The tape of one thread: a flat arena in topological order, as a structure of arrays, and
// the leaf cells that hold the gradients surviving it. Nothing here is shared between threads
// but the leaf cells, whose ownership is counted atomically.
#pragma once

#include <leibniz/config.hpp>
#include <leibniz/tape/buffer.hpp>
#include <leibniz/tape/errors.hpp>
#include <leibniz/tape/names.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <utility>
#include <vector>

namespace leibniz::tape::detail {

// The layout. A tape holds *slots*, each one adjoint during backward(): a scalar op's result
// takes one slot, an array op's result one slot per element, a leaf one slot per element.
//   head[slot]      op code << 16 | arity: how many operand records the slot's entry has
//                   (array_last on the last slot of an array entry, array_body on the others)
//   index[record]   the slot of an operand                      } one record per operand of a
//   partial[record] d entry / d operand at the recorded point   } scalar entry, in slot order
//   adjoint[slot]   d output / d slot, during backward() only
//   refs[slot]      how many vars or arrays refer to the slot, and two marks (below)
// A scalar binary op costs 4 + 4 + 2 * (4 + 8) + 8 = 40 bytes. An array op keeps a small
// descriptor and its per-element partials (when they are not one constant) in a pool.
//
// Lifetimes. The tape is reset (emptied, its memory kept) when backward() without
// retain_graph has been through every entry on it -- the training loop -- or, failing that,
// when it is full and no var or array refers to an entry whose graph is unreleased: then
// nothing recorded can be used again. Each var or array holds a count in refs[] (a store when
// an op creates it, an increment when it is copied, a decrement when it dies), so no
// counter is shared by all handles and recording keeps no chain of updates through memory.
// A reset starts a new generation: handles to the old one are stale, and say so if used.

using slot_t = std::uint32_t;

inline constexpr std::uint32_t arity_mask = 0xFFFF;
inline constexpr std::uint32_t array_last = 0xFFFF;
inline constexpr std::uint32_t array_body = 0xFFFE;
inline constexpr std::uint32_t max_arity = 0xFFFD;
inline constexpr std::uint32_t no_index = 0xFFFFFFFF;
inline constexpr std::size_t max_slots = 0xFFFFFFF0;
inline constexpr std::size_t no_partials = static_cast<std::size_t>(-1);

inline constexpr std::uint32_t head_of(op_code_t op, std::uint32_t arity) {
  return static_cast<std::uint32_t>(op) << 16 | arity;
}
inline constexpr op_code_t op_of(std::uint32_t head) { return static_cast<op_code_t>(head >> 16); }
inline constexpr std::uint32_t arity_of(std::uint32_t head) { return head & arity_mask; }

/// The parts of refs[slot]: the number of handles, and two marks: reachable from the output
/// being differentiated, and released by an earlier backward() without retain_graph.
inline constexpr std::uint32_t count_mask = 0x3FFFFFFF;
inline constexpr std::uint32_t reached_mark = 1u << 30;
inline constexpr std::uint32_t released_mark = 1u << 31;

/// An operand of an array entry. Lengths tell the pattern: equal lengths are elementwise, a
/// source of length 1 is a broadcast scalar, an output of length 1 is a reduction.
struct array_operand {
  slot_t source;
  std::uint32_t length;
  std::size_t partials;  // offset of max(length, output length) partials in the pool, or
  double constant;       // no_partials: then every element's partial is `constant`
};

struct array_entry {
  slot_t out;
  std::uint32_t length;
  std::uint32_t first_operand;
  std::uint32_t operand_count;
};

/// A leaf: its value(s) and gradient(s), outside any tape. Vars and arrays that are leaves
/// share one cell (as Python names share one tensor): copies see the same value and .grad.
/// What an op on a scalar leaf reads (its registration and value) and what backward() writes
/// (its gradient) come first, close together. (Not aligned to a cache line: 64-byte aligned
/// cells took 128 bytes or more each, and made 10^5 leaves 1.2-1.6x slower to differentiate.)
struct leaf_cell {
  // Where it is registered on its home tape: valid while home_stamp is that tape's leaf_stamp
  // (written by the home thread only; atomic so that other threads may compare it).
  std::atomic<std::uint64_t> home_stamp{0};
  double scalar_value = 0.0;  // a scalar leaf's value (a var's cell is always a scalar's)
  std::uint32_t home_slot = 0;
  std::uint32_t home = 0;  // id of the tape of the thread that made it
  bool has_grad = false;
  double scalar_grad = 0.0;
  std::atomic<std::uint32_t> refs{1};
  std::uint32_t home_index = no_index;                 // its place in the home tape's leaf table
  std::atomic<std::uint32_t> foreign_index{no_index};  // the same on another thread's tape
  std::uint32_t length = 1;
  double* values = nullptr;  // &scalar_value, or the storage of an array
  double* grads = nullptr;   // &scalar_grad, or grad_storage once an array has a gradient
  buffer_ref storage;        // arrays: the values, shared with views and detached copies
  std::unique_ptr<double[]> grad_storage;
};

struct leaf_ref {
  leaf_cell* cell;
  slot_t slot;
  std::uint32_t length;
};

/// A growable array of trivially copyable T at a fixed offset modulo 4 KiB: the arrays of a
/// tape are walked together, and equal offsets would make their accesses alias in the cache.
template <class T, std::size_t Offset>
struct raw_array {
  T* data = nullptr;
  void* base = nullptr;
  std::size_t capacity = 0;

  void reallocate(std::size_t used, std::size_t wanted) {
    std::size_t capacity_wanted = std::max<std::size_t>({wanted, capacity * 2, 4096 / sizeof(T)});
    std::size_t bytes = capacity_wanted * sizeof(T) + Offset;
    bytes = (bytes + 4095) / 4096 * 4096;
    void* fresh = std::aligned_alloc(4096, bytes);
    if (fresh == nullptr) throw std::bad_alloc();
    T* fresh_data = reinterpret_cast<T*>(static_cast<char*>(fresh) + Offset);
    if (used > 0) std::memcpy(static_cast<void*>(fresh_data), data, used * sizeof(T));
    std::free(base);
    data = fresh_data;
    base = fresh;
    capacity = (bytes - Offset) / sizeof(T);
  }
  void free() noexcept {
    std::free(base);
    data = nullptr;
    base = nullptr;
    capacity = 0;
  }
  std::size_t bytes() const noexcept { return base != nullptr ? capacity * sizeof(T) + Offset : 0; }
};

/// The state of one thread's tape. Trivially destructible and constant-initialized, so the
/// thread_local below costs no guard on access; its memory is freed at thread exit by
/// tape_owner.
struct tape_state {
  raw_array<std::uint32_t, 2048> head;
  raw_array<slot_t, 0> index;
  raw_array<double, 1024> partial;
  raw_array<double, 3072> adjoint;
  raw_array<std::uint32_t, 512> refs;
  raw_array<leaf_ref, 256> leaves;
  raw_array<array_entry, 768> arrays;
  raw_array<array_operand, 1280> operands;
  raw_array<double, 1536> pool;

  std::size_t size = 0;     // slots
  std::size_t records = 0;  // operand records of scalar entries
  std::size_t leaf_count = 0;
  std::size_t array_count = 0;
  std::size_t operand_count = 0;
  std::size_t pool_size = 0;
  std::size_t foreign_leaves = 0;   // leaves of other threads: each holds a reference
  std::size_t slot_capacity = 0;    // of head and refs
  std::size_t record_capacity = 0;  // of index and partial
  std::size_t limit = 0;            // while size < limit there is room for one slot and two records
  std::size_t lowest_input = static_cast<std::size_t>(-1);  // of leaves and gradient inputs
  std::size_t fixed = 0;  // entries below this slot take no more operands (a checkpoint's)

  // Tape id << 32 | generation: what a var must carry to be used here. Generations are odd,
  // so that a stamp is never 0 (a constant's) nor the address of a leaf cell (even): a var
  // whose bits equal it is a result of this tape, with no test of its kind. Id 0 (before
  // ensure_id) is no var's.
  std::uint64_t stamp = 1;
  // The stamp under which the leaves on the tape were registered: a leaf cell whose home_stamp
  // equals it is registered here at its home_slot. Usually the stamp; a reset by backward()
  // that keeps every leaf where it was (keep_reached_leaves) keeps it, and the cells need no
  // update.
  std::uint64_t leaf_stamp = 1;
  bool grad_enabled = true;
  bool any_released = false;  // some slot carries released_mark
  // Statements (tape/statement.hpp) alive on this thread: their operands are resolved to
  // slots that no handle counts, so the tape is not reset while any is alive.
  std::size_t pending_statements = 0;
  // The tape was found full while something referred to it, so it grew instead of being
  // reset: it is reset once nothing does (reset_when_unused), not grown step after step.
  bool reset_wanted = false;
  std::size_t live_hint = 0;      // the slot where any_live last found a handle
  std::size_t slots_scanned = 0;  // by any_live's searches, in all: for the tests of their cost
  // The slot count at which such a tape was first found full: recordings that keep results
  // alive across a full tape (an evaluation loop) are checked there, so that the room grown
  // beyond it is room to finish the step in, not room that fills up again before the step's
  // results are gone (each fill would double the tape). No bound (~0) after backward() or a
  // checkpoint's pop reclaimed the tape: a training loop uses all the room it grew.
  std::size_t soft_slots = ~std::size_t{0};

  std::uint32_t id() const noexcept { return static_cast<std::uint32_t>(stamp >> 32); }
};

inline constinit thread_local tape_state the_tape{};

inline tape_state& state() noexcept { return the_tape; }

/// Leaf cells whose last handle went away on a thread other than the one that made them: their
/// home tape may still hold them, so they are freed by that thread at its next reset or exit.
/// Also the counts of statements (tape/statement.hpp) destroyed on a thread other than the
/// one whose tape counts them: their home tapes take them off (statements_alive).
struct orphanage {
  std::mutex mutex;
  std::vector<leaf_cell*> cells;
  std::vector<std::uint32_t> finished;    // tapes of threads that have exited
  std::vector<std::uint32_t> statements;  // one home tape id per statement destroyed away
  std::atomic<bool> pending{false};
  std::atomic<bool> statements_pending{false};
  std::atomic<std::uint32_t> next_id{0};
};

inline orphanage& orphans() {
  static orphanage o;
  return o;
}

inline void destroy(leaf_cell* c) noexcept { delete c; }

/// Frees the orphans whose home is this tape, but for those still registered on it under
/// `registered_stamp` (a reset's leaf stamp: a leaf kept for the next recording whose last
/// handle died on another thread after backward() chose to keep it). Those stay in the
/// orphanage: the next reset finds their count at 0, does not keep them, and frees them.
inline void collect_orphans(std::uint32_t id, std::uint64_t registered_stamp = 0) {
  orphanage& o = orphans();
  if (!o.pending.load(std::memory_order_acquire)) return;
  const std::scoped_lock lock(o.mutex);
  std::erase_if(o.cells, [&](leaf_cell* c) {
    if (c->home != id) return false;
    if (registered_stamp != 0 && c->home_stamp.load(std::memory_order_relaxed) == registered_stamp)
      return false;
    destroy(c);
    return true;
  });
  o.pending.store(!o.cells.empty(), std::memory_order_release);
}

inline void release_cell(leaf_cell* c) noexcept;

/// A statement counted by the tape whose stamp is `home` dies on another thread: its count
/// goes to the orphanage, for its home tape to take off (none if that thread has exited).
LEIBNIZ_COLD void release_statement_away(std::uint64_t home) noexcept {
  const auto id = static_cast<std::uint32_t>(home >> 32);
  orphanage& o = orphans();
  const std::scoped_lock lock(o.mutex);
  if (std::find(o.finished.begin(), o.finished.end(), id) != o.finished.end()) return;
  o.statements.push_back(id);
  o.statements_pending.store(true, std::memory_order_release);
}

/// Whether a statement counted by this tape is alive, after taking off the counts of those
/// destroyed on other threads.
inline bool statements_alive(tape_state& t) noexcept {
  if (t.pending_statements == 0) return false;
  orphanage& o = orphans();
  if (o.statements_pending.load(std::memory_order_acquire)) {
    const std::scoped_lock lock(o.mutex);
    t.pending_statements -= std::erase(o.statements, t.id());
    o.statements_pending.store(!o.statements.empty(), std::memory_order_release);
  }
  return t.pending_statements > 0;
}

/// Frees the tape's memory at thread exit (a separate thread_local: the tape itself stays
/// trivially destructible). Armed when the tape first allocates.
struct tape_owner {
  bool armed = false;
  tape_owner() = default;
  tape_owner(const tape_owner&) = delete;
  tape_owner& operator=(const tape_owner&) = delete;
  ~tape_owner() {
    tape_state& t = the_tape;
    for (std::size_t i = 0; i < t.leaf_count; ++i) {
      leaf_cell* c = t.leaves.data[i].cell;
      if (c != nullptr && c->home != t.id()) release_cell(c);
    }
    t.leaf_count = 0;
    t.foreign_leaves = 0;
    {
      orphanage& o = orphans();
      const std::scoped_lock lock(o.mutex);
      o.finished.push_back(t.id());
    }
    collect_orphans(t.id());
    t.head.free();
    t.index.free();
    t.partial.free();
    t.adjoint.free();
    t.refs.free();
    t.leaves.free();
    t.arrays.free();
    t.operands.free();
    t.pool.free();
    t.size = t.records = t.array_count = t.operand_count = t.pool_size = 0;
    t.slot_capacity = t.record_capacity = t.limit = 0;
  }
};

inline thread_local tape_owner owner;

/// Gives this thread's tape its id (on first use): ids tell the tapes of threads apart.
inline void ensure_id(tape_state& t) {
  if (t.id() != 0) return;
  const std::uint32_t id = orphans().next_id.fetch_add(1, std::memory_order_relaxed) + 1;
  t.stamp = static_cast<std::uint64_t>(id) << 32 | 1u;
  t.leaf_stamp = t.stamp;
  owner.armed = true;
}

/// A new scalar leaf cell, homed on this thread.
inline leaf_cell* make_scalar_cell(double value) {
  tape_state& t = the_tape;
  ensure_id(t);
  auto* c = new leaf_cell;
  c->home = t.id();
  c->scalar_value = value;
  c->values = &c->scalar_value;
  c->grads = &c->scalar_grad;
  return c;
}

/// A new array leaf cell over the given values (shared, not copied), homed on this thread.
inline leaf_cell* make_array_cell(buffer_ref values, std::size_t n) {
  tape_state& t = the_tape;
  ensure_id(t);
  if (n > max_slots) throw error("an array of more than 4 billion elements cannot be a leaf");
  auto* c = new leaf_cell;
  c->home = t.id();
  c->length = static_cast<std::uint32_t>(n);
  c->values = values.data();
  c->storage = std::move(values);
  return c;
}

/// Drops one reference to a cell; the last one frees it, or hands it to its home thread.
inline void release_cell(leaf_cell* c) noexcept {
  if (c->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  tape_state& t = the_tape;
  if (c->home == t.id()) {
    // Still registered here? Then the tape forgets it (its gradient has no reader left).
    if (c->home_stamp.load(std::memory_order_relaxed) == t.leaf_stamp)
      t.leaves.data[c->home_index].cell = nullptr;
    destroy(c);
    return;
  }
  orphanage& o = orphans();
  const std::scoped_lock lock(o.mutex);
  if (std::find(o.finished.begin(), o.finished.end(), c->home) != o.finished.end()) {
    destroy(c);
  } else {
    o.cells.push_back(c);
    o.pending.store(true, std::memory_order_release);
  }
}

/// The slots there is room for before the tape is checked for a reset: its capacity, or less
/// in an evaluation loop (tape_state::soft_slots) until a reset is found to be waited for.
LEIBNIZ_INLINE std::size_t usable_slots(const tape_state& t) noexcept {
  return t.reset_wanted ? t.slot_capacity : std::min(t.slot_capacity, t.soft_slots);
}

/// Sets the bound that lets a unary or binary op check its room with one comparison: each
/// such op takes one slot and at most two records, and a leaf takes slots but no records, so
/// while size < limit both fit. Under no_grad the limit is 0, so that the same comparison
/// also keeps the op from recording (reserve_small): one test per op, not two.
LEIBNIZ_INLINE void update_limit(tape_state& t) noexcept {
  const std::size_t room = std::min(usable_slots(t), t.size + (t.record_capacity - t.records) / 2);
  t.limit = t.grad_enabled ? room : 0;
}

/// Makes room for `slots` more slots and `records` more operand records.
LEIBNIZ_COLD void grow(tape_state& t, std::size_t slots, std::size_t records) {
  ensure_id(t);
  if (t.size + slots > max_slots)
    throw error(
        "the tape is full (4 billion entries on this thread): a backward() without "
        "retain_graph, or letting the results of earlier computations go out of scope, lets it "
        "be reused");
  // The usable capacities are committed only once both arrays of a pair have grown, so that
  // a std::bad_alloc leaves a consistent tape.
  if (t.size + slots > t.slot_capacity) {
    t.head.reallocate(t.size, t.size + slots);
    t.refs.reallocate(t.size, t.head.capacity);
    t.slot_capacity = std::min(t.head.capacity, t.refs.capacity);
  }
  if (t.records + records > t.record_capacity) {
    t.index.reallocate(t.records, t.records + records);
    t.partial.reallocate(t.records, t.index.capacity);
    t.record_capacity = std::min(t.index.capacity, t.partial.capacity);
  }
  update_limit(t);
}

/// Room for `slots` slots and `records` records, by growing: for use while an op holds
/// resolved operand slots, which a reset would invalidate.
LEIBNIZ_INLINE void ensure_room(tape_state& t, std::size_t slots, std::size_t records) {
  if (t.size + slots > t.slot_capacity || t.records + records > t.record_capacity) [[unlikely]]
    grow(t, slots, records);
}

/// A handle to an entry whose graph is not released.
inline bool live(std::uint32_t refs) noexcept {
  return (refs & count_mask) != 0 && (refs & released_mark) == 0;
}

/// The first slot in [from, to) that has a handle (one that is not released, when
/// `unreleased_only`), or `to`. Most slots have none: the counts are or-ed 64 at a time (a loop
/// the compiler vectorizes), and a block is looked at slot by slot only when its or is not 0.
inline std::size_t first_handle(const std::uint32_t* refs, std::size_t from, std::size_t to,
                                bool unreleased_only) noexcept {
  const std::uint32_t mask = unreleased_only ? count_mask | released_mark : count_mask;
  const auto holds = [&](std::uint32_t r) {
    return unreleased_only ? live(r) : (r & count_mask) != 0;
  };
  std::size_t k = from;
  for (; k + 64 <= to; k += 64) {
    std::uint32_t any = 0;
    for (std::size_t j = 0; j < 64; ++j) any |= refs[k + j] & mask;
    if ((any & count_mask) == 0) continue;
    for (std::size_t j = 0; j < 64; ++j)
      if (holds(refs[k + j])) return k + j;
  }
  for (; k < to; ++k)
    if (holds(refs[k])) return k;
  return to;
}

/// True when some slot in [from, to) has a handle (first_handle).
inline bool any_handle(const std::uint32_t* refs, std::size_t from, std::size_t to,
                       bool unreleased_only) noexcept {
  return first_handle(refs, from, to, unreleased_only) != to;
}

/// A slot near `near` in [0, to) that has a handle to an unreleased graph, or `to`. Windows of
/// doubling width on either side of `near` are searched in turn, so that the cost follows the
/// distance to the handle found, not the tape's size: vars that die one after the other (a
/// vector of them going out of scope) each find the next one at once, in either order.
inline std::size_t live_handle_near(tape_state& t, std::size_t near, std::size_t to) noexcept {
  const std::uint32_t* const refs = t.refs.data;
  std::size_t up = std::min(near, to), down = up;
  for (std::size_t width = 64; down > 0 || up < to; width *= 2) {
    if (up < to) {
      const std::size_t end = up + std::min(width, to - up);
      t.slots_scanned += end - up;
      if (const std::size_t k = first_handle(refs, up, end, true); k != end) return k;
      up = end;
    }
    if (down > 0) {
      const std::size_t begin = down - std::min(width, down);
      t.slots_scanned += down - begin;
      if (const std::size_t k = first_handle(refs, begin, down, true); k != down) return k;
      down = begin;
    }
  }
  return to;
}

/// True when some var or array refers to an entry whose graph is not released. Looked at in
/// turn: the slot where one was found last time; the last slots (the temporaries of the
/// statement being recorded, the running sum); then the slots around `near` (the dying var's
/// slot when a var dies while a reset waits, reset_when_unused: a vector of results going out
/// of scope finds each next element at once) or from the bottom up (the inputs of
/// tape::gradient are there). This is asked again and again as the tape fills up
/// (reserve_small's limit is conservative) and at each var's death while a reset waits.
inline bool any_live(tape_state& t, std::size_t near = 0) noexcept {
  if (statements_alive(t)) return true;  // a statement holds slots no handle counts
  if (t.live_hint < t.size && live(t.refs.data[t.live_hint])) return true;
  for (std::size_t k = t.size, lowest = t.size - std::min<std::size_t>(t.size, 64); k-- > lowest;)
    if (live(t.refs.data[k])) {
      t.live_hint = k;
      return true;
    }
  t.live_hint = live_handle_near(t, near, t.size);
  return t.live_hint != t.size;
}

/// What a reset by backward() keeps registered for the next recording (keep_reached_leaves).
struct leaf_keeping {
  const double* adjoint;  // valid from slot `from` up: a leaf the output reached is not 0
  std::size_t from;
  // The first entries of the leaf table, found keepable where they are by flush_leaves as it
  // went through them (in a training loop, all): not looked at again.
  std::size_t in_place;
};

/// After a reset by backward(): registers again, at slots 0, 1, ... of the new generation, the
/// scalar leaves of this thread among the `registered` of the old one that the output reached
/// with a gradient other than 0 (adjoint[slot] != 0, valid from slot `from` up). A training
/// loop's next step uses them again: each is then found on the tape at once (one comparison,
/// var_access::quick) instead of being registered anew at its first use, and the sweep passes
/// over them as one run of leaf slots. A leaf the next recording does not use costs its slot
/// and one look in flush_leaves; one the output did not reach is not kept.
LEIBNIZ_COLD void keep_reached_leaves(tape_state& t, std::size_t registered,
                                      const leaf_keeping& keep) noexcept {
  const double* const adjoint = keep.adjoint;
  const std::size_t from = keep.from;
  // A cell whose count is 0 lost its last handle on another thread: it waits in the
  // orphanage, and collect_orphans frees it right after this (reset).
  const auto keepable = [&](const leaf_ref& ref) {
    return ref.cell != nullptr && ref.length == 1 && ref.slot >= from && adjoint[ref.slot] != 0.0 &&
           ref.cell->refs.load(std::memory_order_acquire) != 0;
  };
  const auto kept_in_place = [&](std::size_t i) {
    return t.leaves.data[i].slot == i && keepable(t.leaves.data[i]);
  };
  std::size_t kept = std::min(keep.in_place, registered);
  while (kept < registered && kept_in_place(kept)) ++kept;
  if (kept < registered) {
    // Some leaf moves or goes: a new layout, under the new stamp (the cells' registrations of
    // the old one are all stale).
    t.leaf_stamp = t.stamp;
    kept = 0;
    for (std::size_t i = 0; i < registered; ++i) {
      const leaf_ref ref = t.leaves.data[i];  // a copy: kept <= i, compacted in place
      if (!keepable(ref)) continue;
      leaf_cell* const c = ref.cell;
      const auto slot = static_cast<slot_t>(kept);
      t.head.data[slot] = head_of(leaf_op, 0);
      t.leaves.data[kept] = leaf_ref{c, slot, 1};
      c->home_index = static_cast<std::uint32_t>(kept);
      c->home_slot = slot;
      c->home_stamp.store(t.leaf_stamp, std::memory_order_relaxed);
      ++kept;
    }
  }
  // (Else every leaf stays where it was, under the leaf stamp it was registered with: nothing
  // to write to the cells, the heads or the table.) Counts of folds of a leaf (1 - x) that
  // were alive at the reset are gone with their handles, now stale.
  if (kept == 0) return;
  std::fill(t.refs.data, t.refs.data + kept, 0u);
  t.size = kept;
  t.leaf_count = kept;
  t.lowest_input = 0;
  update_limit(t);
}

/// For tests only: called by reset() on this thread between choosing the leaves to keep and
/// freeing the orphans, so that a test can drop a handle on another thread at that moment.
using reset_hook = void (*)();
inline constinit thread_local reset_hook after_keeping_leaves = nullptr;

/// Forgets every entry: a new generation begins, and every handle to the old one is stale.
/// With `keep` (a reset by backward()): the scalar leaves of this thread that the output
/// reached with a gradient other than 0 stay registered, at the bottom of the new generation
/// (see keep_reached_leaves).
LEIBNIZ_COLD void reset(tape_state& t, const leaf_keeping* keep = nullptr) noexcept {
  leaf_keeping kept_leaves = keep != nullptr ? *keep : leaf_keeping{};
  if (t.foreign_leaves > 0) {
    for (std::size_t i = 0; i < t.leaf_count; ++i) {
      leaf_cell*& c = t.leaves.data[i].cell;
      if (c != nullptr && c->home != t.id()) {
        release_cell(c);
        c = nullptr;  // perhaps freed: not to be kept below
      }
    }
    t.foreign_leaves = 0;
    kept_leaves.in_place = 0;  // flush_leaves did not know which would go
  }
  const std::size_t registered = t.leaf_count;
  t.size = 0;
  t.records = 0;
  t.leaf_count = 0;
  t.array_count = 0;
  t.operand_count = 0;
  t.pool_size = 0;
  t.any_released = false;
  t.reset_wanted = false;
  t.lowest_input = static_cast<std::size_t>(-1);
  update_limit(t);
  // The generation is the low half of the stamp, odd; it never carries into the id.
  const std::uint32_t generation = static_cast<std::uint32_t>(t.stamp) + 2u;
  t.stamp = (t.stamp & 0xFFFFFFFF00000000ull) | generation;
  if (keep != nullptr)
    keep_reached_leaves(t, registered, kept_leaves);
  else
    t.leaf_stamp = t.stamp;
  if (after_keeping_leaves != nullptr) [[unlikely]]
    after_keeping_leaves();
  collect_orphans(t.id(), t.leaf_stamp);
}

/// The tape is full: reset it if nothing recorded can be used again, else grow it, and have
/// it reset as soon as nothing refers to it any more (reset_when_unused).
LEIBNIZ_COLD void grow_or_reset(tape_state& t, std::size_t slots, std::size_t records) {
  if (t.size > 0) {
    if (any_live(t)) {
      t.soft_slots = std::min(t.soft_slots, t.slot_capacity);
      t.reset_wanted = true;
    } else {
      reset(t);
    }
  }
  ensure_room(t, slots, records);
  update_limit(t);
}

/// Room for an op's entry, checked once per op before its operands are resolved (so that
/// the tape may be reset here: nothing of this op is on it yet). Called when recording, so
/// with grad enabled: a limit of 0 then means a reset is due (reset_when_unused).
LEIBNIZ_INLINE void reserve_entry(tape_state& t, std::size_t slots, std::size_t records) {
  if (t.size + slots > usable_slots(t) || t.records + records > t.record_capacity || t.limit == 0)
      [[unlikely]]
    grow_or_reset(t, slots, records);
}

/// Whether to record an entry of one slot and at most `records` records (at least 1), and
/// room for it if so, with one comparison while there is plenty: while size < limit there is
/// room for a slot and two records (update_limit), so while size + (records - 1) / 2 < limit
/// there is room for a slot and `records`. False under no_grad (where the limit is 0).
LEIBNIZ_COLD bool reserve_block_slow(tape_state& t, std::size_t records) {
  if (!t.grad_enabled) return false;
  grow_or_reset(t, 1, records);
  return true;
}
LEIBNIZ_INLINE bool reserve_block(tape_state& t, std::size_t records) {
  if (t.size + (records - 1) / 2 >= t.limit) [[unlikely]]
    return reserve_block_slow(t, records);
  return true;
}

/// The same for an op of one or two operands.
LEIBNIZ_INLINE bool reserve_small(tape_state& t) { return reserve_block(t, 2); }

/// The limit after an entry of one slot and m records was pushed, without update_limit's
/// division: the exact limit drops by at most (m - 1) / 2 (m > 2 records take more than the
/// two a slot of the limit counts on), so the limit lowered by that stays below it.
LEIBNIZ_INLINE void lower_limit(tape_state& t, std::size_t m) noexcept {
  const std::size_t drop = m > 2 ? (m - 1) / 2 : 0;
  t.limit = t.limit > drop ? t.limit - drop : 0;
}

/// The cursors of a tape at one moment, to pop what was recorded since (a stack discipline
/// for computations nested in a larger recording, such as tape::gradient).
struct checkpoint {
  std::uint64_t stamp;
  std::size_t size, records, leaf_count, array_count, operand_count, pool_size, fixed;
};

/// The cursors now; the entries recorded so far become fixed (no later op absorbs them, so
/// that their records end where the checkpoint says) until truncate.
inline checkpoint save(tape_state& t) noexcept {
  const checkpoint c{t.stamp,       t.size,          t.records,   t.leaf_count,
                     t.array_count, t.operand_count, t.pool_size, t.fixed};
  t.fixed = t.size;
  return c;
}

/// Pops the entries recorded since c, unless a var or array still refers to one of them (or
/// the tape was reset meanwhile): the tape then takes no more room than before.
inline void truncate(tape_state& t, const checkpoint& c) noexcept {
  t.fixed = c.fixed;
  if (t.stamp != c.stamp) {
    // Reset meanwhile (it was full): what is on it now was all recorded since c.
    if (t.size > 0 && !any_live(t)) reset(t);
    return;
  }
  if (t.size <= c.size) return;
  if (any_handle(t.refs.data, c.size, t.size, false)) return;
  t.reset_wanted = false;  // it has room again, and all of it is the loop's
  t.soft_slots = ~std::size_t{0};
  for (std::size_t i = c.leaf_count; i < t.leaf_count; ++i) {
    leaf_cell* cell = t.leaves.data[i].cell;
    if (cell == nullptr) continue;
    if (cell->home == t.id()) {
      cell->home_stamp.store(0, std::memory_order_relaxed);  // its registration is gone
    } else {
      --t.foreign_leaves;
      release_cell(cell);
    }
  }
  t.size = c.size;
  t.records = c.records;
  t.leaf_count = c.leaf_count;
  t.array_count = c.array_count;
  t.operand_count = c.operand_count;
  t.pool_size = c.pool_size;
  update_limit(t);
}

/// The slot of a leaf on this tape, registering it (one slot per element) on first use. It
/// keeps room for the op being recorded (one slot, two records), which reserved it before.
LEIBNIZ_OUT_OF_LINE slot_t register_leaf(tape_state& t, leaf_cell* c) {
  ensure_room(t, std::size_t{c->length} + 1, 2);
  if (t.leaf_count == t.leaves.capacity) t.leaves.reallocate(t.leaf_count, t.leaf_count + 1);
  const auto slot = static_cast<slot_t>(t.size);
  t.lowest_input = std::min<std::size_t>(t.lowest_input, slot);
  // Locals: stores to the uint32 arrays could otherwise alias c->length (a loop that
  // reloads it per element instead of a vectorized fill).
  const std::uint32_t length = c->length;
  std::uint32_t* const head = t.head.data + slot;
  std::uint32_t* const refs = t.refs.data + slot;
  for (std::uint32_t i = 0; i < length; ++i) head[i] = head_of(leaf_op, 0);
  std::fill(refs, refs + length, 0u);
  t.size += length;
  update_limit(t);
  const auto index = static_cast<std::uint32_t>(t.leaf_count);
  t.leaves.data[t.leaf_count++] = leaf_ref{c, slot, c->length};
  if (c->home == t.id()) {
    c->home_index = index;
    c->home_slot = slot;
    c->home_stamp.store(t.leaf_stamp, std::memory_order_relaxed);
  } else {
    c->refs.fetch_add(1, std::memory_order_relaxed);  // a foreign tape keeps the cell alive
    c->foreign_index.store(index, std::memory_order_relaxed);
    ++t.foreign_leaves;
  }
  return slot;
}

/// The slot of a leaf if it is registered on this tape.
inline std::optional<slot_t> find_leaf(const tape_state& t, leaf_cell* c) noexcept {
  if (c->home_stamp.load(std::memory_order_relaxed) == t.leaf_stamp) return c->home_slot;
  if (c->home == t.id()) return std::nullopt;
  const std::uint32_t i = c->foreign_index.load(std::memory_order_relaxed);
  if (i < t.leaf_count && t.leaves.data[i].cell == c) return t.leaves.data[i].slot;
  return std::nullopt;
}

LEIBNIZ_OUT_OF_LINE slot_t find_or_register_leaf(tape_state& t, leaf_cell* c) {
  // The common case, a scalar leaf of this thread met for the first time in this recording
  // (every leaf of a training loop, once per step): its slot is the next one. With
  // size + 1 < limit there is room for it and for the op being recorded (one slot, two
  // records); the limit stays valid (a slot more, no record: the exact limit only grows).
  if (c->home == t.id() && c->length == 1 && t.size + 1 < t.limit &&
      t.leaf_count < t.leaves.capacity) [[likely]] {
    const auto slot = static_cast<slot_t>(t.size);
    t.head.data[slot] = head_of(leaf_op, 0);
    t.refs.data[slot] = 0;
    t.size = slot + 1;
    if (slot < t.lowest_input) t.lowest_input = slot;
    const auto index = static_cast<std::uint32_t>(t.leaf_count++);
    t.leaves.data[index] = leaf_ref{c, slot, 1};
    c->home_index = index;
    c->home_slot = slot;
    c->home_stamp.store(t.leaf_stamp, std::memory_order_relaxed);
    return slot;
  }
  if (const std::optional<slot_t> s = find_leaf(t, c)) return *s;
  return register_leaf(t, c);
}

/// The slot of a leaf: one comparison on its home thread once it is registered.
LEIBNIZ_INLINE slot_t leaf_slot(tape_state& t, leaf_cell* c) {
  if (c->home_stamp.load(std::memory_order_relaxed) == t.leaf_stamp) [[likely]]
    return c->home_slot;
  return find_or_register_leaf(t, c);
}

/// A handle to slot k of the current generation is made, copied, or dropped.
LEIBNIZ_INLINE void retain_slot(tape_state& t, slot_t k) noexcept { ++t.refs.data[k]; }
/// A reset waits (grow_or_reset) and a handle to slot k has gone: if nothing refers to the
/// tape any more, the limit drops to 0, so that the next op's room check resets it -- at a
/// point where no operand is resolved yet. (Between a room check and the entry it made room
/// for, where the limit is lowered by a constant, no handle dies: only values and records are
/// computed.)
LEIBNIZ_COLD void reset_when_unused(tape_state& t, slot_t k) noexcept {
  if (live(t.refs.data[k]) || any_live(t, k)) return;
  t.limit = 0;
  t.reset_wanted = false;  // the room check does it (or finds the tape in use again, and waits)
}
LEIBNIZ_INLINE void release_slot(tape_state& t, slot_t k) noexcept { --t.refs.data[k]; }
/// A handle to slot k ends (a var's or an array's destructor): released, and the tape reset
/// if it waits for that. (A var assigned a new value is not such an end: the new value is
/// alive, so the tape is in use; checking there would only slow the loops.)
LEIBNIZ_INLINE void end_handle(tape_state& t, slot_t k) noexcept {
  release_slot(t, k);
  if (t.reset_wanted) [[unlikely]]
    reset_when_unused(t, k);
}

/// Room for n more doubles in the pool; returns the offset of the first.
inline std::size_t pool_reserve(tape_state& t, std::size_t n) {
  if (t.pool_size + n > t.pool.capacity) t.pool.reallocate(t.pool_size, t.pool_size + n);
  const std::size_t offset = t.pool_size;
  t.pool_size += n;
  return offset;
}

}  // namespace leibniz::tape::detail

namespace leibniz::tape {

/// What this thread's tape holds now, and the memory it has reserved.
struct tape_statistics {
  std::size_t slots;           // one per scalar result, per array element, per leaf element
  std::size_t records;         // operand records of scalar entries
  std::size_t leaves;          // leaves registered in the current recording (or kept for it)
  std::size_t array_entries;   // array ops recorded
  std::size_t pool_values;     // per-element partials of array ops
  std::size_t live_handles;    // references from vars and arrays to unreleased entries
  std::size_t bytes_reserved;  // everything the tape has allocated, adjoints included
};

namespace detail {
inline std::size_t live_handles(const tape_state& t) noexcept {
  std::size_t n = 0;
  for (std::size_t k = 0; k < t.size; ++k)
    if ((t.refs.data[k] & released_mark) == 0) n += t.refs.data[k] & count_mask;
  return n;
}
}  // namespace detail

inline tape_statistics statistics() noexcept {
  const detail::tape_state& t = detail::the_tape;
  return {t.size,
          t.records,
          t.leaf_count,
          t.array_count,
          t.pool_size,
          live_handles(t),
          t.head.bytes() + t.index.bytes() + t.partial.bytes() + t.adjoint.bytes() +
              t.refs.bytes() + t.leaves.bytes() + t.arrays.bytes() + t.operands.bytes() +
              t.pool.bytes()};
}

/// The number of slots on this thread's tape: after a backward() that reset it, the leaves it
/// kept registered for the next recording (keep_reached_leaves); 0 after release_memory().
inline std::size_t current_size() noexcept { return detail::the_tape.size; }

/// The bytes this thread's tape has allocated (it keeps them for the next recording).
inline std::size_t capacity_bytes() noexcept { return statistics().bytes_reserved; }

/// Reserves room for `slots` more slots and `records` more operand records (adjoints
/// included), so that a recording of that size does not reallocate.
inline void reserve(std::size_t slots, std::size_t records) {
  detail::tape_state& t = detail::the_tape;
  t.soft_slots = ~std::size_t{0};  // the caller knows what it will record: all of it is usable
  detail::ensure_room(t, slots, records);
  detail::update_limit(t);
  if (t.size + slots > t.adjoint.capacity) t.adjoint.reallocate(0, t.size + slots);
}

/// Gives the memory of this thread's tape back, if no var or array refers to it; returns
/// whether it did.
inline bool release_memory() noexcept {
  detail::tape_state& t = detail::the_tape;
  if (detail::any_live(t)) return false;
  detail::reset(t);
  t.head.free();
  t.index.free();
  t.partial.free();
  t.adjoint.free();
  t.refs.free();
  t.leaves.free();
  t.arrays.free();
  t.operands.free();
  t.pool.free();
  t.slot_capacity = t.record_capacity = t.limit = 0;
  t.soft_slots = ~std::size_t{0};
  return true;
}

}  // namespace leibniz::tape
