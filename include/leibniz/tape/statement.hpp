// leibniz/tape/statement.hpp
// Statements: an op on vars (+ - * /, unary minus, every function of one operand) gives a
// tape::statement, an expression that has copied its operands' values and slots; a var made
// from it records the whole statement as one entry, a record per var it uses (adjacent
// records of one slot merged), partials by the chain rule through the expression's nodes,
// each op's partial from the op table. An expression affine in one var stays a fold.
// docs/tape.md ("A statement is one entry") says what this means for the user.
#pragma once

#include <leibniz/config.hpp>
#include <leibniz/core/dispatch.hpp>
#include <leibniz/ops/ops.hpp>
#include <leibniz/tape/names.hpp>
#include <leibniz/tape/scalar_ops.hpp>  // its helpers; it includes this header at its end
#include <leibniz/tape/tape.hpp>
#include <leibniz/tape/var.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string_view>
#include <type_traits>
#include <utility>

namespace leibniz::tape {

namespace detail {
/// Where a statement's records go, and the slot of the last one (x * x: one record).
struct statement_cursor {
  slot_t* index;
  double* partial;
  slot_t last;
};
/// The slot of a var that does not require grad: it has no record.
inline constexpr slot_t no_slot = ~slot_t{0};
/// `last` before the first record: no var's slot, nor no_slot.
inline constexpr slot_t no_record = no_slot - 1;
}  // namespace detail

/// A var as an operand of a statement: its value, and where it sits (copied, not referenced).
struct var_leaf {
  static constexpr std::size_t statement_leaves = 1;
  static constexpr bool statement_linear = true;
  double value;
  double scale;
  detail::slot_t slot;  // no_slot when it does not require grad
  // Member by member: a block copy of a nested node is read back in narrow loads that stall.
  LEIBNIZ_INLINE var_leaf(double v, double c, detail::slot_t k) : value(v), scale(c), slot(k) {}
  LEIBNIZ_INLINE var_leaf(const var_leaf& o) : value(o.value), scale(o.scale), slot(o.slot) {}
  bool any_grad() const noexcept { return slot != detail::no_slot; }
  /// Its record; the same slot as the record before it (x * x) adds to that record.
  LEIBNIZ_INLINE void emit(double seed, detail::statement_cursor& c) const {
    if (slot == c.last) {
      c.partial[-1] += seed * scale;
    } else if (slot != detail::no_slot) {
      *c.index++ = slot;
      *c.partial++ = seed * scale;
      c.last = slot;
    }
  }
};

/// A number in a statement.
struct constant_leaf {
  static constexpr std::size_t statement_leaves = 0;
  static constexpr bool statement_linear = true;
  double value;
  LEIBNIZ_INLINE explicit constant_leaf(double v) : value(v) {}
  LEIBNIZ_INLINE constant_leaf(const constant_leaf& o) : value(o.value) {}
  bool any_grad() const noexcept { return false; }
  LEIBNIZ_INLINE void emit(double, detail::statement_cursor&) const {}
};

template <class Op, class A>
struct unary_node {
  static constexpr std::size_t statement_leaves = A::statement_leaves;
  static constexpr bool statement_linear = std::is_same_v<Op, neg_op> && A::statement_linear;
  using op = Op;
  double value;
  A a;
  LEIBNIZ_INLINE unary_node(const A& x) : value(static_cast<double>(Op::value(x.value))), a(x) {}
  bool any_grad() const noexcept { return a.any_grad(); }
  LEIBNIZ_INLINE void emit(double seed, detail::statement_cursor& c) const {
    if constexpr (A::statement_leaves > 0)
      a.emit(seed * ::leibniz::detail::to_number<double>(Op::template partial<0>(value, a.value)),
             c);
  }
};

template <class Op, class A, class B>
struct binary_node {
  static constexpr std::size_t statement_leaves = A::statement_leaves + B::statement_leaves;
  static constexpr bool statement_linear =
      ((std::is_same_v<Op, sum_op> || std::is_same_v<Op, sub_op>)&&A::statement_linear &&
       B::statement_linear) ||
      (std::is_same_v<Op, product_op> && ((A::statement_leaves == 0 && B::statement_linear) ||
                                          (B::statement_leaves == 0 && A::statement_linear))) ||
      (std::is_same_v<Op, div_op> && B::statement_leaves == 0 && A::statement_linear);
  using op = Op;
  double value;
  A a;
  B b;
  LEIBNIZ_INLINE binary_node(const A& x, const B& y)
      : value(static_cast<double>(Op::value(x.value, y.value))), a(x), b(y) {}
  bool any_grad() const noexcept { return a.any_grad() || b.any_grad(); }
  LEIBNIZ_INLINE void emit(double seed, detail::statement_cursor& c) const {
    if constexpr (A::statement_leaves > 0)
      a.emit(seed * ::leibniz::detail::to_number<double>(
                        Op::template partial<0>(value, a.value, b.value)),
             c);
    if constexpr (B::statement_leaves > 0)
      b.emit(seed * ::leibniz::detail::to_number<double>(
                        Op::template partial<1>(value, a.value, b.value)),
             c);
  }
};

namespace detail {

/// The leaf of a var: a result of this recording or a registered leaf at once; else resolved
/// (a leaf registered: the tape may grow, never reset).
LEIBNIZ_INLINE var_leaf leaf_of(const var& v) {
  tape_state& t = the_tape;
  operand_view o;
  if (var_access::quick(t, v, o)) [[likely]]
    return var_leaf(o.value, o.at.scale, o.at.slot);
  if (!v.requires_grad() || !t.grad_enabled) return var_leaf(v.value(), 0.0, no_slot);
  const slot_scale at = var_access::resolve(t, v);
  return var_leaf(v.value(), at.scale, at.slot);
}

/// A statement's slots are of another tape or of an earlier generation of this one.
[[noreturn]] LEIBNIZ_COLD void throw_stale_statement(std::uint64_t stamp) {
  var_access::check_current(the_tape, stamp);  // another thread's: says so
  throw graph_released(
      "a statement held by auto (an expression of vars, not stored in a tape::var) is used "
      "after backward() released its graph: its tape entries have been reclaimed. Store it "
      "in a tape::var and pass {.retain_graph = true} to backward() to go through it again, "
      "or write the expression again.");
}

template <class T>
inline constexpr bool is_statement = false;
template <class N>
inline constexpr bool is_statement<statement<N>> = true;

/// Room for a new statement, checked by an op none of whose operands is a statement (so that
/// nothing of the statement is resolved yet): when the tape is full and nothing alive refers
/// to it -- no handle, no statement (any_live counts them) -- it is reset, as an op recorded
/// op by op would do. (Under no_grad it does nothing: the statement records nothing.)
LEIBNIZ_INLINE void statement_room(tape_state& t) { (void)reserve_small(t); }

template <class T>
LEIBNIZ_INLINE decltype(auto) node_of(const T& a) {
  using t = std::remove_cvref_t<T>;
  if constexpr (std::same_as<t, var>)
    return leaf_of(a);
  else if constexpr (is_statement<t>)
    return a.current_node();  // a reference: copied once, into the node that takes it
  else
    return constant_leaf(::leibniz::detail::to_number<double>(a));
}
template <class T>
using node_t = std::remove_cvref_t<decltype(node_of(std::declval<const T&>()))>;

template <class E>
LEIBNIZ_INLINE op_code_t top_code() {
  if constexpr (requires { typename E::op; })
    return op_code<typename E::op>();
  else
    return leaf_op;
}

/// The statement's entry, or a fold when it is affine in one var.
template <class E>
LEIBNIZ_INLINE var materialize(const E& e) {
  tape_state& t = the_tape;
  if constexpr (E::statement_leaves == 0) {
    return var(e.value);
  } else {
    if constexpr (E::statement_leaves == 1 && E::statement_linear) {
      if (!t.grad_enabled) [[unlikely]]
        return var(e.value);
      slot_t slot = 0;
      double partial = 0.0;
      statement_cursor c{&slot, &partial, no_record};
      e.emit(1.0, c);
      if (c.index == &slot) return var(e.value);
      return var_access::folded(e.value, slot, top_code<E>(), partial);
    } else {
      // One comparison for room and grad mode (the limit is 0 under no_grad); the tape grows
      // but is not reset here: the statement's operands are resolved already.
      if (t.size + (E::statement_leaves - 1) / 2 >= t.limit) [[unlikely]] {
        if (!t.grad_enabled) return var(e.value);
        ensure_room(t, 1, E::statement_leaves + 1);
        update_limit(t);
      }
      const std::size_t k = t.size;
      slot_t* const first = t.index.data + t.records;
      statement_cursor c{first, t.partial.data + t.records, no_record};
      e.emit(1.0, c);
      const auto m = static_cast<std::size_t>(c.index - first);
      if (m == 0) return var(e.value);
      const op_code_t code = top_code<E>();
      t.head.data[k] = head_of(code, static_cast<std::uint32_t>(m));
      t.refs.data[k] = 1;
      t.records += m;
      t.size = k + 1;
      // The room check above passed for N = statement_leaves records, so the limit is above
      // (N - 1) / 2 and lowering it by that keeps it conservative (lower_limit, at compile time).
      if constexpr (E::statement_leaves > 2) t.limit -= (E::statement_leaves - 1) / 2;
      return var_access::fresh(e.value, static_cast<slot_t>(k), code);
    }
  }
}

}  // namespace detail

/// An op on vars not recorded yet: `x * y + 1` is a statement, recorded as one entry when it
/// becomes a var (`var z = x * y + 1;`, or passed where a var is wanted). Held by `auto`, it
/// behaves as the var it records, recorded again at each use that needs the tape
/// (`backward()`, or as a var): `auto y = x * x; y.backward();`. It copies what it needs of
/// its operands (values, slots), so it never refers to a var that has gone; one held across a
/// backward() that reset the tape is refused (its slots are gone).
template <class N>
class statement {
 public:
  static constexpr std::size_t statement_leaves = N::statement_leaves;

  /// The node made in place from its operands' nodes. `taken_over`: how many of them were
  /// temporary statements whose count it takes over (hand_over_count), so that a chain of
  /// ops, x * x - y, counts once (a count kept in memory costs a thread-local update each).
  template <class... Operands>
  LEIBNIZ_INLINE explicit statement(std::in_place_t, int taken_over, const Operands&... operands)
      : node_(operands...), stamp_(detail::the_tape.stamp), counted_(counting::made_here) {
    if (taken_over != 1) count(1 - taken_over);
  }
  /// A copy is counted by the tape it refers to when made on that tape's thread; one made on
  /// another thread is not counted (it refers to slots it cannot be used with there).
  LEIBNIZ_INLINE statement(const statement& other)
      : node_(other.node_), stamp_(other.stamp_), counted_(counting::none) {
    if (stamp_ == detail::the_tape.stamp) {
      counted_ = counting::copy;
      count(+1);
    }
  }
  statement& operator=(const statement&) = delete;
  LEIBNIZ_INLINE ~statement() { take_count(); }

  /// A statement whose own backward() runs no longer keeps the tape from being reset (that
  /// backward() may reset it; the statement is not to be used after that).
  LEIBNIZ_INLINE void consumed() const noexcept { take_count(); }

  /// A temporary taken in by the statement it is an operand of (which holds all it held)
  /// hands its count over to it: 1 if it had one on this thread's tape, else 0.
  LEIBNIZ_INLINE int hand_over_count() const noexcept {
    const counting had = counted_;
    counted_ = counting::none;
    if (had == counting::copy && stamp_ != detail::the_tape.stamp) [[unlikely]] {
      detail::release_statement_away(stamp_);  // a copy counted on another thread's tape
      return 0;
    }
    return had != counting::none ? 1 : 0;
  }

  /// Records it: one entry (or a fold of one var's entry, or a constant).
  LEIBNIZ_INLINE var recorded() const { return detail::materialize(current_node()); }

  /// Its node, checked to belong to this thread's tape as it is now: a statement held
  /// across a backward() that reset the tape refers to slots that are gone.
  LEIBNIZ_INLINE const N& current_node() const {
    if (stamp_ != detail::the_tape.stamp) [[unlikely]] {
      // (Scalars only to the cold path: a node whose address escaped would live in memory.)
      if (node_.any_grad()) detail::throw_stale_statement(stamp_);
    }
    return node_;
  }

  // The var API: what needs no recording is answered from the node.
  double value() const noexcept { return node_.value; }
  double item() const noexcept { return value(); }
  explicit operator double() const noexcept { return value(); }
  bool requires_grad() const { return recorded().requires_grad(); }
  bool is_leaf() const { return recorded().is_leaf(); }
  std::optional<double> grad() const { return std::nullopt; }  // not a leaf: no .grad
  std::optional<std::string_view> grad_fn() const { return recorded().grad_fn(); }
  var detach() const { return var(value()); }
  void backward(backward_options options = {}) const& { backward(1.0, options); }
  void backward(double gradient, backward_options options = {}) const& {
    const var v = recorded();
    // Not counted while its own backward() runs, so that it can reset the tape; used again
    // after that, it is refused as stale. (backward() checks first that v is of this tape.)
    const counting was = counted_;
    consumed();
    struct recount {
      const statement& s;
      counting again;
      ~recount() {
        if (again != counting::none) {
          s.counted_ = again;
          count(+1);
        }
      }
    } const restore{*this, was};
    v.backward(gradient, options);
  }
  /// `(x * x).backward()`: the temporary is done with.
  void backward(backward_options options = {}) && { backward(1.0, options); }
  void backward(double gradient, backward_options options = {}) && {
    const var v = recorded();
    consumed();
    v.backward(gradient, options);
  }

 private:
  /// Whether and how it is counted among the statements alive on its tape
  /// (tape_state::pending_statements), which keep the tape from being reset.
  enum class counting : unsigned char {
    none,
    made_here,  // by the op that made it: on this thread's tape
    copy,       // by its copy constructor, on the thread it ran on: perhaps not this one
  };

  LEIBNIZ_INLINE static void count(int step) noexcept {
    detail::the_tape.pending_statements += static_cast<std::size_t>(step);
  }

  /// Gives its count up, if it has one: on this thread's tape, or, for a copy that has
  /// crossed to another thread (std::thread copies its arguments on the calling thread),
  /// through the orphanage to the tape that counts it.
  LEIBNIZ_INLINE void take_count() const noexcept {
    const counting had = counted_;
    counted_ = counting::none;
    if (had == counting::made_here) {
      count(-1);
    } else if (had == counting::copy) {
      if (stamp_ == detail::the_tape.stamp) [[likely]]
        count(-1);
      else
        detail::release_statement_away(stamp_);
    }
  }

  N node_;
  std::uint64_t stamp_;       // the tape's stamp when the node's operands were resolved
  mutable counting counted_;  // among tape_state::pending_statements
};

template <class N>
LEIBNIZ_INLINE var::var(const statement<N>& s) : var(s.recorded()) {}

template <class N>
std::ostream& operator<<(std::ostream& out, const statement<N>& s) {
  return out << s.recorded();
}

namespace detail {

template <class T>
concept var_or_statement =
    std::same_as<std::remove_cvref_t<T>, var> || is_statement<std::remove_cvref_t<T>>;

/// An operand of a statement: a var, a statement, a number or a constant (2_c, pi).
template <class T>
concept statement_operand = var_or_statement<T> || scalar_constant<std::remove_cvref_t<T>>;

/// Operands an operator on vars accepts (a static expression only to say it cannot be mixed).
template <class A, class B>
concept statement_operands = (var_or_statement<A> || var_or_statement<B>)&&(
    statement_operand<A> ||
    Expression<std::remove_cvref_t<A>>)&&(statement_operand<B> ||
                                          Expression<std::remove_cvref_t<B>>);

/// The count a statement operand hands over to the statement taking it in: a temporary's
/// (not an lvalue's, unless `always`), if it has one.
template <bool Always = false, class T>
LEIBNIZ_INLINE int taken_over(T&& a) {
  if constexpr (is_statement<std::remove_cvref_t<T>> && (Always || !std::is_lvalue_reference_v<T>))
    return a.hand_over_count();
  else
    return 0;
}

template <class Op, class A, class B>
LEIBNIZ_INLINE auto make_binary(A&& a, B&& b) {
  using a_t = std::remove_cvref_t<A>;
  using b_t = std::remove_cvref_t<B>;
  check_not_static<a_t, b_t>();
  if constexpr (!is_statement<a_t> && !is_statement<b_t>) statement_room(the_tape);
  if constexpr (statement_operand<a_t> && statement_operand<b_t>) {
    // a before b: leaves are registered in the order the code names them
    const auto& na = node_of(a);
    const auto& nb = node_of(b);
    const int counts = taken_over(std::forward<A>(a)) + taken_over(std::forward<B>(b));
    return statement<binary_node<Op, node_t<a_t>, node_t<b_t>>>(std::in_place, counts, na, nb);
  } else
    return var();
}

/// A statement as an operand of an op recorded op by op (pow(x * y, 2)): its var.
template <class T>
LEIBNIZ_INLINE decltype(auto) as_operand(const T& a) {
  if constexpr (is_statement<T>)
    return a.recorded();
  else
    return (a);
}

}  // namespace detail

template <class A, class B>
requires detail::statement_operands<A, B> LEIBNIZ_INLINE auto operator+(A&& a, B&& b) {
  return detail::make_binary<sum_op>(std::forward<A>(a), std::forward<B>(b));
}
template <class A, class B>
requires detail::statement_operands<A, B> LEIBNIZ_INLINE auto operator-(A&& a, B&& b) {
  return detail::make_binary<sub_op>(std::forward<A>(a), std::forward<B>(b));
}
template <class A, class B>
requires detail::statement_operands<A, B> LEIBNIZ_INLINE auto operator*(A&& a, B&& b) {
  return detail::make_binary<product_op>(std::forward<A>(a), std::forward<B>(b));
}
template <class A, class B>
requires detail::statement_operands<A, B> LEIBNIZ_INLINE auto operator/(A&& a, B&& b) {
  return detail::make_binary<div_op>(std::forward<A>(a), std::forward<B>(b));
}
template <class A>
requires detail::var_or_statement<A> LEIBNIZ_INLINE auto operator-(A&& a) {
  using a_t = std::remove_cvref_t<A>;
  if constexpr (!detail::is_statement<a_t>) detail::statement_room(detail::the_tape);
  const auto& na = detail::node_of(a);
  const int counts = detail::taken_over(std::forward<A>(a));
  return statement<unary_node<neg_op, detail::node_t<a_t>>>(std::in_place, counts, na);
}
template <class A>
requires detail::var_or_statement<A> LEIBNIZ_INLINE var operator+(const A& a) { return var(a); }

/// Unary functions of the op table on a var or a statement: a statement.
template <class Op, class A>
requires detail::var_or_statement<A> LEIBNIZ_INLINE auto lift(op_tag<Op>, const A& a) {
  if constexpr (!detail::is_statement<A>) detail::statement_room(detail::the_tape);
  const auto& na = detail::node_of(a);
  // (call<Op> passes its operand as const&, temporary or not: a statement operand is taken
  // in either way. One held by auto then no longer keeps the tape from being reset, as in
  // PyTorch, where backward() through exp(s) releases s's graph too.)
  const int counts = detail::taken_over<true>(a);
  return statement<unary_node<Op, detail::node_t<A>>>(std::in_place, counts, na);
}

/// Functions of several operands with a statement among them: recorded op by op.
template <class Op, class... A>
requires(sizeof...(A) != 1 && (detail::is_statement<A> || ...) &&
         (detail::statement_operand<A> && ...)) LEIBNIZ_INLINE var lift(op_tag<Op>, const A&... a) {
  return detail::apply<Op>(detail::as_operand(a)...);
}

namespace detail {
/// x op= b. On a leaf that requires grad this is an in-place update of the leaf, allowed only
/// under no_grad (the gradient-descent step); on anything else it is x = x op b, one entry.
template <class Op, class B>
LEIBNIZ_INLINE var& update(var& x, const B& b) {
  if (var_access::is_leaf_cell(x)) [[unlikely]] {
    if (is_grad_enabled()) throw_inplace_on_leaf();
    var_access::set_leaf_value(x, static_cast<double>(Op::value(x.value(), node_of(b).value)));
    return x;
  }
  x = make_binary<Op>(x, b).recorded();
  return x;
}
}  // namespace detail

template <class B>
requires detail::statement_operand<B> LEIBNIZ_INLINE var& operator+=(var& x, const B& b) {
  return detail::update<sum_op>(x, b);
}
template <class B>
requires detail::statement_operand<B> LEIBNIZ_INLINE var& operator-=(var& x, const B& b) {
  return detail::update<sub_op>(x, b);
}
template <class B>
requires detail::statement_operand<B> LEIBNIZ_INLINE var& operator*=(var& x, const B& b) {
  return detail::update<product_op>(x, b);
}
template <class B>
requires detail::statement_operand<B> LEIBNIZ_INLINE var& operator/=(var& x, const B& b) {
  return detail::update<div_op>(x, b);
}

}  // namespace leibniz::tape

namespace leibniz {
/// `x = v * v` binds the var the statement records.
template <class N>
struct bound_type<tape::statement<N>> {
  using type = tape::var;
};
}  // namespace leibniz
