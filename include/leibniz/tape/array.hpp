// leibniz/tape/array.hpp
// tape::array: a 1-D array of doubles that records whole-array ops, one tape entry per op
// (not one per element): elementwise arithmetic and every function of the op table with
// scalars broadcast, slices, and the reductions sum, mean and dot.
#pragma once

#include <leibniz/core/dispatch.hpp>
#include <leibniz/core/expression.hpp>
#include <leibniz/core/functions.hpp>
#include <leibniz/ops/ops.hpp>
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
      if (stamp_ == t.stamp) detail::release_slot(t, slot_);
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
    if (into.partials == no_partials && from.partials == no_partials) {
      into.constant += from.constant;
    } else if (into.partials == no_partials) {
      into.partials = from.partials;
      double* p = t.pool.data + into.partials;
      for (std::size_t e = 0; e < n; ++e) p[e] += into.constant;
    } else if (from.partials == no_partials) {
      double* p = t.pool.data + into.partials;
      for (std::size_t e = 0; e < n; ++e) p[e] += from.constant;
    } else {
      double* p = t.pool.data + into.partials;
      const double* q = t.pool.data + from.partials;
      for (std::size_t e = 0; e < n; ++e) p[e] += q[e];
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

/// Op applied elementwise to arrays and scalars (broadcast): one entry for the whole array.
template <class Op, class... A, std::size_t... I>
array apply_array(std::index_sequence<I...>, const A&... a) {
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

  std::array<array_pending, sizeof...(A)> ops{};
  std::size_t m = 0;
  const auto args = std::forward_as_tuple(a...);
  (
      [&] {
        using arg = std::tuple_element_t<I, std::tuple<A...>>;
        if constexpr (is_array<arg> || is_var<arg>) {
          const auto& x = std::get<I>(args);
          if (!x.requires_grad()) return;
          array_pending o{};
          double scale = 1.0;
          if constexpr (is_array<arg>) {
            o.source = array_access::resolve(t, x);
            o.length = static_cast<std::uint32_t>(n);
          } else {
            const slot_scale at = var_access::resolve(t, x);
            o.source = at.slot;
            o.length = 1;
            scale = at.scale;
          }
          if constexpr (type_constant_partial<Op, I, A...>) {
            o.partials = no_partials;
            o.constant = scale * ::leibniz::detail::to_number<double>(
                                     Op::template partial<I>(r[0], std::get<I>(sources).at(0)...));
          } else if constexpr (uniform_partial<Op, I, A...>) {
            o.partials = no_partials;
            o.constant = scale * ::leibniz::detail::to_number<double>(
                                     Op::template partial<I>(r[0], std::get<I>(sources).at(0)...));
          } else {
            o.partials = pool_reserve(t, n);
            double* p = t.pool.data + o.partials;
            for (std::size_t i = 0; i < n; ++i)
              p[i] = scale * ::leibniz::detail::to_number<double>(
                                 Op::template partial<I>(r[i], std::get<I>(sources).at(i)...));
            o.constant = 0.0;
          }
          ops[m++] = o;
        }
      }(),
      ...);
  m = merge_array_operands(t, ops.data(), m, n);
  const op_code_t code = op_code<Op>();
  const slot_t slot = push_array_entry(t, code, n, ops.data(), m);
  return array_access::entry(std::move(out), 0, n, slot, code);
}

/// Array ops: at least one array, the others arrays, vars, numbers or type constants.
template <class... A>
concept array_lift = (is_array<A> || ...) && ((is_array<A> || scalar_operand<A>)&&...);

template <class T>
concept array_operator_operand = is_array<T> || scalar_operand<T> || Expression<T>;

template <class A, class B>
concept array_operator_operands =
    (is_array<A> || is_array<B>)&&array_operator_operand<A>&& array_operator_operand<B>;

/// A reduction to one scalar slot: its value, and operands with their partials.
inline var push_reduction(tape_state& t, op_code_t op, double value, const array_pending* ops,
                          std::size_t m) {
  const slot_t slot = push_array_entry(t, op, 1, ops, m);
  return var_access::fresh(value, slot, op);
}

}  // namespace detail

/// The hook of call<Op> (core/dispatch.hpp) for arrays: one entry for the whole array.
template <class Op, class... A>
requires detail::array_lift<A...> array lift(op_tag<Op>, const A&... a) {
  return detail::apply_array<Op>(std::index_sequence_for<A...>{}, a...);
}

template <class A, class B>
requires detail::array_operator_operands<A, B> array operator+(const A& a, const B& b) {
  detail::check_not_static<A, B>();
  if constexpr (!Expression<A> && !Expression<B>)
    return call<sum_op>(a, b);
  else
    return array();
}
template <class A, class B>
requires detail::array_operator_operands<A, B> array operator-(const A& a, const B& b) {
  detail::check_not_static<A, B>();
  if constexpr (!Expression<A> && !Expression<B>)
    return call<sub_op>(a, b);
  else
    return array();
}
template <class A, class B>
requires detail::array_operator_operands<A, B> array operator*(const A& a, const B& b) {
  detail::check_not_static<A, B>();
  if constexpr (!Expression<A> && !Expression<B>)
    return call<product_op>(a, b);
  else
    return array();
}
template <class A, class B>
requires detail::array_operator_operands<A, B> array operator/(const A& a, const B& b) {
  detail::check_not_static<A, B>();
  if constexpr (!Expression<A> && !Expression<B>)
    return call<div_op>(a, b);
  else
    return array();
}
inline array operator-(const array& a) { return call<neg_op>(a); }
inline array operator+(const array& a) { return a; }

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

/// The sum of the elements: one entry, whose partials are all 1.
inline var sum(const array& a) {
  const double* p = detail::array_access::data(a);
  double total = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) total += p[i];
  detail::tape_state& t = detail::the_tape;
  if (!t.grad_enabled || !a.requires_grad() || a.empty()) return var(total);
  detail::reserve_entry(t, 1, 0);
  const detail::array_pending o{detail::array_access::resolve(t, a),
                                static_cast<std::uint32_t>(a.size()), detail::no_partials, 1.0};
  return detail::push_reduction(t, detail::sum_code, total, &o, 1);
}

/// The mean of the elements (of a non-empty array): partials 1/n.
inline var mean(const array& a) {
  if (a.empty()) throw shape_mismatch("mean() of an empty array");
  const double* p = detail::array_access::data(a);
  double total = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) total += p[i];
  const double n = static_cast<double>(a.size());
  detail::tape_state& t = detail::the_tape;
  if (!t.grad_enabled || !a.requires_grad()) return var(total / n);
  detail::reserve_entry(t, 1, 0);
  const detail::array_pending o{detail::array_access::resolve(t, a),
                                static_cast<std::uint32_t>(a.size()), detail::no_partials, 1.0 / n};
  return detail::push_reduction(t, detail::mean_code, total / n, &o, 1);
}

/// sum_i a[i] * b[i]: one entry; the partials are the other array's values.
inline var dot(const array& a, const array& b) {
  const std::size_t n = detail::common_length(a, b);
  const double* p = detail::array_access::data(a);
  const double* q = detail::array_access::data(b);
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i) total += p[i] * q[i];
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
