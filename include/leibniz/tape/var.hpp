// leibniz/tape/var.hpp
// tape::var: a scalar that records the ops applied to it, with PyTorch's autograd semantics:
// requires_grad, grad(), zero_grad(), backward(), detach(), is_leaf(), grad_fn().
#pragma once

#include <leibniz/tape/errors.hpp>
#include <leibniz/tape/names.hpp>
#include <leibniz/tape/no_grad.hpp>
#include <leibniz/tape/sweep.hpp>
#include <leibniz/tape/tape.hpp>

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

namespace detail {

inline constexpr std::uint8_t constant_kind = 0;  // a number: requires no grad
inline constexpr std::uint8_t leaf_kind = 1;      // a leaf that requires grad: a cell
inline constexpr std::uint8_t entry_kind = 2;     // a result on the tape (or an input of
                                                  // tape::gradient, whose op is leaf_op)
inline constexpr std::uint8_t released_flag = 1;  // backward() released its graph
inline constexpr std::uint8_t folded_flag = 2;    // an affine op with constants folded over
                                                  // its operand's entry: no entry of its own

struct var_access;

/// Where a var that requires grad sits on this thread's tape, and d var / d slot.
struct slot_scale {
  slot_t slot;
  double scale;
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
  var() noexcept : stamp_(0) {}
  /// A constant: requires no grad, is a leaf, has no grad_fn.
  var(double value) noexcept : value_(value), stamp_(0) {}  // NOLINT: a number is a var
  /// A leaf that requires grad: backward() accumulates d output / d this in grad().
  var(double value, requires_grad_t) : stamp_(0) {
    cell_ = detail::make_scalar_cell(value);
    kind_ = detail::leaf_kind;
  }

  var(const var& other) noexcept { copy_from(other); }
  var(var&& other) noexcept { steal(other); }
  var& operator=(const var& other) noexcept {
    if (this != &other) {
      var copy(other);
      drop();
      steal(copy);
    }
    return *this;
  }
  var& operator=(var&& other) noexcept {
    if (this != &other) {
      drop();
      steal(other);
    }
    return *this;
  }
  ~var() { drop(); }

  /// The value (torch: x.item()).
  double value() const noexcept { return kind_ == detail::leaf_kind ? *cell_->values : value_; }
  /// The value, under PyTorch's name.
  double item() const noexcept { return value(); }
  explicit operator double() const noexcept { return value(); }

  /// True for leaves made with requires_grad and for results of ops on them (recorded
  /// outside no_grad).
  bool requires_grad() const noexcept { return kind_ != detail::constant_kind; }

  /// True for vars made by the user (constants and leaves requiring grad), false for the
  /// results of recorded ops.
  bool is_leaf() const noexcept { return kind_ != detail::entry_kind || op_ == detail::leaf_op; }

  /// The gradient accumulated by backward() calls, or nullopt if none has reached this var
  /// yet: only leaves that require grad keep one (torch: x.grad is None otherwise).
  std::optional<double> grad() const noexcept {
    if (kind_ != detail::leaf_kind || !cell_->has_grad) return std::nullopt;
    return *cell_->grads;
  }

  /// Sets an accumulated gradient to 0 (torch: x.grad.zero_()); no gradient stays none.
  void zero_grad() noexcept {
    if (kind_ == detail::leaf_kind && cell_->has_grad) *cell_->grads = 0.0;
  }

  /// Forgets the gradient: grad() is nullopt again (torch: x.grad = None).
  void clear_grad() noexcept {
    if (kind_ == detail::leaf_kind) cell_->has_grad = false;
  }

  /// The name of the op that made this var ("mul", "sin", ...), or nullopt for leaves and
  /// constants (torch: y.grad_fn).
  std::optional<std::string_view> grad_fn() const {
    if (kind_ != detail::entry_kind || op_ == detail::leaf_op) return std::nullopt;
    return detail::name_of(op_);
  }

  /// The same value as a constant, cut from the graph (torch: y.detach()).
  var detach() const noexcept { return var(value()); }

  /// d this / d leaf for every leaf this var depends on, added to the leaves' grad(). Then
  /// the graph is released, unless retain_graph: a second backward() through it throws.
  void backward(backward_options options = {}) { backward(1.0, options); }
  /// The same with d loss / d this = gradient (a vector-Jacobian product of one element).
  void backward(double gradient, backward_options options = {});

 private:
  friend struct detail::var_access;

  void copy_from(const var& other) noexcept {
    value_ = other.value_;
    scale_ = other.scale_;
    slot_ = other.slot_;
    op_ = other.op_;
    kind_ = other.kind_;
    flags_ = other.flags_;
    if (kind_ == detail::leaf_kind) {
      cell_ = other.cell_;
      cell_->refs.fetch_add(1, std::memory_order_relaxed);
    } else {
      stamp_ = other.stamp_;
      if (counts()) ++detail::the_tape.live;
    }
  }
  void steal(var& other) noexcept {
    value_ = other.value_;
    scale_ = other.scale_;
    slot_ = other.slot_;
    op_ = other.op_;
    kind_ = other.kind_;
    flags_ = other.flags_;
    if (kind_ == detail::leaf_kind) {
      cell_ = other.cell_;
      other.value_ = *cell_->values;
    } else {
      stamp_ = other.stamp_;
    }
    other.kind_ = detail::constant_kind;
    other.stamp_ = 0;
  }
  void drop() noexcept {
    if (kind_ == detail::leaf_kind) {
      detail::release_cell(cell_);
    } else if (counts()) {
      detail::tape_state& t = detail::the_tape;
      if (--t.live == 0) detail::reset(t);
    }
    kind_ = detail::constant_kind;
  }
  /// True when this handle keeps its tape's entries alive.
  bool counts() const noexcept {
    return kind_ == detail::entry_kind && (flags_ & detail::released_flag) == 0 &&
           stamp_ == detail::the_tape.stamp;
  }

  double value_ = 0.0;
  double scale_ = 1.0;  // d this / d slot_: affine ops with constants fold into it
  union {
    std::uint64_t stamp_;      // entry_kind: the tape and generation it was recorded on
    detail::leaf_cell* cell_;  // leaf_kind
  };
  detail::slot_t slot_ = 0;
  detail::op_code_t op_ = detail::no_op;
  std::uint8_t kind_ = detail::constant_kind;
  std::uint8_t flags_ = 0;
};

namespace detail {

/// The internals of var, for the ops that record.
struct var_access {
  /// A new handle to an entry of this thread's tape (the current generation).
  static var entry(double value, slot_t slot, op_code_t op, double scale, std::uint8_t flags) {
    var v;
    v.value_ = value;
    v.scale_ = scale;
    v.slot_ = slot;
    v.op_ = op;
    v.flags_ = flags;
    v.kind_ = entry_kind;
    v.stamp_ = the_tape.stamp;
    ++the_tape.live;
    return v;
  }

  static bool is_leaf_cell(const var& v) noexcept { return v.kind_ == leaf_kind; }
  static leaf_cell* cell(const var& v) noexcept { return v.cell_; }
  static bool folded(const var& v) noexcept { return (v.flags_ & folded_flag) != 0; }
  static slot_t raw_slot(const var& v) noexcept { return v.slot_; }
  static double scale(const var& v) noexcept { return v.scale_; }
  /// True for a result recorded on this thread's tape in its current generation.
  static bool is_current(const tape_state& t, const var& v) noexcept {
    return v.kind_ == entry_kind && v.stamp_ == t.stamp;
  }

  /// The slot and scale of a var that requires grad, registering a leaf on first use.
  /// Throws for vars of another thread's tape and for vars whose graph was reclaimed.
  static slot_scale resolve(tape_state& t, const var& v) {
    if (v.kind_ == leaf_kind) return {leaf_slot(t, v.cell_), 1.0};
    check_current(t, v.stamp_);
    return {v.slot_, v.scale_};
  }

  static void check_current(const tape_state& t, std::uint64_t stamp) {
    if (stamp != t.stamp) [[unlikely]] {
      if (stamp >> 32 != t.stamp >> 32) throw_foreign();
      throw_stale_operand();
    }
  }

  static void mark_released(var& v) noexcept {
    if (v.counts()) {
      v.flags_ |= released_flag;
      if (--the_tape.live == 0) reset(the_tape);
    } else {
      v.flags_ |= released_flag;
    }
  }

  /// The cell's value, for in-place updates of a leaf.
  static void set_leaf_value(var& v, double value) noexcept { *v.cell_->values = value; }

  static void check_backward(const tape_state& t, const var& v, const char* what) {
    if (v.kind_ == constant_kind) throw_no_grad(what);
    if (v.kind_ == entry_kind) {
      if (v.stamp_ >> 32 != t.stamp >> 32) throw_foreign();
      if (v.stamp_ != t.stamp || (v.flags_ & released_flag) != 0) throw_released();
    }
  }
};

}  // namespace detail

inline void var::backward(double gradient, backward_options options) {
  detail::tape_state& t = detail::the_tape;
  detail::var_access::check_backward(t, *this, "backward()");
  const detail::slot_scale at = detail::var_access::resolve(t, *this);
  const detail::sweep_outcome outcome = detail::backward_sweep(
      t, {at.slot, 1, nullptr, gradient * at.scale, true, options.retain_graph});
  if (outcome.release == detail::released::marked && kind_ == detail::entry_kind)
    detail::var_access::mark_released(*this);
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
