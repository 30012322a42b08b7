// bench/cases.hpp
// The suite's cases (../shared/BENCH-SUITE.md), written once: each case's function f (a
// template, so that the same code runs on double, on tape::var and on every peer's active
// type), its fixed input, and its gradient written by hand, the floor every mode is held to.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <span>
#include <vector>

namespace bench {

using std::exp;
using std::log;

// ------------------------------------------------------------------ the seed cases (n = 2)

/// seed_quadratic: x*x + y*y at (2, 3); gradient (4, 6).
struct seed_quadratic {
  static constexpr const char* name = "seed_quadratic";
  static constexpr std::array<double, 2> at{2, 3};
  template <class T>
  static T f(const T& x, const T& y) {
    return x * x + y * y;
  }
  static std::array<double, 2> hand(double x, double y) { return {2 * x, 2 * y}; }
};

/// seed_mixed: x*x*y + x*y*y at (2, 3); gradient (21, 16).
struct seed_mixed {
  static constexpr const char* name = "seed_mixed";
  static constexpr std::array<double, 2> at{2, 3};
  template <class T>
  static T f(const T& x, const T& y) {
    return x * x * y + x * y * y;
  }
  static std::array<double, 2> hand(double x, double y) {
    return {2 * x * y + y * y, x * x + 2 * x * y};
  }
};

// ------------------------------------------------------------------ the scaling cases

/// rosenbrock: sum over i < n-1 of 100*(x[i+1] - x[i]^2)^2 + (1 - x[i])^2, x[i] = 0.5 + 0.001*i.
struct rosenbrock {
  static constexpr const char* name = "rosenbrock";
  struct problem {
    std::vector<double> x;
  };
  static problem input(std::size_t n) {
    problem p{std::vector<double>(n)};
    for (std::size_t i = 0; i < n; ++i) p.x[i] = 0.5 + 0.001 * static_cast<double>(i);
    return p;
  }
  static std::size_t dimension(const problem& p) { return p.x.size(); }
  static std::size_t input_size(const problem& p) { return p.x.size(); }
  template <class T>
  static T f(std::span<const T> x) {
    T s = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); ++i) {
      const T a = x[i + 1] - x[i] * x[i];
      const T b = 1.0 - x[i];
      s += 100.0 * a * a + b * b;
    }
    return s;
  }
  static double f(const problem& p) { return f<double>(p.x); }
  static void hand(const problem& p, std::span<double> g) {
    const std::span<const double> x = p.x;
    for (double& gi : g) gi = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); ++i) {
      const double a = x[i + 1] - x[i] * x[i];
      g[i] += -400.0 * x[i] * a - 2.0 * (1.0 - x[i]);
      g[i + 1] += 200.0 * a;
    }
  }
};

/// logsumexp: log(sum over i of exp(x[i])), x[i] = sin(i).
struct logsumexp {
  static constexpr const char* name = "logsumexp";
  struct problem {
    std::vector<double> x;
  };
  static problem input(std::size_t n) {
    problem p{std::vector<double>(n)};
    for (std::size_t i = 0; i < n; ++i) p.x[i] = std::sin(static_cast<double>(i));
    return p;
  }
  static std::size_t dimension(const problem& p) { return p.x.size(); }
  static std::size_t input_size(const problem& p) { return p.x.size(); }
  template <class T>
  static T f(std::span<const T> x) {
    T s = 0.0;
    for (const T& xi : x) s += exp(xi);
    return log(s);
  }
  static double f(const problem& p) { return f<double>(p.x); }
  static void hand(const problem& p, std::span<double> g) {
    double s = 0.0;
    for (std::size_t i = 0; i < p.x.size(); ++i) {
      g[i] = std::exp(p.x[i]);
      s += g[i];
    }
    const double inverse = 1.0 / s;
    for (double& gi : g) gi *= inverse;
  }
};

/// normal_lpdf: sum over i < n of -0.5*((y[i]-mu)/sigma)^2 - log(sigma) - 0.5*log(2*pi), its
/// gradient in (mu, sigma); y[i] = cos(i) is data, (mu, sigma) = (0.3, 1.7).
struct normal_lpdf {
  static constexpr const char* name = "normal_lpdf";
  static constexpr double log_sqrt_2pi = 0.91893853320467274178;  // 0.5*log(2*pi)
  struct problem {
    double mu;
    double sigma;
    std::vector<double> y;
  };
  static problem input(std::size_t n) {
    problem p{0.3, 1.7, std::vector<double>(n)};
    for (std::size_t i = 0; i < n; ++i) p.y[i] = std::cos(static_cast<double>(i));
    return p;
  }
  static std::size_t dimension(const problem&) { return 2; }
  static std::size_t input_size(const problem& p) { return p.y.size(); }
  template <class T>
  static T f(const T& mu, const T& sigma, std::span<const double> y) {
    T s = 0.0;
    for (double yi : y) {
      const T z = (yi - mu) / sigma;
      s += -0.5 * z * z - log(sigma) - log_sqrt_2pi;
    }
    return s;
  }
  static double f(const problem& p) { return f<double>(p.mu, p.sigma, p.y); }
  static void hand(const problem& p, std::span<double> g) {
    double dmu = 0.0;
    double dsigma = 0.0;
    const double inverse = 1.0 / p.sigma;
    for (double yi : p.y) {
      const double z = (yi - p.mu) * inverse;
      dmu += z;
      dsigma += z * z;
    }
    g[0] = dmu * inverse;
    g[1] = (dsigma - static_cast<double>(p.y.size())) * inverse;
  }
};

}  // namespace bench
