// leibniz/tape/array_statement.hpp
// Array statements: an op on arrays (+ - * /, unary minus, every function of the op table,
// scalars broadcast) gives a tape::array_statement, an expression that holds its operands
// and computes nothing yet. Stored in a tape::array it is recorded as one entry, whose value
// and partials at each element are computed in one pass: the partials by the chain rule
// through the statement's nodes, each op's partial from the op table. Reduced by sum or mean
// it is one entry of one slot. `sum(100 * a * a + b * b)` thus reads a and b once and writes
// their partials once, instead of making five arrays of values and partials.
// The array counterpart of tape/statement.hpp; docs/tape.md ("Array statements") says what
// it means for the user.
#pragma once

#include <leibniz/config.hpp>
#include <leibniz/core/dispatch.hpp>
#include <leibniz/core/variable.hpp>
#include <leibniz/core/vector.hpp>
#include <leibniz/ops/ops.hpp>
#include <leibniz/tape/array.hpp>
#include <leibniz/tape/elementwise.hpp>
#include <leibniz/tape/errors.hpp>
#include <leibniz/tape/names.hpp>
#include <leibniz/tape/no_grad.hpp>
#include <leibniz/tape/statement.hpp>
#include <leibniz/tape/var.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
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

template <class N>
class array_statement;

namespace detail {

/// An array operand of a statement: a handle (which keeps its values and slots alive), where
/// its values are, and their version, to catch an in-place update made before the statement
/// is recorded.
struct array_operand_leaf {
  static constexpr std::size_t grad_operands = 1;
  static constexpr bool broadcast = false;
  array a;
  const double* p;
  std::uint32_t version;
  explicit array_operand_leaf(array x)
      : a(std::move(x)), p(array_access::data(a)), version(array_access::buffer(a).version()) {}
  std::size_t length() const noexcept { return a.size(); }
  LEIBNIZ_INLINE double at(std::size_t i) const noexcept { return p[i]; }
};

/// A var operand, broadcast to every element.
struct var_operand_leaf {
  static constexpr std::size_t grad_operands = 1;
  static constexpr bool broadcast = true;
  var v;
  double value;
  explicit var_operand_leaf(var x) : v(std::move(x)), value(v.value()) {}
  std::size_t length() const noexcept { return 1; }
  LEIBNIZ_INLINE double at(std::size_t) const noexcept { return value; }
};

/// A number (or a type constant, 2_c), broadcast.
struct number_leaf {
  static constexpr std::size_t grad_operands = 0;
  static constexpr bool broadcast = true;
  double value;
  std::size_t length() const noexcept { return 1; }
  LEIBNIZ_INLINE double at(std::size_t) const noexcept { return value; }
};

/// Op applied elementwise to its operands (leaves or nodes); n elements.
template <class Op, class... C>
struct array_node {
  static constexpr std::size_t grad_operands = (C::grad_operands + ... + 0);
  static constexpr bool broadcast = false;
  using op = Op;
  std::tuple<C...> operands;
  std::size_t n;
  std::size_t length() const noexcept { return n; }
};

template <class T>
inline constexpr bool is_array_node = false;
template <class Op, class... C>
inline constexpr bool is_array_node<array_node<Op, C...>> = true;

template <class T>
inline constexpr bool is_array_statement = false;
template <class N>
inline constexpr bool is_array_statement<array_statement<N>> = true;

/// The length of an op's result: that of its array operands, which must agree.
template <class... C>
std::size_t length_of(const C&... c) {
  std::size_t n = 0;
  bool first = true;
  const auto check = [&](const auto& x) {
    if constexpr (!std::remove_cvref_t<decltype(x)>::broadcast) {
      if (first) {
        n = x.length();
        first = false;
      } else if (x.length() != n) {
        throw shape_mismatch("arrays of " + std::to_string(n) + " and " +
                             std::to_string(x.length()) +
                             " elements in one elementwise op: lengths must be equal (a scalar, "
                             "var or number, is broadcast to every element)");
      }
    }
  };
  (check(c), ...);
  return n;
}

// ---- evaluation at one element -----------------------------------------------------------

/// The values of a node's operands and its own at one element, kept for the partials.
template <class... V>
struct node_values {
  double value;
  std::tuple<V...> operands;
};

LEIBNIZ_INLINE double value_in(double v) noexcept { return v; }
template <class... V>
LEIBNIZ_INLINE double value_in(const node_values<V...>& v) noexcept {
  return v.value;
}

/// The indices of a node's operands.
template <class N>
using operand_indices = std::make_index_sequence<std::tuple_size_v<decltype(N::operands)>>;

// The functions below run per element inside the recording loops: their lambdas are forced
// inline (LEIBNIZ_INLINE_LAMBDA), and they index the tuples instead of calling std::apply. In a
// large translation unit (bench/tape_cases.cpp) g++ stopped inlining std::apply's lambdas,
// and normal_lpdf's reduced statement copied its tuples of values at every element: 80 k
// instructions per gradient instead of 17 k.

/// Element i of a node or leaf: a double for a leaf, node_values for a node.
template <class N>
LEIBNIZ_INLINE auto values_at(const N& node, std::size_t i) {
  if constexpr (is_array_node<N>) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) LEIBNIZ_INLINE_LAMBDA {
      using values = node_values<decltype(values_at(std::get<I>(node.operands), i))...>;
      values out{0.0, {values_at(std::get<I>(node.operands), i)...}};
      out.value = static_cast<double>(N::op::value(value_in(std::get<I>(out.operands))...));
      return out;
    }
    (operand_indices<N>{});
  } else {
    return node.at(i);
  }
}

/// Element i of a node, its value only.
template <class N>
LEIBNIZ_INLINE double value_at(const N& node, std::size_t i) {
  if constexpr (is_array_node<N>)
    return [&]<std::size_t... I>(std::index_sequence<I...>) LEIBNIZ_INLINE_LAMBDA {
      return static_cast<double>(N::op::value(value_at(std::get<I>(node.operands), i)...));
    }
  (operand_indices<N>{});
  else return node.at(i);
}

/// Where the operands of a node's operand I start among the node's grad operands.
template <class N, std::size_t I>
inline constexpr std::size_t first_grad_operand = [] {
  return []<std::size_t... J>(std::index_sequence<J...>) {
    return (std::size_t{0} + ... +
            (J < I ? std::tuple_element_t<J, decltype(N::operands)>::grad_operands : 0));
  }
  (std::make_index_sequence<std::tuple_size_v<decltype(N::operands)>>{});
}();

/// d[J + j] = seed * d node / d its j-th grad operand: the chain rule down the nodes.
template <std::size_t J, class N, class V, std::size_t K>
LEIBNIZ_INLINE void partials_at(const N& node, const V& values, double seed,
                                std::array<double, K>& d) {
  if constexpr (N::grad_operands == 0) {
    return;
  } else if constexpr (!is_array_node<N>) {
    d[J] = seed;
  } else {
    [&]<std::size_t... I>(std::index_sequence<I...>) LEIBNIZ_INLINE_LAMBDA {
      const auto partial =
          [&]<std::size_t P>(std::integral_constant<std::size_t, P>) LEIBNIZ_INLINE_LAMBDA {
            return ::leibniz::detail::to_number<double>(N::op::template partial<P>(
                values.value, value_in(std::get<I>(values.operands))...));
          };
      ((std::tuple_element_t<I, decltype(N::operands)>::grad_operands == 0
            ? static_cast<void>(0)
            : partials_at<J + first_grad_operand<N, I>>(
                  std::get<I>(node.operands), std::get<I>(values.operands),
                  seed * partial(std::integral_constant<std::size_t, I>{}), d)),
       ...);
    }
    (operand_indices<N>{});
  }
}

/// Calls f(leaf) for each leaf that may require grad (array, var), in the order of
/// partials_at's indices.
template <class N, class F>
void for_each_grad_leaf(const N& node, const F& f) {
  if constexpr (is_array_node<N>)
    std::apply([&](const auto&... c) { (for_each_grad_leaf(c, f), ...); }, node.operands);
  else if constexpr (N::grad_operands == 1)
    f(node);
}

/// The grad sources of a node's leaves, in the order of partials_at's indices.
template <class N>
std::array<grad_source, N::grad_operands> grad_sources(const N& node) {
  std::array<grad_source, N::grad_operands> s{};
  std::size_t j = 0;
  for_each_grad_leaf(node, [&](const auto& leaf) {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(leaf)>, array_operand_leaf>)
      s[j++] = {&leaf.a, nullptr};
    else
      s[j++] = {nullptr, &leaf.v};
  });
  return s;
}

[[noreturn]] LEIBNIZ_COLD void throw_updated_operand() {
  throw inplace_on_leaf(
      "an array statement (an expression of arrays held by auto) reads an array that was "
      "updated in place after the statement was written, so its values are gone: store the "
      "expression in a tape::array before the update (tape::array y = ...), or write it again "
      "after");
}

/// Refuses a statement whose array leaves were updated in place since it was made.
template <class N>
void check_versions(const N& node) {
  for_each_grad_leaf(node, [](const auto& leaf) {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(leaf)>, array_operand_leaf>)
      if (array_access::buffer(leaf.a).version() != leaf.version) throw_updated_operand();
  });
}

/// One op on leaves: recorded by the op's own array path (constant partials kept as one
/// number, x * x as one operand, an entry of a temporary taken over).
template <class N>
inline constexpr bool single_op = [] {
  if constexpr (is_array_node<N>)
    return []<class... C>(std::type_identity<std::tuple<C...>>) {
      return (!is_array_node<C> && ...);
    }(std::type_identity<decltype(N::operands)>{});
  else
    return false;
}();

template <class L>
LEIBNIZ_INLINE const auto& operand_value(const L& leaf) {
  if constexpr (std::is_same_v<L, array_operand_leaf>)
    return leaf.a;
  else if constexpr (std::is_same_v<L, var_operand_leaf>)
    return leaf.v;
  else
    return leaf.value;
}

/// Bit I set for each array operand of a single op: the op may take over a temporary's
/// entry (array_access::absorbable tells whether the statement holds its only handle).
template <class... C>
inline constexpr unsigned array_operand_bits = [] {
  unsigned bits = 0;
  unsigned bit = 1;
  ((bits |= std::is_same_v<C, array_operand_leaf> ? bit : 0u, bit <<= 1), ...);
  return bits;
}();

/// True when Op's partial in operand I is the same at every element: a constant of the op
/// (1 for +, -1 for -), or, for * and for / in its numerator, made of the other operands
/// only, which are all broadcast (x * c, x / sigma).
template <class Op, std::size_t I, class... C>
inline constexpr bool uniform_partial_of =
    type_constant_partial<Op, I, C...> ||
    ((std::is_same_v<Op, product_op> || (std::is_same_v<Op, div_op> && I == 0)) && [] {
      std::size_t j = 0;
      return ((j++ == I || C::broadcast) && ...);
    }());

/// The kinds of a node's leaves that may require grad, in the order of partials_at's indices.
/// A leaf is uniform when every op on its way up has a uniform partial in it: the chain rule
/// then multiplies the same numbers at every element.
template <class N>
constexpr void collect_leaf_kinds(source_kind*& out, bool uniform) {
  if constexpr (is_array_node<N>)
    [&]<class... C, std::size_t... I>(std::type_identity<std::tuple<C...>>,
                                      std::index_sequence<I...>) {
      (collect_leaf_kinds<C>(out, uniform && uniform_partial_of<typename N::op, I, C...>), ...);
    }(std::type_identity<decltype(N::operands)>{}, operand_indices<N>{});
  else if constexpr (std::is_same_v<N, array_operand_leaf>)
    *out++ = uniform ? source_kind::uniform : source_kind::array;
  else if constexpr (std::is_same_v<N, var_operand_leaf>)
    *out++ = uniform ? source_kind::uniform : source_kind::var;
}
template <class N>
inline constexpr source_kinds<N::grad_operands> leaf_kinds = [] {
  source_kinds<N::grad_operands> kinds{};
  source_kind* out = kinds.data();
  collect_leaf_kinds<N>(out, true);
  return kinds;
}();

/// A leaf's numbers as the loops read them: a pointer (an array) or a value (a var), nothing
/// that counts handles. The kernels hold a copy of the statement made of these: small, and
/// trivially copied, so the compiler keeps it in registers.
struct array_view_leaf {
  static constexpr std::size_t grad_operands = 1;
  static constexpr bool broadcast = false;
  const double* p;
  std::size_t n;
  std::size_t length() const noexcept { return n; }
  LEIBNIZ_INLINE double at(std::size_t i) const noexcept { return p[i]; }
};
struct scalar_view_leaf {
  static constexpr std::size_t grad_operands = 1;
  static constexpr bool broadcast = true;
  double value;
  std::size_t length() const noexcept { return 1; }
  LEIBNIZ_INLINE double at(std::size_t) const noexcept { return value; }
};

template <class N>
auto view_of(const N& node) {
  if constexpr (is_array_node<N>)
    return std::apply(
        [&](const auto&... c) {
          using view = array_node<typename N::op, decltype(view_of(c))...>;
          return view{std::tuple{view_of(c)...}, node.n};
        },
        node.operands);
  else if constexpr (std::is_same_v<N, array_operand_leaf>)
    return array_view_leaf{node.p, node.length()};
  else if constexpr (std::is_same_v<N, var_operand_leaf>)
    return scalar_view_leaf{node.value};
  else
    return node;
}

/// The kernels of the node's entry, on its view: element i's value, and its value and
/// partials (by the chain rule).
template <class V>
auto value_kernel(const V& view) {
  return [view](std::size_t i) LEIBNIZ_INLINE_LAMBDA { return value_at(view, i); };
}
template <class V>
auto value_and_partials_kernel(const V& view) {
  return [view](std::size_t i) LEIBNIZ_INLINE_LAMBDA {
    const auto values = values_at(view, i);
    std::array<double, V::grad_operands> d{};
    partials_at<0>(view, values, 1.0, d);
    return std::pair{values.value, d};
  };
}

/// The statement recorded as one array entry.
template <class N>
array record_node(const N& node) {
  check_versions(node);
  if constexpr (single_op<N>) {
    return std::apply(
        [&]<class... C>(const C&... c) {
          return apply_array<typename N::op, array_operand_bits<C...>>(
              std::index_sequence_for<C...>{}, operand_value(c)...);
        },
        node.operands);
  } else {
    const auto view = view_of(node);
    return record_elementwise<leaf_kinds<N>, true>(
        node.length(), grad_sources(node), value_kernel(view), value_and_partials_kernel(view),
        op_code<typename N::op>());
  }
}

/// The statement reduced: (the sum of its elements) / divisor, one entry of one slot.
template <class N>
var reduce_node(const N& node, op_code_t code, double divisor) {
  check_versions(node);
  const auto view = view_of(node);
  return reduce_elementwise<leaf_kinds<N>, true>(node.length(), grad_sources(node),
                                                 value_kernel(view),
                                                 value_and_partials_kernel(view), code, divisor);
}

/// The same node with its leaves as constants (cut from the graph).
template <class N>
N detached(const N& node) {
  if constexpr (is_array_node<N>)
    return std::apply(
        [&](const auto&... c) {
          return N{std::tuple{detached(c)...}, node.n};
        },
        node.operands);
  else if constexpr (std::is_same_v<N, array_operand_leaf>)
    return array_operand_leaf(node.a.detach());
  else if constexpr (std::is_same_v<N, var_operand_leaf>)
    return var_operand_leaf(var(node.value));
  else
    return node;
}

// ---- building statements ------------------------------------------------------------------

/// Operands of array ops: arrays, array statements, vars, var statements, numbers and type
/// constants (a static expression only to say it cannot be mixed).
template <class T>
concept array_part = is_array<T> || is_array_statement<T>;
template <class T>
concept array_op_operand = array_part<T> || scalar_operand<T> || is_statement<T>;

template <class... A>
concept array_op_operands = (array_part<std::remove_cvref_t<A>> || ...) &&
                            ((array_op_operand<std::remove_cvref_t<A>> ||
                              Expression<std::remove_cvref_t<A>>)&&...);

/// The node or leaf an operand becomes. Under no_grad, arrays and vars that require grad
/// enter as constants (the result requires no grad, as an op recorded at once would).
template <class T>
auto node_from(T&& x) {
  using t = std::remove_cvref_t<T>;
  const bool grad = the_tape.grad_enabled;
  if constexpr (is_array<t>) {
    if (!grad && x.requires_grad()) return array_operand_leaf(x.detach());
    return array_operand_leaf(std::forward<T>(x));
  } else if constexpr (is_array_statement<t>) {
    return std::forward<T>(x).take_node();
  } else if constexpr (is_var<t> || is_statement<t>) {
    const var v(x);
    if (!grad && v.requires_grad()) return var_operand_leaf(var(v.value()));
    return var_operand_leaf(v);
  } else {
    return number_leaf{::leibniz::detail::to_number<double>(x)};
  }
}

template <class T>
using node_from_t = decltype(node_from(std::declval<T>()));

template <class Op, class... A>
auto make_statement(A&&... a) {
  using node = array_node<Op, node_from_t<A>...>;
  // An object passed twice, once moved (std::move(t) * t), is copied: moved from, it would
  // be empty for the other operand.
  const auto passed_twice = [&](const auto& x) {
    return (static_cast<int>(static_cast<const void*>(&x) == static_cast<const void*>(&a)) + ... +
            0) > 1;
  };
  auto operands = std::tuple<node_from_t<A>...>{
      (passed_twice(a) ? node_from(std::as_const(a)) : node_from(std::forward<A>(a)))...};
  const std::size_t n = std::apply([](const auto&... c) { return length_of(c...); }, operands);
  return array_statement<node>(node{std::move(operands), n});
}

template <class Op, class A, class B>
auto array_operator(A&& a, B&& b) {
  check_not_static<std::remove_cvref_t<A>, std::remove_cvref_t<B>>();
  if constexpr (!Expression<std::remove_cvref_t<A>> && !Expression<std::remove_cvref_t<B>>)
    return make_statement<Op>(std::forward<A>(a), std::forward<B>(b));
  else
    return array();
}

}  // namespace detail

/// Array ops not recorded yet: `tail - head * head` is an array statement, recorded as one
/// entry when it becomes a tape::array (`tape::array a = tail - head * head;`, or passed
/// where an array is wanted) or reduced by sum and mean. Held by auto, it behaves as the
/// array it records, recorded at its first use that needs the tape and kept; as an operand
/// of another op it is taken in whole, so that
///
///     const auto a = tail - head * head;
///     const auto b = 1.0 - head;
///     var y = sum(100.0 * a * a + b * b);   // one entry of one slot
///
/// computes each element's value and partials in one pass. It holds its operands (handles,
/// so it never refers to an array that has gone); an array updated in place after a
/// statement read it makes recording that statement an error, not a wrong answer.
template <class N>
class array_statement {
 public:
  explicit array_statement(N node) : node_(std::move(node)), grad_(is_grad_enabled()) {}

  /// Records it (once: later uses get the same array).
  const array& recorded() const {
    if (!recorded_) recorded_ = record();
    return *recorded_;
  }
  operator array() const& { return recorded(); }  // NOLINT: the array it stands for
  operator array() && {                           // NOLINT
    if (recorded_) return *std::move(recorded_);
    return record();
  }

  /// As an operand of another op: its node, whole (recorded or not: the new statement
  /// computes it again, in the same pass as its own ops). One made under no_grad enters an
  /// op made with grad as the constant it stands for.
  N take_node() const& {
    if (!grad_ && is_grad_enabled()) return detail::detached(node_);
    return node_;
  }
  N take_node() && {
    if (!grad_ && is_grad_enabled()) return detail::detached(node_);
    return std::move(node_);
  }

  // The array API: what needs no recording is answered from the statement.
  std::size_t size() const noexcept { return node_.length(); }
  bool empty() const noexcept { return size() == 0; }
  bool requires_grad() const { return recorded().requires_grad(); }
  bool is_leaf() const { return recorded().is_leaf(); }
  std::optional<array> grad() const { return std::nullopt; }  // not a leaf: no .grad
  std::optional<std::string_view> grad_fn() const { return recorded().grad_fn(); }
  std::span<const double> values() const { return recorded().values(); }
  const double* begin() const { return recorded().begin(); }
  const double* end() const { return recorded().end(); }
  double value(std::size_t i) const { return recorded().value(i); }
  std::vector<double> to_vector() const { return recorded().to_vector(); }
  var operator[](std::size_t i) const { return recorded()[i]; }
  array slice(std::size_t first, std::size_t last) const { return recorded().slice(first, last); }
  array detach() const { return recorded().detach(); }
  void backward(backward_options options = {}) const { recorded().backward(options); }
  void backward(std::span<const double> gradient, backward_options options = {}) const {
    recorded().backward(gradient, options);
  }
  void backward(std::initializer_list<double> gradient, backward_options options = {}) const {
    recorded().backward(gradient, options);
  }
  void backward(const std::vector<double>& gradient, backward_options options = {}) const {
    recorded().backward(gradient, options);
  }

  /// sum (divisor 1) or mean (divisor n) of the elements, one entry of one slot.
  var reduced(detail::op_code_t code, double divisor) const {
    if (recorded_) return reduce_recorded(code, divisor);
    if (!grad_ && is_grad_enabled()) {
      no_grad guard;
      return detail::reduce_node(node_, code, divisor);
    }
    return detail::reduce_node(node_, code, divisor);
  }

 private:
  array record() const {
    if (!grad_ && is_grad_enabled()) {
      no_grad guard;
      return detail::record_node(node_);
    }
    return detail::record_node(node_);
  }
  var reduce_recorded(detail::op_code_t code, double divisor) const {
    const array& a = *recorded_;
    if (code == detail::mean_code) return mean(a);
    (void)divisor;
    return sum(a);
  }
  N node_;
  bool grad_;  // recording was on when it was made
  mutable std::optional<array> recorded_;
};

template <class N>
std::ostream& operator<<(std::ostream& out, const array_statement<N>& s) {
  return out << s.recorded();
}

template <class A, class B>
requires detail::array_op_operands<A, B>
auto operator+(A&& a, B&& b) {
  return detail::array_operator<sum_op>(std::forward<A>(a), std::forward<B>(b));
}
template <class A, class B>
requires detail::array_op_operands<A, B>
auto operator-(A&& a, B&& b) {
  return detail::array_operator<sub_op>(std::forward<A>(a), std::forward<B>(b));
}
template <class A, class B>
requires detail::array_op_operands<A, B>
auto operator*(A&& a, B&& b) {
  return detail::array_operator<product_op>(std::forward<A>(a), std::forward<B>(b));
}
template <class A, class B>
requires detail::array_op_operands<A, B>
auto operator/(A&& a, B&& b) {
  return detail::array_operator<div_op>(std::forward<A>(a), std::forward<B>(b));
}
template <class A>
requires detail::array_part<std::remove_cvref_t<A>>
auto operator-(A&& a) { return detail::make_statement<neg_op>(std::forward<A>(a)); }
inline array operator+(const array& a) { return a; }

/// The hook of call<Op> (core/dispatch.hpp) for arrays: every function of the op table, on
/// arrays, statements and broadcast scalars, is a statement.
template <class Op, class... A>
requires(detail::array_part<A> || ...) &&
    ((detail::array_op_operand<A>)&&...) auto lift(op_tag<Op>, const A&... a) {
  return detail::make_statement<Op>(a...);
}

/// sum and mean of a statement: one entry of one slot, the n elements never pushed.
template <class N>
var sum(const array_statement<N>& s) {
  return s.reduced(detail::sum_code, 1.0);
}
template <class N>
var mean(const array_statement<N>& s) {
  if (s.empty()) throw shape_mismatch("mean() of an empty array");
  return s.reduced(detail::mean_code, static_cast<double>(s.size()));
}
/// dot with a statement among its operands: on the arrays they record.
template <class A, class B>
requires((detail::is_array_statement<std::remove_cvref_t<A>> ||
          detail::is_array_statement<std::remove_cvref_t<B>>)&&detail::
             array_part<std::remove_cvref_t<A>>&& detail::array_part<std::remove_cvref_t<B>>) var
    dot(const A& a, const B& b) {
  return dot(static_cast<const array&>(array(a)), static_cast<const array&>(array(b)));
}

/// x op= a statement: as with the array it records.
template <class N>
array& operator+=(array& x, const array_statement<N>& b) {
  return x += array(b);
}
template <class N>
array& operator-=(array& x, const array_statement<N>& b) {
  return x -= array(b);
}
template <class N>
array& operator*=(array& x, const array_statement<N>& b) {
  return x *= array(b);
}
template <class N>
array& operator/=(array& x, const array_statement<N>& b) {
  return x /= array(b);
}

}  // namespace leibniz::tape

namespace leibniz {
/// `a_ = x * x` binds the array the statement records.
template <class N>
struct bound_type<tape::array_statement<N>> {
  using type = tape::array;
};

/// `x = 2.0 * a` for a leibniz::vector x keeps the array the statement records (the statement,
/// a temporary, lives to the end of the full expression that uses the binding).
template <class N>
inline constexpr bool binds_vector_by_handle<tape::array_statement<N>> = true;
template <class N>
struct vector_handle<tape::array_statement<N>> {
  static const tape::array& of(const tape::array_statement<N>& s) { return s.recorded(); }
};
}  // namespace leibniz
