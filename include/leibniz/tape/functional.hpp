// leibniz/tape/functional.hpp
// Gradients as return values, touching no one's .grad: tape::gradient(f, x...) (torch.func.grad)
// and tape::grad(output, {inputs...}) (torch.autograd.grad).
#pragma once

#include <leibniz/tape/array.hpp>
#include <leibniz/tape/errors.hpp>
#include <leibniz/tape/no_grad.hpp>
#include <leibniz/tape/scalar_ops.hpp>
#include <leibniz/tape/sweep.hpp>
#include <leibniz/tape/tape.hpp>
#include <leibniz/tape/var.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace leibniz::tape {

/// Options of tape::grad.
struct grad_options {
  /// Keep the graph, as backward()'s retain_graph.
  bool retain_graph = false;
  /// An input the output does not depend on gets gradient 0 instead of an error.
  bool allow_unused = false;
};

namespace detail {

/// Fresh input slots for tape::gradient: leaves of this recording only, with no cell, so
/// that their gradients are read from the adjoints and no one's .grad changes.
inline slot_t push_inputs(tape_state& t, std::size_t n) {
  reserve_entry(t, n, 0);
  const auto first = static_cast<slot_t>(t.size);
  t.lowest_input = std::min<std::size_t>(t.lowest_input, first);
  for (std::size_t i = 0; i < n; ++i) {
    t.head.data[first + i] = head_of(leaf_op, 0);
    t.refs.data[first + i] = 0;
  }
  t.refs.data[first] = 1;  // the handle about to be made
  t.size += n;
  update_limit(t);
  return first;
}

/// Where the inputs of one argument of tape::gradient sit: n slots from `first`, noted when
/// they are made. The gradient is read from there, not from the vars f was given: f may take
/// them by reference and assign to them (`x = x * x;`), and its result is still differentiated
/// with respect to the input's value.
struct input_slots {
  slot_t first = 0;
  std::size_t n = 0;
};

/// The adjoints of the n input slots from `first` (0 for those above `top`, the sweep's end).
inline std::vector<double> read_adjoints(const tape_state& t, input_slots in, std::size_t top) {
  std::vector<double> g(in.n, 0.0);
  const std::size_t swept = in.first <= top ? std::min<std::size_t>(in.n, top + 1 - in.first) : 0;
  std::copy_n(t.adjoint.data + in.first, swept, g.begin());
  return g;
}

/// The input tape::gradient gives f for an argument, and how to read its gradient back.
template <class T>
struct input_of;

template <class T>
requires std::is_arithmetic_v<T> || std::same_as<T, var>
struct input_of<T> {
  using type = var;
  using gradient = double;
  static var make(tape_state& t, const T& x) {
    const double v = value_of(x);
    return var_access::fresh(v, push_inputs(t, 1), leaf_op);
  }
  static input_slots slots(const var& input) { return {var_access::raw_slot(input), 1}; }
  static double read(const tape_state& t, input_slots in, std::size_t top) {
    return in.first <= top ? t.adjoint.data[in.first] : 0.0;
  }
  static double zero(input_slots) { return 0.0; }
};

template <class T>
requires std::same_as<T, array> || std::same_as<T, std::vector<double>> ||
    std::same_as<T, std::span<const double>>
struct input_of<T> {
  using type = array;
  using gradient = std::vector<double>;
  static array make(tape_state& t, const T& x) {
    std::span<const double> values;
    if constexpr (std::same_as<T, array>)
      values = x.values();
    else
      values = std::span<const double>(x);
    buffer_ref copy = buffer_ref::make(values.size());
    std::copy(values.begin(), values.end(), copy.data());
    if (values.empty()) return array_access::constant(std::move(copy), 0, 0);
    const slot_t first = push_inputs(t, values.size());
    return array_access::entry(std::move(copy), 0, values.size(), first, leaf_op);
  }
  static input_slots slots(const array& input) {
    if (input.empty()) return {};
    return {array_access::raw_slot(input), input.size()};
  }
  static std::vector<double> read(const tape_state& t, input_slots in, std::size_t top) {
    return read_adjoints(t, in, top);
  }
  static std::vector<double> zero(input_slots in) { return std::vector<double>(in.n, 0.0); }
};

/// Several scalar inputs at once: f takes a std::vector<var> (or a span of vars).
template <>
struct input_of<std::vector<var>> {
  using type = std::vector<var>;
  using gradient = std::vector<double>;
  /// Makes the input vars in place, each straight into the vector's storage (the range
  /// constructor: no temporary var, no capacity check per element).
  struct maker {
    using iterator_category = std::forward_iterator_tag;
    using value_type = var;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = var;
    const var* x;
    slot_t slot;
    var operator*() const { return var_access::fresh(x->value(), slot, leaf_op); }
    maker& operator++() {
      ++x;
      ++slot;
      return *this;
    }
    maker operator++(int) {
      maker before = *this;
      ++*this;
      return before;
    }
    bool operator==(const maker& other) const { return x == other.x; }
  };
  static std::vector<var> make(tape_state& t, const std::vector<var>& x) {
    if (x.empty()) return {};
    const slot_t first = push_inputs(t, x.size());
    std::fill(t.refs.data + first, t.refs.data + first + x.size(), 1u);
    return std::vector<var>(maker{x.data(), first}, maker{x.data() + x.size(), first});
  }
  static input_slots slots(const std::vector<var>& inputs) {
    if (inputs.empty()) return {};
    return {var_access::raw_slot(inputs.front()), inputs.size()};  // made consecutive
  }
  static std::vector<double> read(const tape_state& t, input_slots in, std::size_t top) {
    return read_adjoints(t, in, top);
  }
  static std::vector<double> zero(input_slots in) { return std::vector<double>(in.n, 0.0); }
};

template <class T>
using input_t = input_of<std::remove_cvref_t<T>>;

template <class R>
inline constexpr bool returns_var =
    std::same_as<std::remove_cvref_t<R>, var> || is_statement<std::remove_cvref_t<R>>;

/// The gradients of tape::gradient's arguments, read from their input slots.
template <class... X, std::size_t... I>
auto read_gradients(const tape_state& t, const std::array<input_slots, sizeof...(X)>& slots,
                    std::size_t top, std::index_sequence<I...>) {
  return std::tuple<typename input_t<X>::gradient...>{input_t<X>::read(t, slots[I], top)...};
}

/// The same when f does not depend on its inputs: 0 for each.
template <class... X, std::size_t... I>
auto zero_gradients(const std::array<input_slots, sizeof...(X)>& slots, std::index_sequence<I...>) {
  return std::tuple<typename input_t<X>::gradient...>{input_t<X>::zero(slots[I])...};
}

/// Calls f on fresh inputs and differentiates its result; returns the value and the
/// gradients, one per argument. The inputs' gradients are read from the adjoints: no .grad
/// is touched (not even of leaves f uses from outside).
template <class F, class... X>
auto value_and_gradient_in_place(F&& f, const X&... x) {
  using result_t = std::invoke_result_t<F&, typename input_t<X>::type&...>;
  static_assert(returns_var<result_t>,
                "leibniz: tape::gradient(f, x...) differentiates a function returning a "
                "tape::var (a scalar); reduce an array result first, e.g. return sum(y);");
  const enable_grad grad_mode;  // a function transform: records even inside no_grad
  tape_state& t = the_tape;
  const std::size_t bottom = t.size;  // the inputs' slots start here
  std::tuple<typename input_t<X>::type...> inputs{input_t<X>::make(t, x)...};
  const std::array<input_slots, sizeof...(X)> slots = std::apply(
      [](const auto&... in) {
        return std::array<input_slots, sizeof...(X)>{input_t<X>::slots(in)...};
      },
      inputs);
  const var y = std::apply([&](auto&... in) { return std::invoke(f, in...); }, inputs);
  if (!y.requires_grad())  // f does not depend on its inputs: the gradient is 0
    return std::pair{y.value(), zero_gradients<X...>(slots, std::index_sequence_for<X...>{})};
  var_access::check_backward(t, y, "tape::gradient");
  const slot_scale at = var_access::resolve(t, y);
  // The graph is kept (retain_graph): f may use results recorded outside, whose graph is
  // not f's to release; the entries of this call go when its handles do.
  const sweep_outcome outcome =
      backward_sweep(t, {at.slot, 1, nullptr, at.scale, false, true, bottom});
  // The call's entries are popped once its inputs are gone (value_and_gradient_tuple's
  // truncate): a reset the tape waits for need not be looked for at each input's death.
  t.reset_wanted = false;
  return std::pair{y.value(),
                   read_gradients<X...>(t, slots, outcome.top, std::index_sequence_for<X...>{})};
}

/// The same, and then the entries of the call are popped off the tape (when nothing refers
/// to them): called in a loop, or inside a larger recording, it takes no memory for good.
template <class F, class... X>
auto value_and_gradient_tuple(F&& f, const X&... x) {
  tape_state& t = the_tape;
  ensure_id(t);  // a first recording would change the stamp
  const checkpoint before = save(t);
  auto result = value_and_gradient_in_place(f, x...);
  truncate(t, before);
  return result;
}

}  // namespace detail

/// The gradient of f at x..., as values (torch.func.grad): f takes a var for each number or
/// var argument, a std::vector<var> for each std::vector<var> argument (scalar code over
/// many inputs), and an array for each array, std::vector<double> or span argument; it
/// returns a var. One argument gives its gradient (a double, or a vector); several give a
/// tuple. No one's .grad changes.
///
///     double g = tape::gradient([](const var& x) { return x * x; }, 3.0);   // 6
template <class F, class... X>
requires(sizeof...(X) > 0) auto gradient(F&& f, const X&... x) {
  auto [value, g] = detail::value_and_gradient_tuple(f, x...);
  (void)value;
  if constexpr (sizeof...(X) == 1)
    return std::get<0>(std::move(g));
  else
    return g;
}

/// The value of f at x... and its gradient, from one recording: a pair {value, gradient}.
template <class F, class... X>
requires(sizeof...(X) > 0) auto value_and_gradient(F&& f, const X&... x) {
  auto [value, g] = detail::value_and_gradient_tuple(f, x...);
  if constexpr (sizeof...(X) == 1)
    return std::pair{value, std::get<0>(std::move(g))};
  else
    return std::pair{value, std::move(g)};
}

namespace detail {

[[noreturn]] inline void throw_unused(std::size_t i) {
  throw invalid_argument("tape::grad: input " + std::to_string(i) +
                         " appears not to have been used in the graph of the output. Pass "
                         "{.allow_unused = true} to get 0 for it.");
}

/// Where an input of tape::grad sits, without registering it: nullopt when it is a leaf that
/// this tape has not seen (so the output cannot depend on it).
inline std::optional<slot_t> input_slot(const tape_state& t, const var& x, std::size_t i) {
  if (!x.requires_grad())
    throw invalid_argument("tape::grad: input " + std::to_string(i) +
                           " does not require grad, so nothing was recorded for it; make it a "
                           "leaf: tape::var x{2.0, leibniz::requires_grad}");
  if (var_access::is_leaf_cell(x)) {
    return find_leaf(t, var_access::cell(x));
  }
  var_access::check_backward(t, x, "tape::grad");
  if (var_access::folded(x))
    throw invalid_argument(
        "tape::grad: input " + std::to_string(i) +
        " is the result of an affine op with a constant (x + c, c * x, -x, x[i]), which the "
        "tape folds into its operand instead of recording: differentiate with respect to that "
        "operand, or record the input as an entry of its own: tape::record(v.value(), {v}, "
        "{1.0}, \"identity\")");
  return var_access::raw_slot(x);
}

}  // namespace detail

/// d output / d inputs[i] for each input (torch.autograd.grad): leaves, or results of
/// recorded ops. No one's .grad changes. The graph is released unless retain_graph.
inline std::vector<double> grad(const var& output, std::span<const var> inputs,
                                grad_options options = {}) {
  detail::tape_state& t = detail::the_tape;
  detail::var_access::check_backward(t, output, "tape::grad");
  std::vector<std::optional<detail::slot_t>> slots;
  slots.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i)
    slots.push_back(detail::input_slot(t, inputs[i], i));
  const detail::slot_scale at = detail::var_access::resolve(t, output);
  const detail::sweep_outcome outcome =
      detail::backward_sweep(t, {at.slot, 1, nullptr, at.scale, false, true});
  std::vector<double> g(inputs.size(), 0.0);
  bool marked = outcome.marked;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::optional<detail::slot_t> s = slots[i];
    bool used = s.has_value() && *s <= outcome.top;
    if (used) {
      g[i] = t.adjoint.data[*s];
      if (g[i] == 0.0) {
        if (!marked) {
          detail::mark_reachable(t, at.slot, at.slot, outcome.top, outcome.at, outcome.bottom);
          marked = true;
        }
        used = (t.refs.data[*s] & detail::reached_mark) != 0;
      }
    }
    if (!used && !options.allow_unused) detail::throw_unused(i);
  }
  if (!options.retain_graph)
    detail::release_graph(t, at.slot, at.slot, outcome.bottom, outcome.top, outcome.at, marked,
                          nullptr);
  return g;
}

inline std::vector<double> grad(const var& output, std::initializer_list<var> inputs,
                                grad_options options = {}) {
  return grad(output, std::span<const var>(inputs.begin(), inputs.size()), options);
}

/// d output / d input for an array input (a leaf array, or the result of an array op).
inline std::vector<double> grad(const var& output, const array& input, grad_options options = {}) {
  detail::tape_state& t = detail::the_tape;
  detail::var_access::check_backward(t, output, "tape::grad");
  if (!input.requires_grad())
    throw invalid_argument("tape::grad: the input array does not require grad");
  std::optional<detail::slot_t> first;
  if (detail::array_access::is_leaf_cell(input)) {
    if (const auto s = detail::find_leaf(t, detail::array_access::cell(input)))
      first = static_cast<detail::slot_t>(*s + detail::array_access::offset(input));
  } else {
    detail::array_access::check_backward(t, input);
    first = detail::array_access::resolve(t, input);
  }
  const detail::slot_scale at = detail::var_access::resolve(t, output);
  const detail::sweep_outcome outcome =
      detail::backward_sweep(t, {at.slot, 1, nullptr, at.scale, false, true});
  std::vector<double> g(input.size(), 0.0);
  bool used = false;
  bool marked = outcome.marked;
  if (first && *first <= outcome.top) {
    for (std::size_t i = 0; i < g.size() && *first + i <= outcome.top; ++i) {
      g[i] = t.adjoint.data[*first + i];
      used = used || g[i] != 0.0;
    }
    if (!used) {
      if (!marked)
        detail::mark_reachable(t, at.slot, at.slot, outcome.top, outcome.at, outcome.bottom);
      marked = true;
      for (std::size_t i = 0; i < g.size() && *first + i <= outcome.top; ++i)
        used = used || (t.refs.data[*first + i] & detail::reached_mark) != 0;
    }
  }
  if (!used && !options.allow_unused) detail::throw_unused(0);
  if (!options.retain_graph)
    detail::release_graph(t, at.slot, at.slot, outcome.bottom, outcome.top, outcome.at, marked,
                          nullptr);
  return g;
}

}  // namespace leibniz::tape
