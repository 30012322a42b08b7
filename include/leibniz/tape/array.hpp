// leibniz/tape/array.hpp
// tape::array: a 1-D array of doubles, and how whole-array ops record, one tape entry per op
// (not one per element): an elementwise op with scalars broadcast, slices, and the
// reductions sum, mean and dot. The operators and functions on arrays make array statements
// (array_statement.hpp), recorded through here.
#pragma once

#include <leibniz/core/dispatch.hpp>
#include <leibniz/core/expression.hpp>
#include <leibniz/core/functions.hpp>
#include <leibniz/core/vector.hpp>
#include <leibniz/ops/ops.hpp>
#include <leibniz/tape/accumulate.hpp>
#include <leibniz/tape/buffer.hpp>
#include <leibniz/tape/errors.hpp>
#include <leibniz/tape/scalar_ops.hpp>
#include <leibniz/tape/sweep.hpp>
#include <leibniz/tape/tape.hpp>
#include <leibniz/tape/var.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace leibniz::tape {

class array;

namespace detail {
struct array_access;
}  // namespace detail

/// A 1-D array of doubles (torch.tensor([1., 2., 3.], requires_grad=True)). Like var it is a
/// handle: copies and slices share the values, copies of a leaf are the same leaf.
///
///     tape::array x{{1.0, 2.0, 3.0}, leibniz::requires_grad};
///     sum(x * x).backward();
///     x.grad()->to_vector();   // {2, 4, 6}
class array {
 public:
  /// An empty constant array.
  array() noexcept : stamp_(0) {}
  /// A constant array (requires no grad).
  array(std::initializer_list<double> values) : array(std::span<const double>(values)) {}
  explicit array(std::span<const double> values) : stamp_(0) { fill(values); }
  explicit array(const std::vector<double>& values) : array(std::span<const double>(values)) {}
  /// A leaf array that requires grad: backward() accumulates its gradient in grad().
  array(std::initializer_list<double> values, requires_grad_t)
      : array(std::span<const double>(values), leibniz::requires_grad) {}
  array(std::span<const double> values, requires_grad_t) : stamp_(0) {
    fill(values);
    cell_ = detail::make_array_cell(values_, length_);
    info_ = detail::info_of(detail::leaf_op, detail::leaf_kind, 0);
  }
  array(const std::vector<double>& values, requires_grad_t)
      : array(std::span<const double>(values), leibniz::requires_grad) {}

  array(const array& other) noexcept : stamp_(0) { copy_from(other); }
  array(array&& other) noexcept : stamp_(0) { steal(other); }
  array& operator=(const array& other) noexcept {
    if (this != &other) {
      array copy(other);
      drop();
      steal(copy);
    }
    return *this;
  }
  array& operator=(array&& other) noexcept {
    if (this != &other) {
      drop();
      steal(other);
    }
    return *this;
  }
  ~array() { drop(); }

  std::size_t size() const noexcept { return length_; }
  bool empty() const noexcept { return length_ == 0; }
  /// The values, read-only (they change only by in-place updates of a leaf under no_grad).
  std::span<const double> values() const noexcept { return {data(), length_}; }
  const double* begin() const noexcept { return data(); }
  const double* end() const noexcept { return data() + length_; }
  double value(std::size_t i) const {
    check_index(i);
    return data()[i];
  }
  std::vector<double> to_vector() const { return {begin(), end()}; }
  /// The values as a vector: `std::vector<double> g = *x.grad();`
  operator std::vector<double>() const { return to_vector(); }  // NOLINT: a copy of the values

  /// Element i as a var (torch: x[i]); it records nothing, but gradients flow through it.
  var operator[](std::size_t i) const;

  /// Elements [first, last) as an array sharing these values (torch: x[first:last]).
  array slice(std::size_t first, std::size_t last) const;

  bool requires_grad() const noexcept { return kind() != detail::constant_kind; }
  bool is_leaf() const noexcept {
    return kind() != detail::entry_kind || detail::op_of_info(info_) == detail::leaf_op;
  }
  std::optional<std::string_view> grad_fn() const {
    if (is_leaf()) return std::nullopt;
    return detail::name_of(detail::op_of_info(info_));
  }

  /// The accumulated gradient of a leaf, a constant array of its size; nullopt until a
  /// backward() reaches it (and always for arrays that are not leaves).
  std::optional<array> grad() const {
    if (kind() != detail::leaf_kind || !cell_->has_grad) return std::nullopt;
    return array(std::span<const double>(cell_->grads, cell_->length));
  }
  void zero_grad() noexcept {
    if (kind() == detail::leaf_kind && cell_->has_grad)
      std::fill(cell_->grads, cell_->grads + cell_->length, 0.0);
  }
  void clear_grad() noexcept {
    if (kind() == detail::leaf_kind) cell_->has_grad = false;
  }

  /// The same values as a constant array (sharing them), cut from the graph.
  array detach() const noexcept {
    array a;
    a.values_ = values_;
    a.offset_ = offset_;
    a.length_ = length_;
    return a;
  }

  /// Without a gradient argument, backward() needs a one-element array (as in PyTorch).
  void backward(backward_options options = {}) const;
  /// The vector-Jacobian product: adds gradient^T d this / d leaf to every leaf's grad().
  void backward(std::span<const double> gradient, backward_options options = {}) const;
  void backward(std::initializer_list<double> gradient, backward_options options = {}) const {
    backward(std::span<const double>(gradient), options);
  }
  void backward(const std::vector<double>& gradient, backward_options options = {}) const {
    backward(std::span<const double>(gradient), options);
  }

 private:
  friend struct detail::array_access;

  const double* data() const noexcept { return values_.data() + offset_; }
  void check_index(std::size_t i) const {
    if (i >= length_)
      throw shape_mismatch("index " + std::to_string(i) + " is out of range for an array of " +
                           std::to_string(length_) + " elements");
  }
  void fill(std::span<const double> values) {
    values_ = detail::buffer_ref::make(values.size());
    std::copy(values.begin(), values.end(), values_.data());
    length_ = values.size();
  }
  std::uint32_t kind() const noexcept { return detail::kind_of(info_); }
  void copy_from(const array& other) noexcept {
    values_ = other.values_;
    offset_ = other.offset_;
    length_ = other.length_;
    slot_ = other.slot_;
    info_ = other.info_;
    stamp_ = other.stamp_;
    const std::uint32_t k = kind();
    if (k == detail::leaf_kind) {
      cell_->refs.fetch_add(1, std::memory_order_relaxed);
    } else if (k == detail::entry_kind) {
      detail::tape_state& t = detail::the_tape;
      if (stamp_ == t.stamp) detail::retain_slot(t, slot_);
    }
  }
  void steal(array& other) noexcept {
    values_ = std::move(other.values_);
    offset_ = other.offset_;
    length_ = other.length_;
    slot_ = other.slot_;
    info_ = other.info_;
    stamp_ = other.stamp_;
    other.info_ = 0;
    other.length_ = 0;
    other.offset_ = 0;
  }
  void drop() noexcept {
    const std::uint32_t k = kind();
    if (k == detail::leaf_kind) {
      detail::release_cell(cell_);
    } else if (k == detail::entry_kind) {
      detail::tape_state& t = detail::the_tape;
      if (stamp_ == t.stamp) detail::end_handle(t, slot_);
    }
    info_ = 0;
  }

  detail::buffer_ref values_;
  std::size_t offset_ = 0;
  std::size_t length_ = 0;
  union {
    std::uint64_t stamp_;
    detail::leaf_cell* cell_;
  };
  detail::slot_t slot_ = 0;
  std::uint32_t info_ = 0;  // op code, kind and flags, as in var
};

namespace detail {

template <class T>
concept is_array = std::same_as<std::remove_cvref_t<T>, array>;

/// The internals of array, for the ops that record.
struct array_access {
  static array constant(buffer_ref values, std::size_t offset, std::size_t n) {
    array a;
    a.values_ = std::move(values);
    a.offset_ = offset;
    a.length_ = n;
    return a;
  }
  /// A handle to n slots from `slot`: a new array entry (whose push set refs[slot] to 1) or,
  /// with `view`, a slice of existing slots (which takes a reference).
  static array entry(buffer_ref values, std::size_t offset, std::size_t n, slot_t slot,
                     op_code_t op, bool view = false) {
    array a = constant(std::move(values), offset, n);
    a.slot_ = slot;
    a.info_ = info_of(op, entry_kind, view ? folded_flag : 0);
    a.stamp_ = the_tape.stamp;
    if (view) retain_slot(the_tape, slot);
    return a;
  }
  static const double* data(const array& a) noexcept { return a.data(); }
  static const buffer_ref& buffer(const array& a) noexcept { return a.values_; }
  static std::size_t offset(const array& a) noexcept { return a.offset_; }
  static slot_t raw_slot(const array& a) noexcept { return a.slot_; }
  static bool is_current(const tape_state& t, const array& a) noexcept {
    return a.kind() == entry_kind && a.stamp_ == t.stamp;
  }
  static bool is_leaf_cell(const array& a) noexcept { return a.kind() == leaf_kind; }
  static leaf_cell* cell(const array& a) noexcept { return a.cell_; }

  /// The first slot of an array that requires grad, registering a leaf on first use.
  static slot_t resolve(tape_state& t, const array& a) {
    if (a.kind() == leaf_kind) return static_cast<slot_t>(leaf_slot(t, a.cell_) + a.offset_);
    var_access::check_current(t, a.stamp_);
    return a.slot_;
  }
  static void check_backward(const tape_state& t, const array& a) {
    if (a.kind() == constant_kind) throw_no_grad("backward()");
    if (a.kind() == entry_kind) {
      if (a.stamp_ >> 32 != t.stamp >> 32) throw_foreign();
      if (a.stamp_ != t.stamp || (t.refs.data[a.slot_] & released_mark) != 0) throw_released();
    }
  }
  /// The writable values of a leaf, for in-place updates under no_grad.
  static double* leaf_values(array& a) noexcept { return a.cell_->values + a.offset_; }

  /// True when `a`, a temporary about to die, holds the last array entry on the tape, of n
  /// slots, recorded since the last checkpoint, and nothing else refers to those slots (no
  /// copy, slice or element of it): an op on it may take the entry over (fuse_into_dying).
  static bool absorbable(const tape_state& t, const array& a, std::size_t n) noexcept {
    if (a.kind() != entry_kind || a.stamp_ != t.stamp || (flags_of(a.info_) & folded_flag) != 0 ||
        a.length_ != n || n == 0 || t.array_count == 0)
      return false;
    const array_entry& e = t.arrays.data[t.array_count - 1];
    const slot_t k = a.slot_;
    return e.out == k && e.length == n && k >= t.fixed && t.refs.data[k] == 1 &&
           !any_handle(t.refs.data, k + 1, k + n, false);
  }
  /// Hands the count of a dying array to the op's result: its destructor then leaves it be.
  static void disown(const array& a) noexcept { const_cast<array&>(a).info_ = 0; }
};

/// Where the elements of an operand come from while an op computes.
struct elements_of_array {
  const double* p;
  double at(std::size_t i) const noexcept { return p[i]; }
};
struct elements_of_scalar {
  double v;
  double at(std::size_t) const noexcept { return v; }
};

template <class T>
auto elements(const T& a) {
  if constexpr (is_array<T>)
    return elements_of_array{array_access::data(a)};
  else
    return elements_of_scalar{value_of(a)};
}

template <class T>
bool array_grad_of(const T& a) {
  if constexpr (is_array<T> || is_var<T>)
    return a.requires_grad();
  else
    return false;
}

template <class... A>
std::size_t common_length(const A&... a) {
  std::size_t n = 0;
  bool first = true;
  auto check = [&](const auto& x) {
    if constexpr (is_array<decltype(x)>) {
      if (first) {
        n = x.size();
        first = false;
      } else if (x.size() != n) {
        throw shape_mismatch("arrays of " + std::to_string(n) + " and " + std::to_string(x.size()) +
                             " elements in one elementwise op: lengths must be equal (a scalar, "
                             "var or number, is broadcast to every element)");
      }
    }
  };
  (check(a), ...);
  return n;
}

/// One operand of an array entry being recorded.
struct array_pending {
  slot_t source;
  std::uint32_t length;
  std::size_t partials;  // pool offset or no_partials
  double constant;
};

/// Pushes an array entry of n output slots with the given operands; returns its first slot.
inline slot_t push_array_entry(tape_state& t, op_code_t op, std::size_t n, const array_pending* ops,
                               std::size_t m) {
  ensure_room(t, n, 0);
  if (t.array_count == t.arrays.capacity) t.arrays.reallocate(t.array_count, t.array_count + 1);
  if (t.operand_count + m > t.operands.capacity)
    t.operands.reallocate(t.operand_count, t.operand_count + m);
  const auto out = static_cast<slot_t>(t.size);
  // Through local pointers, one array at a time: loops the compiler vectorizes (stores to
  // one uint32 array could otherwise alias the other's pointer).
  std::uint32_t* const head = t.head.data + out;
  std::uint32_t* const refs = t.refs.data + out;
  std::fill_n(head, n - 1, head_of(op, array_body));
  head[n - 1] = head_of(op, array_last);
  std::fill_n(refs, n, 0u);
  refs[0] = 1;  // the handle about to be made
  t.size += n;
  update_limit(t);
  t.arrays.data[t.array_count++] =
      array_entry{out, static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(t.operand_count),
                  static_cast<std::uint32_t>(m)};
  for (std::size_t j = 0; j < m; ++j)
    t.operands.data[t.operand_count++] =
        array_operand{ops[j].source, ops[j].length, ops[j].partials, ops[j].constant};
  return out;
}

/// Merges operands reading the same slots (x * x): their partials add.
inline std::size_t merge_array_operands(tape_state& t, array_pending* ops, std::size_t m,
                                        std::size_t n) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < m; ++i) {
    std::size_t j = 0;
    while (j < kept && !(ops[j].source == ops[i].source && ops[j].length == ops[i].length)) ++j;
    if (j == kept) {
      ops[kept++] = ops[i];
      continue;
    }
    array_pending& into = ops[j];
    const array_pending& from = ops[i];
    // Partials per operand: n for an elementwise entry, the operand's length for a reduction.
    const std::size_t count = std::max<std::size_t>(into.length, n);
    if (into.partials == no_partials && from.partials == no_partials) {
      into.constant += from.constant;
    } else if (into.partials == no_partials) {
      into.partials = from.partials;
      double* p = t.pool.data + into.partials;
      for (std::size_t e = 0; e < count; ++e) p[e] += into.constant;
    } else if (from.partials == no_partials) {
      double* p = t.pool.data + into.partials;
      for (std::size_t e = 0; e < count; ++e) p[e] += from.constant;
    } else {  // two ranges of the pool, which do not overlap
      double* __restrict p = t.pool.data + into.partials;
      const double* __restrict q = t.pool.data + from.partials;
      for (std::size_t e = 0; e < count; ++e) p[e] += q[e];
    }
  }
  return kept;
}

/// True when Op's partial in argument I is a constant held in its type (1 for +, -1 for -).
template <class Op, std::size_t I, class... A>
inline constexpr bool type_constant_partial =
    TypeConstant<decltype(Op::template partial<I>(0.0, (static_cast<void>(sizeof(A)), 0.0)...))>;

/// True when the partial in argument I is the same for every element because it only
/// depends on the other arguments, which are scalars: c * x, x / c.
template <class Op, std::size_t I, class... A>
inline constexpr bool uniform_partial = (std::is_same_v<Op, ::leibniz::product_op> ||
                                         (std::is_same_v<Op, ::leibniz::div_op> && I == 0)) &&
                                        is_array<std::tuple_element_t<I, std::tuple<A...>>> &&
                                        (0 + ... + (is_array<A> ? 1 : 0)) == 1;

/// Operands of an entry that an op fused into: at most this many, so that merging them
/// (quadratic in their number) stays cheap; past it the op records an entry of its own.
inline constexpr std::size_t max_fused_operands = 8;

template <class Op, std::size_t I, class... A>
inline constexpr bool same_partials =
    type_constant_partial<Op, I, A...> || uniform_partial<Op, I, A...>;

/// d result / d operand I at element i of an elementwise op, from the op table: r is the
/// result, `sources` the operands' elements.
template <class Op, std::size_t I, class Sources, std::size_t... J>
double partial_at(std::index_sequence<J...>, const double* r, const Sources& sources,
                  std::size_t i) {
  return ::leibniz::detail::to_number<double>(
      Op::template partial<I>(r[i], std::get<J>(sources).at(i)...));
}

/// The record of operand I of an elementwise op that requires grad (an array or a var, read
/// through `sources`, the result's values r), with its partials: one constant when they are
/// the same for every element (Same), else n values in the pool.
template <class Op, std::size_t I, bool Same, class Sources, std::size_t... J, class X>
array_pending operand_record(tape_state& t, std::index_sequence<J...>, const X& x, std::size_t n,
                             const double* r, const Sources& sources) {
  array_pending o{};
  double scale = 1.0;
  if constexpr (is_array<X>) {
    o.source = array_access::resolve(t, x);
    o.length = static_cast<std::uint32_t>(n);
  } else {
    const slot_scale at = var_access::resolve(t, x);
    o.source = at.slot;
    o.length = 1;
    scale = at.scale;
  }
  const auto partial = [&](std::size_t i) {
    return partial_at<Op, I>(std::index_sequence<J...>{}, r, sources, i);
  };
  if constexpr (Same) {
    o.partials = no_partials;
    o.constant = scale * partial(0);
  } else {
    o.partials = pool_reserve(t, n);
    double* p = t.pool.data + o.partials;
    for (std::size_t i = 0; i < n; ++i) p[i] = scale * partial(i);
    o.constant = 0.0;
  }
  return o;
}

/// Op on a temporary array D that holds the last entry (array_access::absorbable): the
/// result takes that entry over, whose operands' partials are multiplied by d result / d D
/// (the chain rule, applied while recording), plus the op's other operands. `tail - head *
/// head` is then one entry, not two; the sweep, the slot marks and the adjoints of n slots
/// are saved. (Scalar code gets the same from statements: tape/statement.hpp.)
template <class Op, std::size_t D, class... A, std::size_t... I, class Sources>
array fuse_into_dying(tape_state& t, std::index_sequence<I...> seq, buffer_ref out, std::size_t n,
                      const Sources& sources, const A&... a) {
  const auto args = std::forward_as_tuple(a...);
  const array& dying = std::get<D>(args);
  const double* const r = out.data();
  std::array<array_pending, max_fused_operands> ops{};
  std::size_t m = 0;
  // The other operands first: resolving them may register leaves (slots above the entry's,
  // with no records: the order of the records holds, see sweep.hpp's entry_end).
  (
      [&] {
        using arg = std::tuple_element_t<I, std::tuple<A...>>;
        if constexpr (I != D && (is_array<arg> || is_var<arg>)) {
          if (std::get<I>(args).requires_grad())
            ops[m++] = operand_record<Op, I, same_partials<Op, I, A...>>(t, seq, std::get<I>(args),
                                                                         n, r, sources);
        }
      }(),
      ...);
  array_entry& e = t.arrays.data[t.array_count - 1];
  const slot_t k = e.out;
  const auto outer = [&](std::size_t i) { return partial_at<Op, D>(seq, r, sources, i); };
  for (std::uint32_t j = 0; j < e.operand_count; ++j) {
    const array_operand& o = t.operands.data[e.first_operand + j];
    array_pending c{o.source, o.length, o.partials, o.constant};
    if constexpr (same_partials<Op, D, A...>) {
      const double q = outer(0);
      if (c.partials == no_partials) {
        c.constant *= q;
      } else if (q != 1.0) {
        double* const p = t.pool.data + c.partials;
        for (std::size_t i = 0; i < n; ++i) p[i] *= q;
      }
    } else if (c.partials == no_partials) {
      c.partials = pool_reserve(t, n);
      double* const p = t.pool.data + c.partials;
      for (std::size_t i = 0; i < n; ++i) p[i] = o.constant * outer(i);
      c.constant = 0.0;
    } else {
      double* const p = t.pool.data + c.partials;
      for (std::size_t i = 0; i < n; ++i) p[i] *= outer(i);
    }
    ops[m++] = c;
  }
  m = merge_array_operands(t, ops.data(), m, n);
  if (e.first_operand + m > t.operands.capacity)
    t.operands.reallocate(t.operand_count, e.first_operand + m);
  for (std::size_t j = 0; j < m; ++j)
    t.operands.data[e.first_operand + j] =
        array_operand{ops[j].source, ops[j].length, ops[j].partials, ops[j].constant};
  t.operand_count = e.first_operand + m;
  e.operand_count = static_cast<std::uint32_t>(m);
  const op_code_t code = op_code<Op>();
  std::uint32_t* const head = t.head.data + k;
  std::fill_n(head, n - 1, head_of(code, array_body));
  head[n - 1] = head_of(code, array_last);
  array_access::disown(dying);
  return array_access::entry(std::move(out), 0, n, k, code);
}

/// True when operand D, a temporary array, can be fused into: it holds the last entry, and
/// is not also another operand of the op (std::move(x) * x).
template <std::size_t D, class... A>
bool can_fuse(const tape_state& t, std::size_t n, const A&... a) {
  const auto args = std::forward_as_tuple(a...);
  using dying_t = std::tuple_element_t<D, std::tuple<A...>>;
  if constexpr (!is_array<dying_t>) {
    return false;
  } else {
    const array& d = std::get<D>(args);
    const std::size_t same = ((static_cast<const void*>(&a) == static_cast<const void*>(&d)) + ...);
    return same == 1 && array_access::absorbable(t, d, n) &&
           t.arrays.data[t.array_count - 1].operand_count + sizeof...(A) - 1 <= max_fused_operands;
  }
}

/// Op applied elementwise to arrays and scalars (broadcast): one entry for the whole array.
/// Bit I of Dying says that operand I is a temporary (an rvalue the operators saw), whose
/// entry the op may take over (fuse_into_dying).
template <class Op, std::size_t Dying = 0, class... A, std::size_t... I>
array apply_array(std::index_sequence<I...> seq, const A&... a) {
  const std::size_t n = common_length(a...);
  const auto sources = std::make_tuple(elements(a)...);
  buffer_ref out = buffer_ref::make(n);
  double* r = out.data();
  for (std::size_t i = 0; i < n; ++i)
    r[i] = static_cast<double>(Op::value(std::get<I>(sources).at(i)...));
  tape_state& t = the_tape;
  if (!t.grad_enabled || !(array_grad_of(a) || ...) || n == 0)
    return array_access::constant(std::move(out), 0, n);
  reserve_entry(t, n, 0);  // before the operands are resolved: the tape may be reset here
  if constexpr (sizeof...(A) >= 2 && (Dying & 2u) != 0) {
    if (can_fuse<1>(t, n, a...))
      return fuse_into_dying<Op, 1>(t, seq, std::move(out), n, sources, a...);
  }
  if constexpr ((Dying & 1u) != 0) {
    if (can_fuse<0>(t, n, a...))
      return fuse_into_dying<Op, 0>(t, seq, std::move(out), n, sources, a...);
  }

  std::array<array_pending, sizeof...(A)> ops{};
  std::size_t m = 0;
  const auto args = std::forward_as_tuple(a...);
  (
      [&] {
        using arg = std::tuple_element_t<I, std::tuple<A...>>;
        if constexpr (is_array<arg> || is_var<arg>) {
          if (std::get<I>(args).requires_grad())
            ops[m++] = operand_record<Op, I, same_partials<Op, I, A...>>(t, seq, std::get<I>(args),
                                                                         n, r, sources);
        }
      }(),
      ...);
  m = merge_array_operands(t, ops.data(), m, n);
  const op_code_t code = op_code<Op>();
  const slot_t slot = push_array_entry(t, code, n, ops.data(), m);
  return array_access::entry(std::move(out), 0, n, slot, code);
}

/// A reduction to one scalar slot: its value, and operands with their partials.
inline var push_reduction(tape_state& t, op_code_t op, double value, const array_pending* ops,
                          std::size_t m) {
  const slot_t slot = push_array_entry(t, op, 1, ops, m);
  return var_access::fresh(value, slot, op);
}

}  // namespace detail

// The functions of one temporary array (one a function returned; array ops give array
// statements, array_statement.hpp) take its entry over. leibniz's functions
// (core/functions.hpp) take const references and cannot see temporaries; these overloads,
// found by argument-dependent lookup, are the better match for an rvalue array.

namespace detail {
template <class Op>
array apply_to_dying(const array& a) {
  return apply_array<Op, 1u>(std::index_sequence<0>{}, a);
}
}  // namespace detail

inline array sqrt(array&& a) { return detail::apply_to_dying<power_op<rational{1, 2}>>(a); }
inline array cbrt(array&& a) { return detail::apply_to_dying<power_op<rational{1, 3}>>(a); }
inline array exp(array&& a) { return detail::apply_to_dying<exp_op>(a); }
inline array expm1(array&& a) { return detail::apply_to_dying<expm1_op>(a); }
inline array log(array&& a) { return detail::apply_to_dying<log_op>(a); }
inline array log1p(array&& a) { return detail::apply_to_dying<log1p_op>(a); }
inline array sin(array&& a) { return detail::apply_to_dying<sin_op>(a); }
inline array cos(array&& a) { return detail::apply_to_dying<cos_op>(a); }
inline array tan(array&& a) { return detail::apply_to_dying<tan_op>(a); }
inline array asin(array&& a) { return detail::apply_to_dying<asin_op>(a); }
inline array acos(array&& a) { return detail::apply_to_dying<acos_op>(a); }
inline array atan(array&& a) { return detail::apply_to_dying<atan_op>(a); }
inline array sinh(array&& a) { return detail::apply_to_dying<sinh_op>(a); }
inline array cosh(array&& a) { return detail::apply_to_dying<cosh_op>(a); }
inline array tanh(array&& a) { return detail::apply_to_dying<tanh_op>(a); }
inline array erf(array&& a) { return detail::apply_to_dying<erf_op>(a); }
inline array sigmoid(array&& a) { return detail::apply_to_dying<sigmoid_op>(a); }
inline array abs(array&& a) { return detail::apply_to_dying<abs_op>(a); }

namespace detail {
/// x op= y for arrays: in place on a leaf (under no_grad only), x = x op y otherwise.
template <class B, class F>
array& update(array& x, const B& b, F op) {
  if (array_access::is_leaf_cell(x)) {
    if (is_grad_enabled()) throw_inplace_on_leaf();
    const std::size_t n = x.size();
    if constexpr (is_array<B>) {
      if (b.size() != n)
        throw shape_mismatch("an in-place update of an array of " + std::to_string(n) +
                             " elements by one of " + std::to_string(b.size()));
    }
    const auto from = elements(b);
    // Computed first: b may share values with x.
    std::vector<double> next(n);
    const double* now = array_access::data(x);
    for (std::size_t i = 0; i < n; ++i) next[i] = op(now[i], from.at(i));
    std::copy(next.begin(), next.end(), array_access::leaf_values(x));
    array_access::buffer(x).touch();  // array statements that read x see it changed
    return x;
  }
  x = op(x, b);
  return x;
}
}  // namespace detail

template <class B>
requires(detail::is_array<B> || detail::scalar_operand<B>) array& operator+=(array& x, const B& b) {
  return detail::update(x, b, [](const auto& p, const auto& q) { return p + q; });
}
template <class B>
requires(detail::is_array<B> || detail::scalar_operand<B>) array& operator-=(array& x, const B& b) {
  return detail::update(x, b, [](const auto& p, const auto& q) { return p - q; });
}
template <class B>
requires(detail::is_array<B> || detail::scalar_operand<B>) array& operator*=(array& x, const B& b) {
  return detail::update(x, b, [](const auto& p, const auto& q) { return p * q; });
}
template <class B>
requires(detail::is_array<B> || detail::scalar_operand<B>) array& operator/=(array& x, const B& b) {
  return detail::update(x, b, [](const auto& p, const auto& q) { return p / q; });
}

namespace detail {
/// sum or mean (partials `scale`) of a temporary array that holds the last entry and the last
/// slots (array_access::absorbable): the reduction takes that entry over, with its operands
/// and their partials times `scale`, and the array's n slots are popped. `sum(exp(x))` is
/// then one entry of one slot. Broadcast scalars among the operands become one partial, the
/// sum of theirs. Nothing when the array cannot be fused into.
inline std::optional<var> reduce_dying(tape_state& t, const array& a, op_code_t code, double scale,
                                       double value) {
  const std::size_t n = a.size();
  const slot_t k = array_access::raw_slot(a);
  if (!array_access::absorbable(t, a, n) || k + n != t.size) return std::nullopt;
  array_entry& e = t.arrays.data[t.array_count - 1];
  for (std::uint32_t j = 0; j < e.operand_count; ++j) {
    array_operand& o = t.operands.data[e.first_operand + j];
    double* const p = o.partials == no_partials ? nullptr : t.pool.data + o.partials;
    if (o.length == 1) {  // a broadcast scalar: d reduction / d it = scale * sum of partials
      const double total = p != nullptr ? accumulate(n, [&](std::size_t i) { return p[i]; })
                                        : o.constant * static_cast<double>(n);
      o.partials = no_partials;
      o.constant = scale * total;
    } else if (p == nullptr) {
      o.constant *= scale;
    } else if (scale != 1.0) {
      for (std::size_t i = 0; i < n; ++i) p[i] *= scale;
    }
  }
  e.length = 1;
  t.head.data[k] = head_of(code, array_last);
  t.size = k + 1;  // the array's other slots are gone; refs[k] is the count passed on
  update_limit(t);
  array_access::disown(a);
  return var_access::fresh(value, k, code);
}

inline double total_of(const array& a) {
  const double* p = array_access::data(a);
  return accumulate(a.size(), [&](std::size_t i) { return p[i]; });
}

/// sum (scale 1) or mean (scale 1/n) of the elements, `value`: one entry, whose partials
/// are `scale`.
inline var reduce(const array& a, op_code_t code, double scale, double value, bool dying) {
  tape_state& t = the_tape;
  if (!t.grad_enabled || !a.requires_grad() || a.empty()) return var(value);
  reserve_entry(t, 1, 0);
  if (dying)
    if (std::optional<var> fused = reduce_dying(t, a, code, scale, value)) return *std::move(fused);
  const array_pending o{array_access::resolve(t, a), static_cast<std::uint32_t>(a.size()),
                        no_partials, scale};
  return push_reduction(t, code, value, &o, 1);
}

inline var mean_of(const array& a, bool dying) {
  if (a.empty()) throw shape_mismatch("mean() of an empty array");
  const double n = static_cast<double>(a.size());
  return reduce(a, mean_code, 1.0 / n, total_of(a) / n, dying);
}
}  // namespace detail

/// The sum of the elements: one entry, whose partials are all 1.
inline var sum(const array& a) {
  return detail::reduce(a, detail::sum_code, 1.0, detail::total_of(a), false);
}
inline var sum(array&& a) {
  return detail::reduce(a, detail::sum_code, 1.0, detail::total_of(a), true);
}

/// The mean of the elements (of a non-empty array): partials 1/n.
inline var mean(const array& a) { return detail::mean_of(a, false); }
inline var mean(array&& a) { return detail::mean_of(a, true); }

/// sum_i a[i] * b[i]: one entry; the partials are the other array's values.
inline var dot(const array& a, const array& b) {
  const std::size_t n = detail::common_length(a, b);
  const double* p = detail::array_access::data(a);
  const double* q = detail::array_access::data(b);
  const double total = detail::accumulate(n, [&](std::size_t i) { return p[i] * q[i]; });
  detail::tape_state& t = detail::the_tape;
  if (!t.grad_enabled || !(a.requires_grad() || b.requires_grad()) || n == 0) return var(total);
  detail::reserve_entry(t, 1, 0);
  std::array<detail::array_pending, 2> ops{};
  if (p == q && a.requires_grad() && b.requires_grad()) {
    // dot(z, z): one operand with partials 2 z (not two copies of z, then merged).
    const detail::slot_t s = detail::array_access::resolve(t, a);
    if (detail::array_access::resolve(t, b) == s) {
      const std::size_t offset = detail::pool_reserve(t, n);
      double* const out = t.pool.data + offset;
      for (std::size_t i = 0; i < n; ++i) out[i] = 2.0 * p[i];
      ops[0] = {s, static_cast<std::uint32_t>(n), offset, 0.0};
      return detail::push_reduction(t, detail::dot_code, total, ops.data(), 1);
    }
  }
  std::size_t m = 0;
  auto add = [&](const array& x, const double* other) {
    if (!x.requires_grad()) return;
    const std::size_t offset = detail::pool_reserve(t, n);
    std::copy(other, other + n, t.pool.data + offset);
    ops[m++] = {detail::array_access::resolve(t, x), static_cast<std::uint32_t>(n), offset, 0.0};
  };
  add(a, q);
  add(b, p);
  m = detail::merge_array_operands(t, ops.data(), m, n);
  return detail::push_reduction(t, detail::dot_code, total, ops.data(), m);
}

inline var array::operator[](std::size_t i) const {
  check_index(i);
  const double v = data()[i];
  detail::tape_state& t = detail::the_tape;
  if (!requires_grad() || !t.grad_enabled) return var(v);
  const detail::slot_t first = detail::array_access::resolve(t, *this);
  return detail::var_access::folded(v, static_cast<detail::slot_t>(first + i), detail::select_code,
                                    1.0);
}

inline array array::slice(std::size_t first, std::size_t last) const {
  if (first > last || last > length_)
    throw shape_mismatch("slice [" + std::to_string(first) + ", " + std::to_string(last) +
                         ") of an array of " + std::to_string(length_) + " elements");
  detail::tape_state& t = detail::the_tape;
  if (!requires_grad() || !t.grad_enabled || first == last)
    return detail::array_access::constant(values_, offset_ + first, last - first);
  const detail::slot_t start = detail::array_access::resolve(t, *this);
  return detail::array_access::entry(values_, offset_ + first, last - first,
                                     static_cast<detail::slot_t>(start + first), detail::slice_code,
                                     true);
}

inline void array::backward(backward_options options) const {
  if (length_ != 1)
    throw invalid_argument(
        "grad can be implicitly created only for scalar outputs: backward() on an array of " +
        std::to_string(length_) +
        " elements needs the gradient of the loss with respect to it (a vector-Jacobian "
        "product), e.g. y.backward(std::vector<double>(y.size(), 1.0)); or reduce it to a "
        "scalar first: sum(y).backward()");
  const double one = 1.0;
  backward(std::span<const double>(&one, 1), options);
}

inline void array::backward(std::span<const double> gradient, backward_options options) const {
  detail::tape_state& t = detail::the_tape;
  detail::array_access::check_backward(t, *this);
  if (gradient.size() != length_)
    throw shape_mismatch("backward(gradient) on an array of " + std::to_string(length_) +
                         " elements with a gradient of " + std::to_string(gradient.size()));
  if (length_ == 0) return;
  const detail::slot_t first = detail::array_access::resolve(t, *this);
  detail::backward_sweep(t, {first, length_, gradient.data(), 1.0, true, options.retain_graph});
}

/// Prints like a tensor: `array([1, 4, 9], grad_fn=mul)`.
inline std::ostream& operator<<(std::ostream& out, const array& a) {
  out << "array([";
  for (std::size_t i = 0; i < a.size(); ++i) out << (i > 0 ? ", " : "") << a.values()[i];
  out << ']';
  if (const auto fn = a.grad_fn())
    out << ", grad_fn=" << *fn;
  else if (a.requires_grad())
    out << ", requires_grad";
  return out << ')';
}

}  // namespace leibniz::tape

namespace leibniz {
/// `x = a` for a leibniz::vector x keeps the array (not only its numbers): tape::apply of a
/// sum over x records the gradient with respect to a (tape/sum_block.hpp).
template <>
inline constexpr bool binds_vector_by_handle<tape::array> = true;
}  // namespace leibniz
