// bench/lean_tape.cpp
// An experiment, not part of the library or of the meson build: how fast can a tape that keeps
// tape::var's lifetime rules record the suite's cases, when it has nothing else? It has only
// the essentials of tape mode's design (include/leibniz/tape): 32-byte handles that count
// themselves per slot (refs), a generation stamp checked on every operand, affine ops with a
// constant folded into the handle's scale, sums absorbed into a dying temporary's entry; then
// the reverse sweep, the leaves' gradients read and zeroed, and the reset. No grad_fn, no
// error messages, no room checks beyond one abort. Every op is forced inline: left to
// themselves, g++ and clang++ inline different parts of it, and an op left out of line costs
// a third of the time. Cases: rosenbrock op by op (`tape`'s code), and rosenbrock and
// normal_lpdf with each loop body one entry whose partials are written out (what tape::apply
// records, `tape_static`). The output's value is kept (DoNotOptimize): unused, it lets the
// compiler drop whatever only the value needs (normal_lpdf's log, a third of its time).
// Variants, by macro:
//   (none)                  leaves are plain slots 0..n-1 of a generation that never ends:
//                           their handles stay valid because no reset starts a new one;
//   -DLEAN_TAPE_LEAF_CELLS  leaves are cells, as tape::var's are (a leaf's handle points to
//                           its cell, which holds its value, gradient and registration), and
//                           each reset starts a new generation: the library's rules;
//   -DLEAN_TAPE_UNCOUNTED   handles do not count themselves (broken: nothing could then tell
//                           when the tape may be reset), to price the counts;
//   -DLEAN_TAPE_GROWS       the room check's slow path returns (as a tape that grows must)
//                           instead of aborting, to price that (with any of the above);
//   -DLEAN_TAPE_PACKED      each record's partial and slot side by side in one 16-byte record
//                           (the prototype's layout) instead of two arrays (with any of these);
//   -DLEAN_TAPE_STATEMENTS  `tape`'s code recorded statement by statement: an op on vars
//                           gives an expression (values and slots copied, nothing
//                           referenced), and a var made from it records one entry with a
//                           record per leaf (with any of the above).
// docs/tape.md ("What the semantics cost") reports what it measured. Build and run, from the
// repository's root:
//   g++ -std=c++20 -O3 -march=native -DNDEBUG bench/lean_tape.cpp -o /tmp/lean -lbenchmark
//   -lpthread && /tmp/lean
#include <benchmark/benchmark.h>

#include "cases.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#define LEAN_INLINE [[gnu::always_inline]] inline

namespace {

#ifdef LEAN_TAPE_PACKED
// The prototype's layout: each record's partial and slot side by side, 16 bytes, so that
// recording writes one stream and the sweep reads one. The views keep the code below as it is.
struct packed_record {
  double partial;
  std::uint32_t index;
  std::uint32_t unused;
};
struct index_view {
  packed_record* records = nullptr;
  std::uint32_t& operator[](std::size_t i) const { return records[i].index; }
};
struct partial_view {
  packed_record* records = nullptr;
  double& operator[](std::size_t i) const { return records[i].partial; }
};
#endif

struct lean_tape {
  std::uint32_t* arity = nullptr;  // per slot: how many records its entry has (0: a leaf)
  std::uint32_t* refs = nullptr;   // per slot: handles to it
#ifdef LEAN_TAPE_PACKED
  index_view index;      // per record: the operand's slot
  partial_view partial;  // per record: d entry / d operand
#else
  std::uint32_t* index = nullptr;  // per record: the operand's slot
  double* partial = nullptr;       // per record: d entry / d operand
#endif
  double* adjoint = nullptr;  // per slot, during the sweep
  std::size_t size = 0, records = 0, limit = 0;
  std::uint64_t stamp = 3;       // generation (odd); 0 is a constant's
  std::uint64_t leaf_stamp = 3;  // the generation under which the leaves are registered
};
constinit thread_local lean_tape tape{};

[[noreturn, gnu::cold, gnu::noinline]] void out_of_room() {
  std::fputs("lean_tape: out of room or stale handle\n", stderr);
  std::abort();
}

#ifdef LEAN_TAPE_UNCOUNTED
LEAN_INLINE void count_up(std::uint32_t) {}
LEAN_INLINE void count_down(std::uint32_t) {}
#else
LEAN_INLINE void count_up(std::uint32_t k) { ++tape.refs[k]; }
LEAN_INLINE void count_down(std::uint32_t k) { --tape.refs[k]; }
#endif

/// A leaf: its value and gradient, and where it is registered on the tape.
struct cell {
  std::uint64_t home_stamp;
  double value;
  std::uint32_t home_slot;
  double grad;
};

/// A handle: the value, d value / d slot (affine folds), the generation (or, for a leaf in the
/// leaf-cell variant, the address of its cell: even, where generations are odd), the slot.
struct var {
  double value = 0.0;
  double scale = 1.0;
  std::uint64_t stamp = 0;
  std::uint32_t slot = 0;
  std::uint32_t flags = 0;  // unused: where tape::var keeps its op code and kind (32 bytes)

  var() = default;
  var(double v) : value(v) {}  // NOLINT: a number is a constant
#ifdef LEAN_TAPE_STATEMENTS
  template <class E>
  requires requires { E::leaves; }
  var(const E& e);  // NOLINT: a statement's expression is recorded as one entry
#endif
  LEAN_INLINE var(const var& o) : value(o.value), scale(o.scale), stamp(o.stamp), slot(o.slot) {
    if (stamp == tape.stamp) count_up(slot);
  }
  LEAN_INLINE var(var&& o) noexcept : value(o.value), scale(o.scale), stamp(o.stamp), slot(o.slot) {
    o.stamp = 0;
  }
  var& operator=(const var&) = delete;
  LEAN_INLINE var& operator=(var&& o) noexcept {
    if (stamp == tape.stamp) count_down(slot);
    value = o.value;
    scale = o.scale;
    stamp = o.stamp;
    slot = o.slot;
    o.stamp = 0;
    return *this;
  }
  LEAN_INLINE ~var() {
    if (stamp == tape.stamp) count_down(slot);
  }
};

/// What an op reads of an operand that requires grad.
struct operand {
  double value;
  double scale;
  std::uint32_t slot;
};

/// A result of this generation or (leaf-cell variant) a leaf registered under the leaf stamp.
LEAN_INLINE operand view(const var& a) {
  if (a.stamp == tape.stamp) [[likely]]
    return {a.value, a.scale, a.slot};
#ifdef LEAN_TAPE_LEAF_CELLS
  if ((a.stamp & 1) == 0 && a.stamp != 0) {
    const cell* c = reinterpret_cast<const cell*>(a.stamp);
    if (c->home_stamp == tape.leaf_stamp) return {c->value, 1.0, c->home_slot};
  }
#endif
  out_of_room();
}

LEAN_INLINE var fresh(double value, std::size_t k) {
  var r;
  r.value = value;
  r.stamp = tape.stamp;
  r.slot = static_cast<std::uint32_t>(k);
  return r;
}

LEAN_INLINE var push(double value, std::uint32_t s0, double p0) {
  lean_tape& t = tape;
  const std::size_t k = t.size, r = t.records;
  t.arity[k] = 1;
  t.refs[k] = 1;
  t.index[r] = s0;
  t.partial[r] = p0;
  t.records = r + 1;
  t.size = k + 1;
  return fresh(value, k);
}

LEAN_INLINE var push(double value, std::uint32_t s0, double p0, std::uint32_t s1, double p1) {
  lean_tape& t = tape;
  const std::size_t k = t.size, r = t.records;
  t.arity[k] = 2;
  t.refs[k] = 1;
  t.index[r] = s0;
  t.index[r + 1] = s1;
  t.partial[r] = p0;
  t.partial[r + 1] = p1;
  t.records = r + 2;
  t.size = k + 1;
  return fresh(value, k);
}

#ifdef LEAN_TAPE_GROWS
/// Stands for growing the tape: a slow path that returns, as the library's must.
[[gnu::cold, gnu::noinline]] void grow_room() {
  static volatile int calls = 0;
  calls = calls + 1;
  if (tape.size >= tape.limit) out_of_room();
}
LEAN_INLINE void check_room() {
  if (tape.size >= tape.limit) [[unlikely]]
    grow_room();
}
#else
LEAN_INLINE void check_room() {
  if (tape.size >= tape.limit) [[unlikely]]
    out_of_room();
}
#endif

/// The last entry, held only by the dying temporary d (a result), takes one more operand.
LEAN_INLINE bool absorbable(const var& d) {
  return d.stamp == tape.stamp && d.slot + std::size_t{1} == tape.size && tape.refs[d.slot] == 1;
}
LEAN_INLINE var absorb(var& d, double value, double scale, std::uint32_t other,
                       double other_partial) {
  lean_tape& t = tape;
  const std::uint32_t k = d.slot;
  const std::uint32_t m = t.arity[k];
  const std::size_t r = t.records;
  if (scale != 1.0)
    for (std::uint32_t j = 0; j < m; ++j) t.partial[r - m + j] *= scale;
  t.index[r] = other;
  t.partial[r] = other_partial;
  t.records = r + 1;
  t.arity[k] = m + 1;
  var out;
  out.value = value;
  out.stamp = d.stamp;
  out.slot = k;
  d.stamp = 0;  // its count passes to out
  return out;
}

#ifdef LEAN_TAPE_STATEMENTS
// ---- statement by statement: expression templates ------------------------------------------
// An op on vars gives an expression node, not a var: it holds its operands' values and slots
// (copied, not referenced: nothing dangles) and its own value, computed as it is built. A var
// made from an expression records it as one entry whose records are the expression's leaves,
// each with its partial (the chain rule through the nodes, at compile time); a leaf used twice
// gives two records. An expression affine in one var (c * x, x - c, c - x) is folded into the
// handle's scale, as op by op.

/// A var as an operand of an expression.
struct leaf_node {
  static constexpr std::size_t leaves = 1;
  double value;
  double scale;
  std::uint32_t slot;
  // Copied member by member: a trivial copy of a nested expression is a block copy that g++
  // reads back in wide loads, which stall on the narrow stores that built it.
  LEAN_INLINE leaf_node(double v, double c, std::uint32_t k) : value(v), scale(c), slot(k) {}
  LEAN_INLINE leaf_node(const leaf_node& o) : value(o.value), scale(o.scale), slot(o.slot) {}
  LEAN_INLINE void emit(double seed, std::size_t& r) const {
    tape.index[r] = slot;
    tape.partial[r] = seed * scale;
    ++r;
  }
};
/// c0 + c1 * x for one var x.
struct affine_node {
  static constexpr std::size_t leaves = 1;
  double value;
  leaf_node x;
  double c1;
  LEAN_INLINE affine_node(double v, const leaf_node& l, double c) : value(v), x(l), c1(c) {}
  LEAN_INLINE affine_node(const affine_node& o) : value(o.value), x(o.x), c1(o.c1) {}
  LEAN_INLINE void emit(double seed, std::size_t& r) const { x.emit(seed * c1, r); }
};
template <class L, class R>
struct add_node {
  static constexpr std::size_t leaves = L::leaves + R::leaves;
  double value;
  L l;
  R r;
  LEAN_INLINE void emit(double seed, std::size_t& k) const {
    l.emit(seed, k);
    r.emit(seed, k);
  }
};
template <class L, class R>
struct sub_node {
  static constexpr std::size_t leaves = L::leaves + R::leaves;
  double value;
  L l;
  R r;
  LEAN_INLINE void emit(double seed, std::size_t& k) const {
    l.emit(seed, k);
    r.emit(-seed, k);
  }
};
template <class L, class R>
struct mul_node {
  static constexpr std::size_t leaves = L::leaves + R::leaves;
  double value;
  L l;
  R r;
  LEAN_INLINE void emit(double seed, std::size_t& k) const {
    l.emit(seed * r.value, k);
    r.emit(seed * l.value, k);
  }
};
template <class L, class R>
struct div_node {
  static constexpr std::size_t leaves = L::leaves + R::leaves;
  double value;
  L l;
  R r;
  LEAN_INLINE void emit(double seed, std::size_t& k) const {
    const double inverse = 1.0 / r.value;
    l.emit(seed * inverse, k);
    r.emit(-seed * value * inverse, k);
  }
};
/// c * e + c0 for an expression e.
template <class E>
struct scale_node {
  static constexpr std::size_t leaves = E::leaves;
  double value;
  E e;
  double c;
  LEAN_INLINE void emit(double seed, std::size_t& k) const { e.emit(seed * c, k); }
};
template <class E>
struct exp_node {
  static constexpr std::size_t leaves = E::leaves;
  double value;
  E e;
  LEAN_INLINE void emit(double seed, std::size_t& k) const { e.emit(seed * value, k); }
};
template <class E>
struct log_node {
  static constexpr std::size_t leaves = E::leaves;
  double value;
  E e;
  LEAN_INLINE void emit(double seed, std::size_t& k) const { e.emit(seed / e.value, k); }
};

template <class T>
concept is_var = std::is_same_v<std::remove_cvref_t<T>, var>;
template <class T>
concept is_node = !is_var<T> && requires {
  std::remove_cvref_t<T>::leaves;
};
template <class T>
concept is_operand = is_var<T> || is_node<T>;

LEAN_INLINE leaf_node node(const var& a) {
  const operand x = view(a);
  return {x.value, x.scale, x.slot};
}
template <class E>
requires is_node<E> LEAN_INLINE const E& node(const E& e) { return e; }
template <class A>
using node_t = std::remove_cvref_t<decltype(node(std::declval<const A&>()))>;

template <class A, class B>
requires(is_operand<A>&& is_operand<B>) LEAN_INLINE auto operator+(const A& a, const B& b) {
  const auto x = node(a);
  const auto y = node(b);
  return add_node<node_t<A>, node_t<B>>{x.value + y.value, x, y};
}
template <class A, class B>
requires(is_operand<A>&& is_operand<B>) LEAN_INLINE auto operator-(const A& a, const B& b) {
  const auto x = node(a);
  const auto y = node(b);
  return sub_node<node_t<A>, node_t<B>>{x.value - y.value, x, y};
}
template <class A, class B>
requires(is_operand<A>&& is_operand<B>) LEAN_INLINE auto operator*(const A& a, const B& b) {
  const auto x = node(a);
  const auto y = node(b);
  return mul_node<node_t<A>, node_t<B>>{x.value * y.value, x, y};
}
template <class A, class B>
requires(is_operand<A>&& is_operand<B>) LEAN_INLINE auto operator/(const A& a, const B& b) {
  const auto x = node(a);
  const auto y = node(b);
  return div_node<node_t<A>, node_t<B>>{x.value / y.value, x, y};
}
/// c1 * a + c0: folded into an affine node for a var, a scale node otherwise.
template <class A>
requires is_operand<A> LEAN_INLINE auto affine(const A& a, double c1, double c0) {
  const auto x = node(a);
  if constexpr (is_var<A>)
    return affine_node{c1 * x.value + c0, x, c1};
  else if constexpr (std::is_same_v<node_t<A>, affine_node>)
    return affine_node{c1 * x.value + c0, x.x, c1 * x.c1};
  else
    return scale_node<node_t<A>>{c1 * x.value + c0, x, c1};
}
template <class A>
requires is_operand<A> LEAN_INLINE auto operator*(double c, const A& a) {
  return affine(a, c, 0.0);
}
template <class A>
requires is_operand<A> LEAN_INLINE auto operator-(double c, const A& a) {
  return affine(a, -1.0, c);
}
template <class A>
requires is_operand<A> LEAN_INLINE auto operator-(const A& a, double c) {
  return affine(a, 1.0, -c);
}
template <class A>
requires is_operand<A> LEAN_INLINE auto exp(const A& a) {
  const auto x = node(a);
  return exp_node<node_t<A>>{std::exp(x.value), x};
}
template <class A>
requires is_operand<A> LEAN_INLINE auto log(const A& a) {
  const auto x = node(a);
  return log_node<node_t<A>>{std::log(x.value), x};
}

/// The statement's entry: one record per leaf of the expression.
template <class E>
requires requires { E::leaves; }
LEAN_INLINE var::var(const E& e) {
  if constexpr (std::is_same_v<E, affine_node>) {  // folded: a handle to x's slot
    value = e.value;
    scale = e.c1 * e.x.scale;
    stamp = tape.stamp;
    slot = e.x.slot;
    count_up(slot);
  } else {
    check_room();
    lean_tape& t = tape;
    const std::size_t k = t.size;
    std::size_t r = t.records;
    e.emit(1.0, r);
    t.arity[k] = E::leaves;
    t.refs[k] = 1;
    t.records = r;
    t.size = k + 1;
    value = e.value;
    stamp = t.stamp;
    slot = static_cast<std::uint32_t>(k);
  }
}

template <class E>
requires is_operand<E> LEAN_INLINE var& operator+=(var& s, const E& e) {
  if (s.stamp == 0 && s.value == 0.0)  // 0 + e: e itself
    s = var(e);
  else
    s = var(s + e);
  return s;
}

#else
/// a * ca + b * cb for two vars: a + b, a - b.
template <bool DyingA, bool DyingB>
LEAN_INLINE var linear(const var& a, const var& b, double ca, double cb) {
  check_room();
  const operand x = view(a), y = view(b);
  const double value = x.value * ca + y.value * cb;
  if (x.slot == y.slot) return push(value, x.slot, x.scale * ca + y.scale * cb);
  if constexpr (DyingB)
    if (absorbable(b))
      return absorb(const_cast<var&>(b), value, cb * y.scale, x.slot, ca * x.scale);
  if constexpr (DyingA)
    if (absorbable(a))
      return absorb(const_cast<var&>(a), value, ca * x.scale, y.slot, cb * y.scale);
  return push(value, x.slot, ca * x.scale, y.slot, cb * y.scale);
}

template <class T>
concept is_var = std::is_same_v<std::remove_cvref_t<T>, var>;

template <class A, class B>
requires(is_var<A>&& is_var<B>) LEAN_INLINE var operator+(A&& a, B&& b) {
  return linear<!std::is_reference_v<A>, !std::is_reference_v<B>>(a, b, 1.0, 1.0);
}
template <class A, class B>
requires(is_var<A>&& is_var<B>) LEAN_INLINE var operator-(A&& a, B&& b) {
  return linear<!std::is_reference_v<A>, !std::is_reference_v<B>>(a, b, 1.0, -1.0);
}
LEAN_INLINE var operator*(const var& a, const var& b) {
  check_room();
  const operand x = view(a), y = view(b);
  const double value = x.value * y.value;
  if (x.slot == y.slot) return push(value, x.slot, y.value * x.scale + x.value * y.scale);
  return push(value, x.slot, y.value * x.scale, y.slot, x.value * y.scale);
}

/// An affine op with a constant: a handle to a's slot with d handle / d slot = scale * a's.
LEAN_INLINE var fold(const var& a, double value, double scale) {
  const operand x = view(a);
  var r;
  r.value = value;
  r.scale = scale * x.scale;
  r.stamp = tape.stamp;
  r.slot = x.slot;
  count_up(x.slot);
  return r;
}
LEAN_INLINE var operator*(double c, const var& a) { return fold(a, c * view(a).value, c); }
LEAN_INLINE var operator-(double c, const var& a) { return fold(a, c - view(a).value, -1.0); }
LEAN_INLINE var operator-(const var& a, double c) { return fold(a, view(a).value - c, 1.0); }
/// a / b, with the partials of the op table's div_op (1 / b and -(a / b) / b).
LEAN_INLINE var operator/(const var& a, const var& b) {
  check_room();
  const operand x = view(a), y = view(b);
  const double value = x.value / y.value;
  const double pa = 1.0 / y.value * x.scale, pb = -(value / y.value) * y.scale;
  if (x.slot == y.slot) return push(value, x.slot, pa + pb);
  return push(value, x.slot, pa, y.slot, pb);
}
LEAN_INLINE var& operator+=(var& s, var&& b) {
  if (s.stamp == 0 && s.value == 0.0) {  // 0 + b: b itself
    s = std::move(b);
    return s;
  }
  s = linear<false, true>(s, b, 1.0, 1.0);
  return s;
}

/// Unary ops: one entry of one record.
LEAN_INLINE var exp(const var& a) {
  check_room();
  const operand x = view(a);
  const double value = std::exp(x.value);
  return push(value, x.slot, value * x.scale);
}
LEAN_INLINE var log(const var& a) {
  check_room();
  const operand x = view(a);
  return push(std::log(x.value), x.slot, x.scale / x.value);
}

#endif  // LEAN_TAPE_STATEMENTS

constexpr std::size_t n = 1000;
constexpr std::size_t capacity = 1 << 16;

template <class T>
T* allocate(std::size_t count, std::size_t offset) {  // offsets apart modulo 4 KiB
  void* p = std::aligned_alloc(4096, count * sizeof(T) + 4096);
  if (p == nullptr) std::abort();
  return reinterpret_cast<T*>(static_cast<char*>(p) + offset);
}

template <class T>
void deallocate(T* p, std::size_t offset) {
  std::free(reinterpret_cast<char*>(p) - offset);
}

/// The leaves, kept at the bottom slots across steps (as tape mode keeps the leaves it
/// reached).
struct leaves {
  std::vector<var> x;
  std::vector<cell*> cells;
  explicit leaves(const std::vector<double>& values) {
    lean_tape& t = tape;
    t.arity = allocate<std::uint32_t>(capacity, 0);
    t.refs = allocate<std::uint32_t>(capacity, 512);
#ifdef LEAN_TAPE_PACKED
    t.index.records = t.partial.records = allocate<packed_record>(2 * capacity, 1024);
#else
    t.index = allocate<std::uint32_t>(2 * capacity, 1024);
    t.partial = allocate<double>(2 * capacity, 1536);
#endif
    t.adjoint = allocate<double>(capacity, 2048);
    x.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      cells.push_back(new cell{t.leaf_stamp, values[i], static_cast<std::uint32_t>(i), 0.0});
#ifdef LEAN_TAPE_LEAF_CELLS
      var leaf;
      leaf.stamp = reinterpret_cast<std::uint64_t>(cells.back());
      x.push_back(std::move(leaf));
      t.refs[i] = 0;
#else
      x.push_back(fresh(values[i], i));
      t.refs[i] = 1;
#endif
      t.arity[i] = 0;
    }
    t.size = values.size();
    t.limit = capacity - 4;
  }
  leaves(const leaves&) = delete;
  leaves& operator=(const leaves&) = delete;
  ~leaves() {
    x.clear();
    for (cell* c : cells) delete c;
    lean_tape& t = tape;
    deallocate(t.arity, 0);
    deallocate(t.refs, 512);
#ifdef LEAN_TAPE_PACKED
    deallocate(t.index.records, 1024);
#else
    deallocate(t.index, 1024);
    deallocate(t.partial, 1536);
#endif
    deallocate(t.adjoint, 2048);
    t = lean_tape{};
  }
};

/// One gradient of what `record` records: the sweep, the leaves' gradients read and zeroed,
/// the reset (keeping the leaves).
template <class Record>
void gradient(leaves& in, std::span<double> g, Record record) {
  lean_tape& t = tape;
  const std::size_t inputs = in.x.size();
  var y = record(in.x);
  benchmark::DoNotOptimize(y.value);  // else the compiler may skip what only the value needs
  const std::size_t top = y.slot;
  std::memset(t.adjoint, 0, (top + 1) * sizeof(double));
  t.adjoint[top] = y.scale;
  std::size_t r = t.records;
  for (std::size_t k = top + 1; k-- > inputs;) {
    const std::uint32_t m = t.arity[k];
    r -= m;
    const double a = t.adjoint[k];
    for (std::size_t j = r; j < r + m; ++j) t.adjoint[t.index[j]] += a * t.partial[j];
  }
  for (std::size_t i = 0; i < inputs; ++i) {  // the leaves' gradients, read and zeroed by the user
    cell* c = in.cells[i];
    if (t.adjoint[i] != 0.0) c->grad += t.adjoint[i];
    g[i] = c->grad;
    c->grad = 0.0;
  }
  y.stamp = 0;  // the output's handle dies with the graph
  t.size = inputs;
  t.records = 0;
#ifdef LEAN_TAPE_LEAF_CELLS
  t.stamp += 2;  // a new generation: handles to the old one are stale (the leaves stay)
#endif
}

// ---- static blocks: each loop body one entry, its partials computed in place --------------
// What tape::apply records, with the partials the static engine's compiled gradient gives
// written out by hand: the same handles, counts and tape, one entry of three records per
// element (the running sum and two operands).

LEAN_INLINE var push(double value, std::uint32_t s0, double p0, std::uint32_t s1, double p1,
                     std::uint32_t s2, double p2) {
  lean_tape& t = tape;
  const std::size_t k = t.size, r = t.records;
  t.arity[k] = 3;
  t.refs[k] = 1;
  t.index[r] = s0;
  t.index[r + 1] = s1;
  t.index[r + 2] = s2;
  t.partial[r] = p0;
  t.partial[r + 1] = p1;
  t.partial[r + 2] = p2;
  t.records = r + 3;
  t.size = k + 1;
  return fresh(value, k);
}

/// The body s + 100 (b - a^2)^2 + (1 - a)^2 at s, a = x[i], b = x[i + 1] as one entry.
LEAN_INLINE var rosenbrock_body(const var& s, const var& a, const var& b) {
  check_room();
  const operand vs = view(s), va = view(a), vb = view(b);
  const double d = vb.value - va.value * va.value;
  const double e = 1.0 - va.value;
  const double value = vs.value + 100.0 * d * d + e * e;
  return push(value, vs.slot, vs.scale, va.slot, (-400.0 * d * va.value - 2.0 * e) * va.scale,
              vb.slot, 200.0 * d * vb.scale);
}

var rosenbrock_blocks(std::span<const var> x) {
  var s = 1.0 * x[0];  // a handle to x[0]'s slot with scale 0 would do as well: any var
  s = rosenbrock_body(s, x[0], x[1]) - s;
  for (std::size_t i = 1; i + 1 < x.size(); ++i) s = rosenbrock_body(s, x[i], x[i + 1]);
  return s;
}

/// The body s + exp(a) at s, a = x[i] as one entry.
LEAN_INLINE var logsumexp_body(const var& s, const var& a) {
  check_room();
  const operand vs = view(s), va = view(a);
  const double e = std::exp(va.value);
  return push(vs.value + e, vs.slot, vs.scale, va.slot, e * va.scale);
}

var logsumexp_blocks(std::span<const var> x) {
  var s = 1.0 * x[0];
  s = logsumexp_body(s, x[0]) - s;
  for (std::size_t i = 1; i < x.size(); ++i) s = logsumexp_body(s, x[i]);
  return log(s);
}

/// The body s - (1/2) ((y - mu) / sigma)^2 - log(sigma) at s, mu, sigma as one entry.
LEAN_INLINE var normal_lpdf_body(const var& s, const var& mu, const var& sigma, double yi) {
  check_room();
  const operand vs = view(s), vm = view(mu), vg = view(sigma);
  const double inverse = 1.0 / vg.value;
  const double z = (yi - vm.value) * inverse;
  const double value = vs.value - 0.5 * z * z - std::log(vg.value);
  return push(value, vs.slot, vs.scale, vm.slot, z * inverse * vm.scale, vg.slot,
              (z * z - 1.0) * inverse * vg.scale);
}

var normal_lpdf_blocks(std::span<const var> p, std::span<const double> y) {
  var s = 1.0 * p[0];
  s = normal_lpdf_body(s, p[0], p[1], y[0]) - s;
  for (std::size_t i = 1; i < y.size(); ++i) s = normal_lpdf_body(s, p[0], p[1], y[i]);
  return 0.0 - (static_cast<double>(y.size()) * bench::normal_lpdf::log_sqrt_2pi - s);
}

// ---- the benchmarks ------------------------------------------------------------------------

void check(const char* what, std::span<const double> got, std::span<const double> want) {
  for (std::size_t i = 0; i < got.size(); ++i)
    if (std::abs(got[i] - want[i]) > 1e-12 * std::max(1.0, std::abs(want[i]))) {
      std::fprintf(stderr, "lean_tape %s: gradient[%zu] = %.17g, hand %.17g\n", what, i, got[i],
                   want[i]);
      std::abort();
    }
}

template <class Case>
void BM_f(benchmark::State& state) {
  const typename Case::problem p = Case::input(n);
  for (auto _ : state) benchmark::DoNotOptimize(Case::f(p));
}

/// The leaves of a case: the parameters, or the whole input.
std::vector<double> inputs_of(const bench::rosenbrock::problem& p) { return p.x; }
std::vector<double> inputs_of(const bench::logsumexp::problem& p) { return p.x; }
std::vector<double> inputs_of(const bench::normal_lpdf::problem& p) { return {p.mu, p.sigma}; }

/// One gradient of `record(leaves, problem)` checked against the hand-written one, then timed.
template <class Case, class Record>
void run(benchmark::State& state, Record record) {
  const typename Case::problem p = Case::input(n);
  leaves in(inputs_of(p));
  std::vector<double> g(Case::dimension(p)), want(Case::dimension(p));
  Case::hand(p, want);
  const auto on_problem = [&](std::span<const var> v) { return record(v, p); };
  gradient(in, g, on_problem);
  check(Case::name, g, want);
  for (auto _ : state) {
    gradient(in, g, on_problem);
    benchmark::ClobberMemory();
  }
}

void BM_rosenbrock_lean_tape(benchmark::State& state) {
  run<bench::rosenbrock>(
      state, [](std::span<const var> x, const auto&) { return bench::rosenbrock::f<var>(x); });
}

void BM_rosenbrock_lean_tape_static(benchmark::State& state) {
  run<bench::rosenbrock>(state,
                         [](std::span<const var> x, const auto&) { return rosenbrock_blocks(x); });
}

void BM_logsumexp_lean_tape(benchmark::State& state) {
  run<bench::logsumexp>(
      state, [](std::span<const var> x, const auto&) { return bench::logsumexp::f<var>(x); });
}

void BM_logsumexp_lean_tape_static(benchmark::State& state) {
  run<bench::logsumexp>(state,
                        [](std::span<const var> x, const auto&) { return logsumexp_blocks(x); });
}

void BM_normal_lpdf_lean_tape(benchmark::State& state) {
  run<bench::normal_lpdf>(state, [](std::span<const var> v, const auto& p) {
    return bench::normal_lpdf::f<var>(v[0], v[1], p.y);
  });
}

void BM_normal_lpdf_lean_tape_static(benchmark::State& state) {
  run<bench::normal_lpdf>(
      state, [](std::span<const var> v, const auto& p) { return normal_lpdf_blocks(v, p.y); });
}

BENCHMARK(BM_f<bench::rosenbrock>)->Name("BM_rosenbrock_f");
BENCHMARK(BM_rosenbrock_lean_tape);
BENCHMARK(BM_rosenbrock_lean_tape_static);
BENCHMARK(BM_f<bench::logsumexp>)->Name("BM_logsumexp_f");
BENCHMARK(BM_logsumexp_lean_tape);
BENCHMARK(BM_logsumexp_lean_tape_static);
BENCHMARK(BM_f<bench::normal_lpdf>)->Name("BM_normal_lpdf_f");
BENCHMARK(BM_normal_lpdf_lean_tape);
BENCHMARK(BM_normal_lpdf_lean_tape_static);

}  // namespace

BENCHMARK_MAIN();
