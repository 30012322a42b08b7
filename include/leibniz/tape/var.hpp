// leibniz/tape/var.hpp
// tape::var: a scalar that records the ops applied to it, with PyTorch's autograd semantics:
// requires_grad, grad(), zero_grad(), backward(), detach(), is_leaf(), grad_fn().
#pragma once

#include <leibniz/config.hpp>
#include <leibniz/core/variable.hpp>
#include <leibniz/tape/errors.hpp>
#include <leibniz/tape/names.hpp>
#include <leibniz/tape/no_grad.hpp>
#include <leibniz/tape/sweep.hpp>
#include <leibniz/tape/tape.hpp>

#include <bit>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string_view>
#include <utility>

namespace leibniz {

/// The tag that makes a leaf require grad: `tape::var x{2.0, leibniz::requires_grad};`
struct requires_grad_t {
  explicit constexpr requires_grad_t() = default;
};
inline constexpr requires_grad_t requires_grad{};

}  // namespace leibniz

namespace leibniz::tape {

/// Options of backward(): `y.backward({.retain_graph = true})`.
struct backward_options {
  /// Keep the graph after this backward(), so that backward() can go through it again. By
  /// default backward() releases it, as in PyTorch.
  bool retain_graph = false;
};

class var;
template <class N>
class statement;

namespace detail {

inline constexpr std::uint32_t constant_kind = 0;  // a number: requires no grad
inline constexpr std::uint32_t leaf_kind = 1;      // a leaf that requires grad: a cell
inline constexpr std::uint32_t entry_kind = 2;     // a result on the tape (or an input of
                                                   // tape::gradient, whose op is leaf_op)
inline constexpr std::uint32_t folded_flag = 1;    // an affine op with constants folded over
                                                   // its operand's entry: no entry of its own

/// A handle's op code, kind and flags in one word: op << 16 | kind << 8 | flags. (One 32-bit
/// store, where bytes would be character stores that the compiler must assume alias the
/// tape's cursors.)
inline constexpr std::uint32_t info_of(op_code_t op, std::uint32_t kind, std::uint32_t flags) {
  return static_cast<std::uint32_t>(op) << 16 | kind << 8 | flags;
}
inline constexpr std::uint32_t kind_of(std::uint32_t info) { return (info >> 8) & 0xFF; }
inline constexpr std::uint32_t flags_of(std::uint32_t info) { return info & 0xFF; }
inline constexpr op_code_t op_of_info(std::uint32_t info) {
  return static_cast<op_code_t>(info >> 16);
}

struct var_access;

/// Where a var that requires grad sits on this thread's tape, and d var / d slot.
struct slot_scale {
  slot_t slot;
  double scale;
};

/// An operand read without the general path (var_access::quick).
struct operand_view {
  double value;
  slot_scale at;
};

}  // namespace detail

/// A scalar of tape mode. Ops on vars that require grad are recorded on this thread's tape;
/// backward() then sends the gradient to the leaves. Like a Python name bound to a tensor, a
/// var is a handle: copies of a leaf are the same leaf (one value, one .grad).
///
///     tape::var x{3.0, leibniz::requires_grad};
///     tape::var y = x * x;
///     y.backward();
///     *x.grad();   // 6
class var {
 public:
  /// The constant 0.
  var() noexcept : bits_(0) {}
  /// A constant: requires no grad, is a leaf, has no grad_fn.
  var(double value) noexcept : value_(value), bits_(0) {}  // NOLINT: a number is a var
  /// A leaf that requires grad: backward() accumulates d output / d this in grad().
  var(double value, requires_grad_t)
      : bits_(std::bit_cast<std::uint64_t>(detail::make_scalar_cell(value))) {
    info_ = detail::info_of(detail::leaf_op, detail::leaf_kind, 0);
  }

  /// A statement (`x * y + 1`): recorded as one entry (tape/statement.hpp).
  template <class N>
  var(const statement<N>& s);  // NOLINT: a statement is a var

  LEIBNIZ_INLINE var(const var& other) noexcept
      : value_(other.value_),
        scale_(other.scale_),
        bits_(other.bits_),
        slot_(other.slot_),
        info_(other.info_) {
    retain();
  }
  LEIBNIZ_INLINE var(var&& other) noexcept
      : value_(other.value_),
        scale_(other.scale_),
        bits_(other.bits_),
        slot_(other.slot_),
        info_(other.info_) {
    other.info_ = 0;
    other.bits_ = 0;  // a constant now: its destructor lets the count be
  }
  LEIBNIZ_INLINE var& operator=(const var& other) noexcept {
    if (this != &other) {
      var copy(other);
      *this = std::move(copy);
    }
    return *this;
  }
  LEIBNIZ_INLINE var& operator=(var&& other) noexcept {
    if (this != &other) {
      release();
      value_ = other.value_;
      scale_ = other.scale_;
      bits_ = other.bits_;
      slot_ = other.slot_;
      info_ = other.info_;
      other.info_ = 0;
      other.bits_ = 0;
    }
    return *this;
  }
  LEIBNIZ_INLINE ~var() { release<true>(); }

  /// The value (torch: x.item()).
  double value() const noexcept {
    return kind() == detail::leaf_kind ? cell()->scalar_value : value_;
  }
  /// The value, under PyTorch's name.
  double item() const noexcept { return value(); }
  explicit operator double() const noexcept { return value(); }

  /// True for leaves made with requires_grad and for results of ops on them (recorded
  /// outside no_grad).
  bool requires_grad() const noexcept { return kind() != detail::constant_kind; }

  /// True for vars made by the user (constants and leaves requiring grad), false for the
  /// results of recorded ops.
  bool is_leaf() const noexcept {
    return kind() != detail::entry_kind || detail::op_of_info(info_) == detail::leaf_op;
  }

  /// The gradient accumulated by backward() calls, or nullopt if none has reached this var
  /// yet: only leaves that require grad keep one (torch: x.grad is None otherwise).
  std::optional<double> grad() const noexcept {
    if (kind() != detail::leaf_kind || !cell()->has_grad) return std::nullopt;
    return cell()->scalar_grad;
  }

  /// Sets an accumulated gradient to 0 (torch: x.grad.zero_()); no gradient stays none.
  void zero_grad() noexcept {
    if (kind() == detail::leaf_kind && cell()->has_grad) cell()->scalar_grad = 0.0;
  }

  /// Forgets the gradient: grad() is nullopt again (torch: x.grad = None).
  void clear_grad() noexcept {
    if (kind() == detail::leaf_kind) cell()->has_grad = false;
  }

  /// The name of the op that made this var ("mul", "sin", ...), or nullopt for leaves and
  /// constants (torch: y.grad_fn).
  std::optional<std::string_view> grad_fn() const {
    if (is_leaf()) return std::nullopt;
    return detail::name_of(detail::op_of_info(info_));
  }

  /// The same value as a constant, cut from the graph (torch: y.detach()).
  var detach() const noexcept { return var(value()); }

  /// d this / d leaf for every leaf this var depends on, added to the leaves' grad(). Then
  /// the graph is released, unless retain_graph: a second backward() through it throws.
  void backward(backward_options options = {}) const { backward(1.0, options); }
  /// The same with d loss / d this = gradient (a vector-Jacobian product of one element).
  void backward(double gradient, backward_options options = {}) const;

 private:
  friend struct detail::var_access;

  std::uint32_t kind() const noexcept { return detail::kind_of(info_); }
  detail::leaf_cell* cell() const noexcept { return std::bit_cast<detail::leaf_cell*>(bits_); }

  /// One more handle to the cell, or to the slot if it belongs to this thread's current tape.
  /// (bits_ equal to the tape's stamp says "a result of this tape" by itself: see
  /// tape_state::stamp.)
  LEIBNIZ_INLINE void retain() const noexcept {
    detail::tape_state& t = detail::the_tape;
    if (bits_ == t.stamp) [[likely]]
      detail::retain_slot(t, slot_);
    else if (kind() == detail::leaf_kind)
      cell()->refs.fetch_add(1, std::memory_order_relaxed);
  }
  /// `Ends`: the handle ends (its destructor), which may let a waiting reset happen
  /// (end_handle); an assignment's release does not (the new value is alive).
  template <bool Ends = false>
  LEIBNIZ_INLINE void release() noexcept {
    detail::tape_state& t = detail::the_tape;
    if (bits_ == t.stamp) [[likely]] {
      if constexpr (Ends)
        detail::end_handle(t, slot_);
      else
        detail::release_slot(t, slot_);
    } else if (kind() == detail::leaf_kind) {
      detail::release_cell(cell());
    }
  }

  double value_ = 0.0;
  double scale_ = 1.0;  // d this / d slot_: affine ops with constants fold into it
  // entry_kind: the stamp (tape and generation) it was recorded under; leaf_kind: the
  // address of its cell; constant_kind: 0.
  std::uint64_t bits_;
  detail::slot_t slot_ = 0;
  std::uint32_t info_ = 0;  // op code, kind and flags
};

namespace detail {

/// The internals of var, for the ops that record.
struct var_access {
  /// A handle to the entry just pushed at slot k (whose refs the push set to 1).
  LEIBNIZ_INLINE static var fresh(double value, slot_t k, op_code_t op) {
    var v;
    v.value_ = value;
    v.slot_ = k;
    v.bits_ = the_tape.stamp;
    v.info_ = info_of(op, entry_kind, 0);
    return v;
  }
  /// A handle to an existing slot with d handle / d slot = scale: an affine op folded over
  /// its operand, or an element of an array.
  LEIBNIZ_INLINE static var folded(double value, slot_t slot, op_code_t op, double scale) {
    tape_state& t = the_tape;
    var v;
    v.value_ = value;
    v.scale_ = scale;
    v.slot_ = slot;
    v.bits_ = t.stamp;
    v.info_ = info_of(op, entry_kind, folded_flag);
    retain_slot(t, slot);
    return v;
  }

  static bool is_leaf_cell(const var& v) noexcept { return v.kind() == leaf_kind; }
  static leaf_cell* cell(const var& v) noexcept { return v.cell(); }
  static bool folded(const var& v) noexcept { return (flags_of(v.info_) & folded_flag) != 0; }
  static slot_t raw_slot(const var& v) noexcept { return v.slot_; }
  /// The value of an entry (not of a leaf, whose value is in its cell).
  static double entry_value(const var& v) noexcept { return v.value_; }
  static double scale(const var& v) noexcept { return v.scale_; }
  /// True for a result recorded on this thread's tape in its current generation.
  static bool is_current(const tape_state& t, const var& v) noexcept { return v.bits_ == t.stamp; }

  /// The value, slot and scale of v when it is a result of this recording or a leaf already
  /// registered in it (nothing to register, no error possible): false otherwise.
  LEIBNIZ_INLINE static bool quick(const tape_state& t, const var& v, operand_view& out) noexcept {
    if (v.bits_ == t.stamp) [[likely]] {
      out = {v.value_, {v.slot_, v.scale_}};
      return true;
    }
    if (v.kind() != leaf_kind) return false;
    const leaf_cell* c = v.cell();
    if (c->home_stamp.load(std::memory_order_relaxed) != t.leaf_stamp) return false;
    out = {c->scalar_value, {c->home_slot, 1.0}};
    return true;
  }

  /// The slot and scale of a result of this recording (is_current).
  static slot_scale current(const var& v) noexcept { return {v.slot_, v.scale_}; }

  /// The slot and scale of a var that requires grad, registering a leaf on first use.
  /// Throws for vars of another thread's tape and for vars whose graph was reclaimed.
  LEIBNIZ_INLINE static slot_scale resolve(tape_state& t, const var& v) {
    if (v.bits_ == t.stamp) [[likely]]
      return {v.slot_, v.scale_};
    if (v.kind() == leaf_kind) return {leaf_slot(t, v.cell()), 1.0};
    check_current(t, v.bits_);  // throws: a stale or foreign result
    return {v.slot_, v.scale_};
  }

  LEIBNIZ_INLINE static void check_current(const tape_state& t, std::uint64_t stamp) {
    if (stamp != t.stamp) [[unlikely]] {
      if (stamp >> 32 != t.stamp >> 32) throw_foreign();
      throw_stale_operand();
    }
  }

  /// The cell's value, for in-place updates of a leaf.
  static void set_leaf_value(var& v, double value) noexcept { v.cell()->scalar_value = value; }

  /// Throws unless backward() can start from v: it requires grad, belongs to this thread's
  /// tape, and its graph has not been released.
  static void check_backward(const tape_state& t, const var& v, const char* what) {
    if (v.kind() == constant_kind) throw_no_grad(what);
    if (v.kind() == entry_kind) {
      if (v.bits_ >> 32 != t.stamp >> 32) throw_foreign();
      if (v.bits_ != t.stamp || (t.refs.data[v.slot_] & released_mark) != 0) throw_released();
    }
  }
};

}  // namespace detail

inline void var::backward(double gradient, backward_options options) const {
  detail::tape_state& t = detail::the_tape;
  detail::var_access::check_backward(t, *this, "backward()");
  const detail::slot_scale at = detail::var_access::resolve(t, *this);
  detail::backward_sweep(t, {at.slot, 1, nullptr, gradient * at.scale, true, options.retain_graph});
}

/// Prints like a tensor: `var(6, grad_fn=mul)`, `var(3, requires_grad)`, `var(2)`.
inline std::ostream& operator<<(std::ostream& out, const var& v) {
  out << "var(" << v.value();
  if (const auto fn = v.grad_fn())
    out << ", grad_fn=" << *fn;
  else if (v.requires_grad())
    out << ", requires_grad";
  return out << ')';
}

}  // namespace leibniz::tape

namespace leibniz {
/// `x = v` for a named var refers to v: a copy would count one more handle and drop it again
/// (tape::apply(e, x = v) in a loop body is the hot path of static blocks).
template <>
inline constexpr bool binds_by_reference<tape::var> = true;
}  // namespace leibniz
