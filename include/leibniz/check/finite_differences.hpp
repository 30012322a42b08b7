// leibniz/check/finite_differences.hpp
// Derivatives of a function of one number without its rules: central differences, Richardson
// extrapolation with an error estimate (Ridders' method), and the complex step. All constexpr
// for real T; the complex step runs where the function accepts std::complex.
#pragma once

#include <leibniz/math/math.hpp>

#include <array>
#include <complex>
#include <cstddef>
#include <limits>

namespace leibniz {

/// A derivative found numerically, and how far from the truth it may be.
template <class T>
struct finite_difference {
  /// The estimate of f'(x).
  T derivative = 0;
  /// An estimate of |derivative - f'(x)|: the spread of the last extrapolations. Infinity when
  /// no step gave finite values (x outside f's domain, or f not finite near x).
  T error = std::numeric_limits<T>::infinity();
  /// The step of the central difference the estimate came from (before extrapolation).
  T step = 0;
};

/// Options of richardson_derivative.
struct richardson_options {
  /// The first step, relative to max(1, |x|) (and then to |x|). Large on purpose: extrapolation
  /// removes the truncation error, and a large step keeps the rounding error small.
  double initial_step = 0.125;
  /// Each row of the tableau divides the step by this factor (Ridders: 1.4).
  double shrink = 1.4;
  /// Rows of the tableau: the smallest step is initial_step / shrink^(rows - 1).
  std::size_t rows = 14;
  /// Starts tried, each a hundred times smaller than the last, until one gives an error
  /// estimate within 1024 eps of the derivative; the best estimate wins. Small starts are for
  /// f that varies on a scale much smaller than max(1, |x|): near a pole, or a domain edge.
  /// For |x| < 1 as many starts follow relative to |x| (log, sqrt, cbrt at 1e-300).
  std::size_t starts = 6;
};

namespace detail {

template <class T>
constexpr T fd_abs(T v) {
  return v < 0 ? -v : v;
}

template <class T>
constexpr bool fd_finite(T v) {
  return v == v && fd_abs(v) <= std::numeric_limits<T>::max();
}

/// A central difference and the rounding error it carries.
template <class T>
struct central_result {
  T difference;
  /// eps max(|f(x - h)|, |f(x + h)|) / h: what rounding f's values alone can change it by.
  T rounding;
};

/// The central difference with step h; NaN if f is not finite at x - h or x + h.
template <class T, class F>
constexpr central_result<T> central(const F& f, T x, T h) {
  const T up = x + h;
  const T down = x - h;
  const T f_up = static_cast<T>(f(up));
  const T f_down = static_cast<T>(f(down));
  if (!fd_finite(f_up) || !fd_finite(f_down))
    return {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity()};
  const T magnitude = fd_abs(f_up) > fd_abs(f_down) ? fd_abs(f_up) : fd_abs(f_down);
  const T width = up - down;  // exact, and not quite 2h
  return {(f_up - f_down) / width, 2 * std::numeric_limits<T>::epsilon() * magnitude / width};
}

inline constexpr std::size_t max_richardson_rows = 20;

/// Ridders' method from one first step: the central differences of a shrinking step,
/// extrapolated to step 0 in a Neville tableau. Each entry's error is estimated by its
/// distance to its neighbours; the estimate with the smallest error wins. Stops when the
/// tableau's diagonal starts to grow (rounding error takes over). (Numerical Recipes, dfridr.)
template <class T, class F>
constexpr finite_difference<T> ridders(const F& f, T x, T h, const richardson_options& options) {
  const std::size_t rows = options.rows < 2                     ? 2
                           : options.rows > max_richardson_rows ? max_richardson_rows
                                                                : options.rows;
  const T shrink = static_cast<T>(options.shrink > 1.01 ? options.shrink : 1.4);
  const T shrink2 = shrink * shrink;
  finite_difference<T> best;

  // A first step that stays inside f's domain: shrink until both points give finite values.
  central_result<T> first = central(f, x, h);
  for (int tries = 0; !fd_finite(first.difference) && tries < 30; ++tries) {
    h /= 8;
    first = central(f, x, h);
  }
  if (!fd_finite(first.difference)) return best;

  std::array<std::array<T, max_richardson_rows>, max_richardson_rows> a{};
  a[0][0] = first.difference;
  best.derivative = first.difference;
  best.step = h;
  for (std::size_t i = 1; i < rows; ++i) {
    h /= shrink;
    const central_result<T> c = central(f, x, h);
    if (!fd_finite(c.difference)) break;
    a[0][i] = c.difference;
    T factor = shrink2;
    for (std::size_t j = 1; j <= i; ++j) {
      a[j][i] = (a[j - 1][i] * factor - a[j - 1][i - 1]) / (factor - 1);
      factor *= shrink2;
      const T e1 = fd_abs(a[j][i] - a[j - 1][i]);
      const T e2 = fd_abs(a[j][i] - a[j - 1][i - 1]);
      // The spread of the tableau, but never less than the rounding of f's values, amplified
      // a little by the extrapolation: an f flat to the last bit has no derivative to read.
      const T spread = e1 > e2 ? e1 : e2;
      const T error = spread > 4 * c.rounding ? spread : 4 * c.rounding;
      if (error <= best.error) {
        best.error = error;
        best.derivative = a[j][i];
        best.step = h;
      }
    }
    // Higher order is worse by a significant factor: rounding error dominates, stop.
    if (fd_abs(a[i][i] - a[i - 1][i - 1]) >= 2 * best.error) break;
  }
  return best;
}

}  // namespace detail

/// A step for one central difference that balances truncation error (h^2) against rounding
/// error (eps / h): cbrt(eps) * max(1, |x|), about 6e-6 * max(1, |x|) in double.
template <class T>
constexpr T central_difference_step(T x) {
  const T scale = detail::fd_abs(x) > 1 ? detail::fd_abs(x) : T(1);
  return math::cbrt(std::numeric_limits<T>::epsilon()) * scale;
}

/// f'(x) by one central difference, (f(x + h) - f(x - h)) / 2h, with h from
/// central_difference_step: about 2/3 of T's digits are right when f is smooth near x.
template <class T, class F>
constexpr T central_difference(const F& f, T x) {
  return detail::central(f, x, central_difference_step(x)).difference;
}

/// f'(x) by one central difference with the given step.
template <class T, class F>
constexpr T central_difference(const F& f, T x, T h) {
  return detail::central(f, x, h).difference;
}

/// f'(x) by Richardson extrapolation of central differences (Ridders' method), with an
/// estimate of its error (the spread of the extrapolations, and never less than what rounding
/// f's values can do). Where f is smooth this is good to nearly all of T's digits; where
/// it is not (a kink, a pole, a domain edge within the steps), the error estimate says so.
/// f takes a T and returns something convertible to T. Constexpr when f is.
template <class T, class F>
constexpr finite_difference<T> richardson_derivative(const F& f, T x,
                                                     const richardson_options& options = {}) {
  const T magnitude = detail::fd_abs(x);
  const std::size_t starts = options.starts == 0 ? 1 : options.starts;
  // An estimate is resolved when its error is below a thousandth of its value: across a kink
  // or a pole, Richardson's error estimate is not to be trusted, and it is never that small.
  const auto resolved = [](const finite_difference<T>& d) {
    return d.error <= T(1e-3) * detail::fd_abs(d.derivative);
  };
  finite_difference<T> best;
  bool first = true;
  // First steps relative to max(1, |x|), then, for a small x, relative to |x|: near a pole or
  // a domain edge at 0 (log, sqrt, cbrt at 1e-300), only steps below |x| stay on one side.
  for (const T scale : {magnitude > 1 ? magnitude : T(1), magnitude < 1 ? magnitude : T(0)}) {
    if (scale == 0) continue;
    T h = static_cast<T>(options.initial_step) * scale;
    for (std::size_t s = 0; s < starts; ++s, h /= 100) {
      const finite_difference<T> attempt = detail::ridders(f, x, h, options);
      // A resolved estimate beats one that is not; then the smaller error wins.
      const bool better =
          resolved(attempt) != resolved(best) ? resolved(attempt) : attempt.error < best.error;
      if (first || better) best = attempt;
      first = false;
      if (best.error <= 1024 * std::numeric_limits<T>::epsilon() * detail::fd_abs(best.derivative))
        return best;  // as good as it gets
    }
  }
  return best;
}

/// The step of the complex step: tiny, since there is no subtraction to lose digits in.
template <class T>
constexpr T complex_step_size(T x) {
  const T scale = detail::fd_abs(x) > 1 ? detail::fd_abs(x) : T(1);
  return T(1e-20) * scale;
}

/// f'(x) = Im f(x + ih) / h + O(h^2), for f analytic near x and real on the real axis: no
/// cancellation, so it is as accurate as f itself. f takes a std::complex<T>. Wrong for
/// functions that are not analytic (abs, min, max, ...) or that leave the real axis through
/// a branch cut (a fractional power of a negative number): complex_step_value tells.
template <class T, class F>
T complex_step_derivative(const F& f, T x) {
  const T h = complex_step_size(x);
  return static_cast<std::complex<T>>(f(std::complex<T>(x, h))).imag() / h;
}

/// Re f(x + ih), which equals f(x) up to O(h^2) when the complex step is valid.
template <class T, class F>
T complex_step_value(const F& f, T x) {
  return static_cast<std::complex<T>>(f(std::complex<T>(x, complex_step_size(x)))).real();
}

}  // namespace leibniz
