// leibniz/check/check_gradient.hpp
// check_gradient(f, x = 2.0, y = 3.0): the C++ counterpart of torch.autograd.gradcheck. For a
// static expression it sets the symbolic derivatives, the compiled gradient, the tape (op by op
// and as one static block), the complex step and finite differences against one another; for a
// callable on tape vars, the tape against finite differences. The compile-time form,
// matches_finite_differences, holds the symbolic gradient against constexpr finite differences.
#pragma once

#include <leibniz/check/finite_differences.hpp>
#include <leibniz/check/report.hpp>
#include <leibniz/core/expression.hpp>
#include <leibniz/core/variable.hpp>
#include <leibniz/eval/evaluate.hpp>
#include <leibniz/io/to_string.hpp>
#include <leibniz/ops/ops.hpp>
#include <leibniz/symbolic/derivative.hpp>
#include <leibniz/symbolic/gradient.hpp>
#include <leibniz/tape/array.hpp>
#include <leibniz/tape/functional.hpp>
#include <leibniz/tape/record.hpp>
#include <leibniz/tape/scalar_ops.hpp>
#include <leibniz/tape/var.hpp>

#include <array>
#include <cmath>
#include <complex>
#include <concepts>
#include <cstddef>
#include <iomanip>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace leibniz {

/// Tolerances of check_gradient and matches_finite_differences (docs/checking.md). A method
/// passes when |value - reference| is at most its tolerance:
///   exact methods (d(f, x) in double, the compiled gradient, the tape, the complex step):
///     atol + rtol |reference| + noise_factor noise,
///     noise = |the reference's own formula in double - in long double|: its rounding error at
///     this point, large only where the formula is ill-conditioned (0 where long double is
///     double);
///   finite differences: the smaller of
///     fd_atol + fd_rtol |reference|                          (the loosest agreement accepted)
///     fd_error_factor (estimate + eps |reference|) + noise_factor noise
///   where estimate is Richardson extrapolation's own error estimate and eps the epsilon of
///   the type the differences are taken in: sharp where finite differences are accurate.
struct check_options {
  double rtol = 1e-12;
  double atol = 1e-15;
  double noise_factor = 16;
  double fd_rtol = 1e-6;
  double fd_atol = 1e-9;
  double fd_error_factor = 1000;
  /// How finite differences are taken.
  richardson_options richardson{};
};

/// Which methods check_gradient runs on a static expression, chosen at compile time (a method
/// switched off is not instantiated, which saves compile time on large expressions):
/// `check_gradient<leibniz::check_methods{.symbolic = false}>(f, x = 2.0)`. Without the
/// symbolic derivatives, the reference is the compiled gradient in long double.
struct check_methods {
  bool symbolic = true;
  bool compiled = true;
  bool tape = true;
  bool block = true;
  bool complex_step = true;
  bool finite_differences = true;
};

namespace detail {

// ---------------------------------------------------------------- which f the complex step fits

template <class Op>
inline constexpr bool is_analytic_op =
    std::is_same_v<Op, sum_op> || std::is_same_v<Op, sub_op> || std::is_same_v<Op, neg_op> ||
    std::is_same_v<Op, product_op> || std::is_same_v<Op, div_op> || is_power_op<Op> ||
    std::is_same_v<Op, pow_op> || std::is_same_v<Op, exp_op> || std::is_same_v<Op, log_op> ||
    std::is_same_v<Op, sin_op> || std::is_same_v<Op, cos_op> || std::is_same_v<Op, tan_op> ||
    std::is_same_v<Op, asin_op> || std::is_same_v<Op, acos_op> || std::is_same_v<Op, atan_op> ||
    std::is_same_v<Op, sinh_op> || std::is_same_v<Op, cosh_op> || std::is_same_v<Op, tanh_op>;

/// The name of the first op of E that the complex step cannot go through, or "" if none.
template <class E>
struct first_non_analytic {
  static constexpr std::string_view name = "";
};
template <class Op, class... A>
struct first_non_analytic<node<Op, A...>> {
  static constexpr std::string_view find() {
    if constexpr (!is_analytic_op<Op>) {
      return Op::name;
    } else {
      std::string_view found;
      ((found.empty() ? (found = first_non_analytic<A>::name, 0) : 0), ...);
      return found;
    }
  }
  static constexpr std::string_view name = find();
};

// ---------------------------------------------------------------- bindings

template <class T, fixed_string N, class U>
constexpr binding<N, T> rebind(const binding<N, U>& /*b*/, const T& value) {
  return {value};
}

template <fixed_string N, class U>
constexpr variable<N> variable_of_binding(const binding<N, U>&) {
  return {};
}

template <class T>
constexpr double binding_as_double(const T& v) {
  if constexpr (std::is_arithmetic_v<T>)
    return static_cast<double>(v);
  else
    return static_cast<double>(v.value());  // a tape::var
}

// ---------------------------------------------------------------- comparing

template <class T>
bool finite_number(T v) {
  return std::isfinite(v);
}

/// One method's value against the reference, with the given tolerance.
inline check_method compare(std::string name, double value, long double reference,
                            long double tolerance, std::string note = {}) {
  check_method m;
  m.name = std::move(name);
  m.value = value;
  m.note = std::move(note);
  const long double v = value;
  const long double diff = std::fabs(v - reference);
  m.abs_error = static_cast<double>(diff);
  m.tolerance = static_cast<double>(tolerance);
  if (diff == 0)
    m.rel_error = 0;
  else
    m.rel_error = static_cast<double>(diff / std::fabs(reference));  // inf for a zero reference
  if (!finite_number(v) || !finite_number(reference)) {
    // Two non-finite values agree only if they are the same infinity, or both NaN.
    const bool same = (std::isnan(v) && std::isnan(reference)) || v == reference;
    m.abs_error = same ? 0 : std::numeric_limits<double>::infinity();
    m.rel_error = m.abs_error;
    m.verdict = same ? check_verdict::ok : check_verdict::fail;
    if (m.note.empty()) m.note = same ? "not finite, like the reference" : "not finite";
    return m;
  }
  m.verdict = diff <= tolerance ? check_verdict::ok : check_verdict::fail;
  return m;
}

inline check_method skipped(std::string name, std::string why) {
  check_method m;
  m.name = std::move(name);
  m.verdict = check_verdict::skipped;
  m.note = std::move(why);
  return m;
}

/// A quantity whose reference is not finite fails as a whole: a gradient that does not
/// exist at the point cannot be checked.
inline void require_finite_reference(check_quantity& q, std::vector<std::string>& notes) {
  if (finite_number(q.reference)) return;
  std::ostringstream s;
  if (q.name == "f")
    s << "f is not finite at this point (" << static_cast<double>(q.reference)
      << "): outside its domain?";
  else
    s << "the derivative with respect to " << q.name << " is not finite at this point ("
      << static_cast<double>(q.reference) << ")";
  notes.push_back(s.str());
  check_method m;
  m.name = "finite reference";
  m.value = static_cast<double>(q.reference);
  m.abs_error = std::numeric_limits<double>::infinity();
  m.rel_error = m.abs_error;
  m.verdict = check_verdict::fail;
  m.note = "a derivative that is not finite cannot be checked";
  q.methods.insert(q.methods.begin(), m);
}

inline std::string finite_difference_note(long double estimate, long double loose) {
  std::ostringstream s;
  s << "Richardson, error estimate " << std::setprecision(2) << static_cast<double>(estimate);
  if (!(estimate <= loose))
    s << ": finite differences cannot resolve the derivative here (f not smooth near the point, "
         "or a domain edge within the steps)";
  return s.str();
}

/// Finite differences against the reference. They pass within fd_atol + fd_rtol |reference|
/// (the loosest agreement accepted), and within fd_error_factor times their own error estimate
/// plus the rounding of the reference: where finite differences are accurate (almost always,
/// with Richardson extrapolation) the test is that much sharper. Not where f's value itself
/// is ill-conditioned at the point (`f_well_conditioned` false: f in double more than
/// noise_factor ulp from f in long double, e.g. log(sqrt(1 + u)) for a tiny u): the error
/// estimate counts f's rounding relative to |f|, which is then far too small, and only the
/// loose bound applies.
template <class T>
check_method compare_finite_difference(const finite_difference<T>& fd, long double reference,
                                       long double noise, const check_options& o,
                                       bool f_well_conditioned = true) {
  const long double scale = std::fabs(reference);
  const long double loose = static_cast<long double>(o.fd_atol) + o.fd_rtol * scale;
  const long double sharp = o.fd_error_factor * (static_cast<long double>(fd.error) +
                                                 std::numeric_limits<T>::epsilon() * scale) +
                            o.noise_factor * noise;
  const long double tolerance = sharp < loose && f_well_conditioned ? sharp : loose;
  std::string note = finite_difference_note(fd.error, loose);
  if (!f_well_conditioned) note += "; f is ill-conditioned here: the loose bound only";
  return compare("finite differences", static_cast<double>(fd.derivative), reference, tolerance,
                 std::move(note));
}

template <class T>
std::string number_text(T v) {
  std::ostringstream s;
  s << std::setprecision(17) << v;
  return s.str();
}

template <class... B>
std::string point_text(const B&... b) {
  std::string text;
  ((text += (text.empty() ? "" : ", ") + std::string(B::name) + " = " +
            number_text(binding_as_double(b.value))),
   ...);
  return text;
}

/// f evaluated at the bindings with the K-th variable's value replaced by t, in type T.
template <class T, std::size_t K, class E, class Bindings, std::size_t... J>
constexpr T evaluate_moved(const E& f, const Bindings& b, const T& t, std::index_sequence<J...>) {
  return f(rebind<T>(std::get<J>(b),
                     J == K ? t : static_cast<T>(binding_as_double(std::get<J>(b).value)))...);
}

/// The values of the tape's functional gradient as an array, one per variable.
template <std::size_t N, class G>
std::array<double, N> gradient_array(const G& g) {
  if constexpr (N == 1)
    return {g};
  else
    return std::apply([](const auto&... v) { return std::array<double, N>{v...}; }, g);
}

template <class B>
using var_for = tape::var;

/// A reference to a callable T(T): finite differences are then compiled once per T, not once
/// per function checked.
template <class T>
class function_ref {
 public:
  template <class F>
  explicit function_ref(const F& f)
      : object_(&f),
        call_([](const void* o, T t) { return static_cast<T>((*static_cast<const F*>(o))(t)); }) {}
  T operator()(T t) const { return call_(object_, t); }

 private:
  const void* object_;
  T (*call_)(const void*, T);
};

// ---------------------------------------------------------------- static f

/// The exact methods' tolerance: atol + rtol |reference| + noise_factor * noise.
inline long double exact_tolerance(const check_options& o, long double reference,
                                   long double noise) {
  return static_cast<long double>(o.atol) + o.rtol * std::fabs(reference) + o.noise_factor * noise;
}

/// g at the bindings b (all of them binding<N, double>), computed in T.
template <class T, class G, class... B>
T evaluate_in(const G& g, const std::tuple<B...>& b) {
  return std::apply(
      [&](const auto&... bi) {
        return static_cast<T>(g(rebind<T>(bi, static_cast<T>(bi.value))...));
      },
      b);
}

template <class T, class E, class... B>
std::array<T, sizeof...(B)> compiled_gradient_in(const E& f, const std::tuple<B...>& b) {
  return std::apply(
      [&](const auto&... bi) {
        return gradient(f, variable_of_binding(bi)...)(rebind<T>(bi, static_cast<T>(bi.value))...);
      },
      b);
}

/// Every number the methods computed for a static f: what check_static hands to the
/// (non-template) assembly of the report, so that each f checked compiles only its evaluations.
struct static_results {
  check_methods methods;
  std::string function;
  std::string point_text;
  std::vector<std::string> names;
  std::vector<double> point;
  double value = 0;
  long double value_ld = 0;
  double tape_value = 0;
  double block_value = 0;
  std::vector<long double> reference;
  std::vector<double> symbolic;
  std::vector<double> compiled;
  std::vector<double> tape;
  std::vector<double> block;
  std::string_view non_analytic;
  std::vector<double> complex_value;
  std::vector<double> complex_slope;
  std::vector<double> complex_check;  // the same with the step 4h
  std::vector<finite_difference<long double>> fd;
};

/// d y / d inputs by the tape (y recorded from `inputs`, leaves that require grad); 0 for an
/// input y does not depend on.
inline std::vector<double> tape_gradient(const tape::var& y, const std::vector<tape::var>& inputs) {
  if (!y.requires_grad()) return std::vector<double>(inputs.size(), 0.0);
  return tape::grad(y, inputs, {.allow_unused = true});
}

inline std::vector<tape::var> tape_leaves(const std::vector<double>& point) {
  std::vector<tape::var> leaves;
  leaves.reserve(point.size());
  for (double v : point) leaves.emplace_back(v, requires_grad);
  return leaves;
}

inline gradient_report assemble(const static_results& s, const check_options& o) {
  const check_methods& m = s.methods;
  gradient_report r;
  r.function = s.function;
  r.point = s.point_text;
  if (m.complex_step && !s.non_analytic.empty())
    r.notes.push_back("complex step skipped: f contains " + std::string(s.non_analytic) +
                      ", which is not analytic");

  r.value.name = "f";
  r.value.reference = s.value_ld;
  r.value.reference_name = "f in long double";
  {
    const long double noise = std::fabs(static_cast<long double>(s.value) - s.value_ld);
    const long double tolerance = exact_tolerance(o, s.value_ld, noise);
    r.value.methods.push_back(compare("f in double", s.value, s.value_ld, tolerance));
    if (m.tape)
      r.value.methods.push_back(compare("tape, op by op", s.tape_value, s.value_ld, tolerance));
    if (m.block)
      r.value.methods.push_back(
          compare("tape, static block", s.block_value, s.value_ld, tolerance));
  }
  require_finite_reference(r.value, r.notes);
  // f's own rounding at the point: within noise_factor ulp of double unless f cancels here.
  const bool f_well_conditioned =
      std::fabs(static_cast<long double>(s.value) - s.value_ld) <=
      o.noise_factor * std::numeric_limits<double>::epsilon() * std::fabs(s.value_ld);

  for (std::size_t k = 0; k < s.names.size(); ++k) {
    check_quantity q;
    q.name = s.names[k];
    q.point = s.point[k];
    q.reference = s.reference[k];
    q.reference_name = m.symbolic ? "d(f, " + q.name + ") in long double"
                                  : std::string("compiled gradient, long double");
    // The rounding error of the reference's own formula, computed in double.
    const long double noise = std::fabs(
        static_cast<long double>(m.symbolic ? s.symbolic[k] : s.compiled[k]) - s.reference[k]);
    const long double tolerance = exact_tolerance(o, s.reference[k], noise);
    if (m.symbolic)
      q.methods.push_back(
          compare("d(f, " + q.name + ") in double", s.symbolic[k], s.reference[k], tolerance));
    if (m.compiled)
      q.methods.push_back(compare("compiled gradient", s.compiled[k], s.reference[k], tolerance));
    if (m.tape)
      q.methods.push_back(compare("tape, op by op", s.tape[k], s.reference[k], tolerance));
    if (m.block)
      q.methods.push_back(compare("tape, static block", s.block[k], s.reference[k], tolerance));
    if (m.complex_step && !s.non_analytic.empty()) {
      q.methods.push_back(
          skipped("complex step", std::string(s.non_analytic) + " is not analytic"));
    } else if (m.complex_step) {
      const long double re = s.complex_value[k];
      const long double value = s.value;
      const long double slope = s.complex_slope[k];
      const long double check = s.complex_check[k];
      if (std::isfinite(re) && std::isfinite(value) &&
          std::fabs(re - value) > 1e-8L * std::fabs(value) + 1e-300L)
        q.methods.push_back(
            skipped("complex step", "Re f(x + ih) = " + number_text(s.complex_value[k]) +
                                        " is not f(x): a branch cut (e.g. a fractional power "
                                        "of a negative number)"));
      else if (std::isfinite(slope) && std::fabs(slope - check) > 1e-10L * std::fabs(slope))
        q.methods.push_back(skipped(
            "complex step", "Im f(x + ih)/h = " + number_text(s.complex_slope[k]) + " with h, " +
                                number_text(s.complex_check[k]) +
                                " with 4h: f is not analytic along the way (e.g. a power of a "
                                "negative number with a run-time exponent)"));
      else
        q.methods.push_back(compare("complex step", s.complex_slope[k], s.reference[k], tolerance));
    }
    if (m.finite_differences)
      q.methods.push_back(
          compare_finite_difference(s.fd[k], s.reference[k], noise, o, f_well_conditioned));
    require_finite_reference(q, r.notes);
    r.derivatives.push_back(std::move(q));
  }
  return r;
}

template <check_methods M, class E, class... B, std::size_t... K>
gradient_report check_static(const E& f, const check_options& o, std::index_sequence<K...>,
                             const B&... given) {
  constexpr std::size_t n = sizeof...(B);
  using L = long double;
  const std::tuple<decltype(rebind<double>(given, 0.0))...> b{
      rebind<double>(given, binding_as_double(given.value))...};

  static_results s;
  s.methods = M;
  s.function = to_string(f).str();
  s.point_text = point_text(std::get<K>(b)...);
  s.names = {std::string(B::name)...};
  s.point = {binding_as_double(given.value)...};
  s.value = evaluate_in<double>(f, b);
  s.value_ld = evaluate_in<L>(f, b);

  if constexpr (M.symbolic) {
    const auto derivatives = std::tuple{d(f, variable_of_binding(given))...};
    s.reference = {evaluate_in<L>(std::get<K>(derivatives), b)...};
    s.symbolic = {evaluate_in<double>(std::get<K>(derivatives), b)...};
  } else {
    const std::array<L, n> g = compiled_gradient_in<L>(f, b);
    s.reference.assign(g.begin(), g.end());
  }
  if constexpr (M.compiled || !M.symbolic) {
    const std::array<double, n> g = compiled_gradient_in<double>(f, b);
    s.compiled.assign(g.begin(), g.end());
  }

  if constexpr (M.tape || M.block) {
    const enable_grad recording;  // even inside a no_grad block
    const std::vector<tape::var> leaves = tape_leaves(s.point);
    if constexpr (M.tape) {
      const tape::var y = f(rebind<tape::var>(std::get<K>(b), leaves[K])...);
      s.tape_value = y.value();
      s.tape = tape_gradient(y, leaves);
    }
    if constexpr (M.block) {
      const tape::var y = tape::apply(f, rebind<tape::var>(std::get<K>(b), leaves[K])...);
      s.block_value = y.value();
      s.block = tape_gradient(y, leaves);
    }
  }

  s.non_analytic = first_non_analytic<E>::name;
  if constexpr (M.complex_step && first_non_analytic<E>::name.empty()) {
    using C = std::complex<double>;
    s.complex_value.resize(n);
    s.complex_slope.resize(n);
    s.complex_check.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
      std::array<C, n> z{C(s.point[K])...};
      const double h = complex_step_size(s.point[k]);
      z[k] = C(s.point[k], h);
      const C fz = f(rebind<C>(std::get<K>(b), z[K])...);
      z[k] = C(s.point[k], 4 * h);
      const C fz4 = f(rebind<C>(std::get<K>(b), z[K])...);
      s.complex_value[k] = fz.real();
      s.complex_slope[k] = fz.imag() / h;
      s.complex_check[k] = fz4.imag() / (4 * h);
    }
  }

  if constexpr (M.finite_differences) {
    std::array<L, n> p{static_cast<L>(s.point[K])...};
    std::size_t k = 0;
    const auto moved = [&](L t) -> L {
      const L saved = p[k];
      p[k] = t;
      const L v = f(rebind<L>(std::get<K>(b), p[K])...);
      p[k] = saved;
      return v;
    };
    for (; k < n; ++k)
      s.fd.push_back(richardson_derivative(function_ref<L>(moved), p[k], o.richardson));
  }
  return assemble(s, o);
}

// ---------------------------------------------------------------- callables on tape vars

template <class T>
concept callable_argument = std::is_arithmetic_v<T> || std::same_as<T, std::vector<double>>;

/// The constant (not recorded) input f gets for an argument.
template <class T>
auto constant_input(const T& x) {
  if constexpr (std::is_arithmetic_v<T>)
    return tape::var(static_cast<double>(x));
  else
    return tape::array(x);
}

/// One number among f's arguments: argument `argument`, element `element` of it.
struct coordinate {
  std::size_t argument;
  std::size_t element;
  std::string name;
  double value;
};

template <class T>
void add_coordinates(std::vector<coordinate>& out, std::size_t i, const T& x, bool alone) {
  const std::string name = alone ? std::string("x") : "arg" + std::to_string(i);
  if constexpr (std::is_arithmetic_v<T>) {
    out.push_back({i, 0, name, static_cast<double>(x)});
  } else {
    for (std::size_t j = 0; j < x.size(); ++j)
      out.push_back({i, j, name + "[" + std::to_string(j) + "]", x[j]});
  }
}

template <class T>
void set_coordinate(T& x, std::size_t element, double v) {
  if constexpr (std::is_arithmetic_v<T>) {
    (void)element;
    x = static_cast<T>(v);
  } else {
    x[element] = v;
  }
}

template <class T>
void append_gradient(std::vector<double>& out, const T& g) {
  if constexpr (std::is_arithmetic_v<T>)
    out.push_back(g);
  else
    out.insert(out.end(), g.begin(), g.end());
}

template <bool FiniteDifferences, class F, class... X, std::size_t... I>
gradient_report check_callable(const F& f, const check_options& o, std::index_sequence<I...>,
                               const X&... x) {
  std::vector<coordinate> coordinates;
  (add_coordinates(coordinates, I, x, sizeof...(X) == 1), ...);

  const std::tuple<X...> at{x...};
  const auto value_at = [&](const std::tuple<X...>& args) {
    return std::apply([&](const auto&... a) { return f(constant_input(a)...).value(); }, args);
  };

  gradient_report r;
  r.function = "a callable on tape vars";
  for (const coordinate& c : coordinates)
    r.point += (r.point.empty() ? "" : ", ") + c.name + " = " + number_text(c.value);

  const auto [value, g] = tape::value_and_gradient(f, x...);
  std::vector<double> gradient;
  if constexpr (sizeof...(X) == 1)
    append_gradient(gradient, g);
  else
    std::apply([&](const auto&... gi) { (append_gradient(gradient, gi), ...); }, g);

  r.value.name = "f";
  r.value.reference = value;
  r.value.reference_name = "tape";
  r.value.methods.push_back(
      compare("f on constants", value_at(at), value, exact_tolerance(o, value, 0)));
  require_finite_reference(r.value, r.notes);

  for (std::size_t k = 0; k < coordinates.size(); ++k) {
    const coordinate& c = coordinates[k];
    check_quantity q;
    q.name = c.name;
    q.point = c.value;
    q.reference = gradient[k];
    q.reference_name = "tape::gradient";
    if constexpr (FiniteDifferences) {
      const auto moved = [&](double t) {
        std::tuple<X...> args = at;
        ((I == c.argument ? set_coordinate(std::get<I>(args), c.element, t) : void()), ...);
        return value_at(args);
      };
      const finite_difference<double> fd =
          richardson_derivative(function_ref<double>(moved), c.value, o.richardson);
      q.methods.push_back(compare_finite_difference(fd, gradient[k], 0, o));
    }
    require_finite_reference(q, r.notes);
    r.derivatives.push_back(std::move(q));
  }
  return r;
}

template <class A>
inline constexpr bool is_check_options = std::is_same_v<std::remove_cvref_t<A>, check_options>;

}  // namespace detail

/// Checks f's gradient at a point, every way leibniz can compute it, and returns the report
/// (true when all agree; it prints as a table).
///
/// For a static expression, at bindings of its variables, `check_gradient(f, x = 2.0, y = 3.0)`:
/// the reference is d(f, v) evaluated in long double; against it, d(f, v) in double, the
/// compiled gradient, the tape op by op (f evaluated on tape::var), the tape with f as one
/// static block (tape::apply), the complex step (when f has only analytic ops) and finite
/// differences (Richardson extrapolation, in long double).
///
/// For a callable on tape vars, `check_gradient(f, 2.0, 3.0)`: f takes a tape::var for each
/// number and a tape::array for each std::vector<double>, and returns a tape::var; the tape's
/// gradient is checked against finite differences (in double).
///
/// Tolerances and switches: pass check_options before the point,
/// `check_gradient(f, {.fd_rtol = 1e-5}, x = 2.0)`.
template <check_methods Methods = check_methods{}, class F, class... A>
gradient_report check_gradient(const F& f, const check_options& options, const A&... point) {
  if constexpr (Expression<F>) {
    constexpr bool bindings = sizeof...(A) > 0 && (is_binding<A> && ...);
    static_assert(bindings,
                  "leibniz::check_gradient(f, x = 2.0, ...): a static expression is checked at "
                  "bindings of its variables, one per variable to differentiate by");
    if constexpr (bindings)
      return detail::check_static<Methods>(f, options, std::index_sequence_for<A...>{}, point...);
    else
      return {};
  } else {
    constexpr bool numbers = sizeof...(A) > 0 && (detail::callable_argument<A> && ...);
    static_assert(numbers,
                  "leibniz::check_gradient(f, 2.0, ...): a callable is checked at numbers "
                  "(each passed to f as a tape::var) or std::vector<double> (passed as a "
                  "tape::array)");
    if constexpr (numbers) {
      using result = decltype(f(detail::constant_input(point)...));
      static_assert(std::is_same_v<std::remove_cvref_t<result>, tape::var> ||
                        tape::detail::is_statement<std::remove_cvref_t<result>>,
                    "leibniz::check_gradient(f, ...): f must return a tape::var");
      return detail::check_callable<Methods.finite_differences>(
          f, options, std::index_sequence_for<A...>{}, point...);
    } else {
      return {};
    }
  }
}

/// check_gradient with the default options.
template <check_methods Methods = check_methods{}, class F, class... A>
requires(!(detail::is_check_options<A> || ...)) gradient_report
    check_gradient(const F& f, const A&... point) {
  return check_gradient<Methods>(f, check_options{}, point...);
}

// ---------------------------------------------------------------- at compile time

/// The outcome of matches_finite_differences: true when every partial derivative agrees; the
/// worst one is named by its position among the bindings.
struct finite_difference_match {
  bool passed = true;
  /// The binding whose derivative came closest to failing (or failed).
  std::size_t worst_variable = 0;
  /// |symbolic - finite difference| / tolerance for it: at most 1 when passed.
  double worst_ratio = 0;
  /// The symbolic derivative and the finite difference for it.
  double symbolic = 0;
  double finite_difference = 0;

  constexpr explicit operator bool() const { return passed; }
};

namespace detail {

template <class E, class... B, std::size_t... K>
constexpr finite_difference_match match_finite_differences(const E& f, const check_options& o,
                                                           std::index_sequence<K...> seq,
                                                           const B&... given) {
  const std::tuple<decltype(rebind<double>(given, 0.0))...> b{
      rebind<double>(given, binding_as_double(given.value))...};
  const std::array<double, sizeof...(B)> point{binding_as_double(given.value)...};
  const std::array<double, sizeof...(B)> symbolic{std::apply(
      [&](const auto&... bi) {
        return static_cast<double>(d(f, variable_of_binding(given))(bi...));
      },
      b)...};
  const std::array<finite_difference<double>, sizeof...(B)> fd{
      richardson_derivative([&](double t) { return evaluate_moved<double, K>(f, b, t, seq); },
                            point[K], o.richardson)...};
  finite_difference_match m;
  for (std::size_t k = 0; k < sizeof...(B); ++k) {
    const double tolerance = o.fd_atol + o.fd_rtol * fd_abs(symbolic[k]);
    const double error = fd_abs(symbolic[k] - fd[k].derivative);
    const bool ok = fd_finite(symbolic[k]) && fd_finite(fd[k].derivative) && error <= tolerance;
    const double ratio = ok ? error / tolerance : std::numeric_limits<double>::infinity();
    if (!ok) m.passed = false;
    if (k == 0 || ratio > m.worst_ratio) {
      m.worst_variable = k;
      m.worst_ratio = ratio;
      m.symbolic = symbolic[k];
      m.finite_difference = fd[k].derivative;
    }
  }
  return m;
}

}  // namespace detail

/// The symbolic gradient of a static expression against finite differences (Richardson
/// extrapolation in double), usable in constant expressions:
///
///     static_assert(leibniz::matches_finite_differences(f, x = 2.0, y = 3.0));
///
/// Tolerances: check_options' fd_rtol and fd_atol, given before the point.
template <Expression E, class... B>
constexpr finite_difference_match matches_finite_differences(const E& f,
                                                             const check_options& options,
                                                             const B&... point) {
  constexpr bool bindings = sizeof...(B) > 0 && (is_binding<B> && ...);
  static_assert(bindings,
                "leibniz::matches_finite_differences(f, x = 2.0, ...): give a binding for each "
                "variable to differentiate by");
  if constexpr (bindings)
    return detail::match_finite_differences(f, options, std::index_sequence_for<B...>{}, point...);
  else
    return {};
}

/// The options matches_finite_differences uses when given none: one start of 10 rows (40
/// evaluations of f for two variables), within clang's default limit on the steps of a
/// constant evaluation (-fconstexpr-steps=1048576) for expressions of a few dozen ops; and a
/// first step of 1e-3 max(1, |x|), small, because in constant evaluation f must be finite at
/// every point the differences visit (a NaN or an infinity is not a constant expression).
inline constexpr check_options compile_time_check_options{
    .richardson = {.initial_step = 1e-3, .shrink = 1.4, .rows = 10, .starts = 1}};

/// matches_finite_differences with compile_time_check_options.
template <Expression E, class... B>
requires(!(detail::is_check_options<B> || ...)) constexpr finite_difference_match
    matches_finite_differences(const E& f, const B&... point) {
  return matches_finite_differences(f, compile_time_check_options, point...);
}

}  // namespace leibniz
