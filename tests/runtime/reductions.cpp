// tests/runtime/reductions.cpp
// Sums over data at run time: the suite's rosenbrock, logsumexp and normal_lpdf against the
// same functions and gradients written by hand, at several lengths; misuse at run time.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace leibniz::literals;

constexpr leibniz::index<"i"> i;
constexpr leibniz::vector<"x"> x;
constexpr leibniz::vector<"y"> y;
constexpr leibniz::variable<"mu"> mu;
constexpr leibniz::variable<"sigma"> sigma;

constexpr auto rosenbrock =
    leibniz::sum(i < size(x) - 1_c, 100_c * leibniz::pow<2>(x[i + 1_c] - leibniz::pow<2>(x[i])) +
                                        leibniz::pow<2>(1_c - x[i]));
constexpr auto logsumexp = leibniz::log(leibniz::sum(i < size(x), leibniz::exp(x[i])));
constexpr auto normal_lpdf =
    leibniz::sum(i < size(y), -0.5 * leibniz::pow<2>((y[i] - mu) / sigma) - leibniz::log(sigma) -
                                  0.5 * leibniz::log(2 * leibniz::pi));

bool close(double a, double b, double tolerance = 1e-12) {
  return std::abs(a - b) <= tolerance * std::max(1.0, std::abs(b));
}

std::vector<double> suite_x(int n) {  // BENCH-SUITE.md's input for rosenbrock
  std::vector<double> v(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) v[static_cast<std::size_t>(k)] = 0.5 + 0.001 * k;
  return v;
}

}  // namespace

TEST_CASE("rosenbrock and its gradient equal the hand-written ones") {
  for (int n : {2, 3, 10, 1000}) {
    const std::vector<double> xs = suite_x(n);
    double value = 0;
    std::vector<double> hand(xs.size(), 0.0);
    for (std::size_t k = 0; k + 1 < xs.size(); ++k) {
      const double t = xs[k + 1] - xs[k] * xs[k];
      value += 100 * t * t + (1 - xs[k]) * (1 - xs[k]);
      hand[k] += -400 * t * xs[k] - 2 * (1 - xs[k]);
      hand[k + 1] += 200 * t;
    }
    CHECK(close(rosenbrock(x = xs), value));
    std::vector<double> g(xs.size(), -1.0);  // overwritten, not added to
    leibniz::gradient(rosenbrock, x)(x = xs, leibniz::into(x) = g);
    for (std::size_t k = 0; k < xs.size(); ++k) CHECK(close(g[k], hand[k]));
  }
}

TEST_CASE("logsumexp's gradient is the softmax") {
  for (int n : {1, 10, 1000}) {
    std::vector<double> xs(static_cast<std::size_t>(n));
    for (int k = 0; k < n; ++k) xs[static_cast<std::size_t>(k)] = std::sin(k);
    double total = 0;
    for (double v : xs) total += std::exp(v);
    CHECK(close(logsumexp(x = xs), std::log(total)));
    std::vector<double> g(xs.size());
    leibniz::gradient(logsumexp, x)(x = xs, leibniz::into(x) = g);
    for (std::size_t k = 0; k < xs.size(); ++k) CHECK(close(g[k], std::exp(xs[k]) / total));
  }
}

TEST_CASE("normal_lpdf's gradient in (mu, sigma), the data held fixed") {
  for (int n : {1, 10, 1000}) {
    std::vector<double> ys(static_cast<std::size_t>(n));
    for (int k = 0; k < n; ++k) ys[static_cast<std::size_t>(k)] = std::cos(k);
    const double m = 0.3, s = 1.7;
    double value = 0, dm = 0, ds = 0;
    for (double v : ys) {
      const double z = (v - m) / s;
      value += -0.5 * z * z - std::log(s) - 0.5 * std::log(2 * std::numbers::pi);
      dm += z / s;
      ds += -1 / s + z * z / s;
    }
    CHECK(close(normal_lpdf(y = ys, mu = m, sigma = s), value));
    const auto g = leibniz::gradient(normal_lpdf, mu, sigma)(y = ys, mu = m, sigma = s);
    CHECK(close(g[0], dm));
    CHECK(close(g[1], ds));
    // The symbolic derivatives agree with the compiled gradient.
    CHECK(close(leibniz::d(normal_lpdf, mu)(y = ys, mu = m, sigma = s), dm));
    CHECK(close(leibniz::d(normal_lpdf, sigma)(y = ys, mu = m, sigma = s), ds));
  }
}

TEST_CASE("a gradient with respect to a vector and a scalar together") {
  // f = sum_i mu * x[i]^2: df/dx[i] = 2 mu x[i], df/dmu = sum x[i]^2.
  const auto f = leibniz::sum(i < size(x), mu * x[i] * x[i]);
  const std::vector<double> xs{1.0, -2.0, 3.0};
  std::vector<double> gx(3);
  const auto scalars = leibniz::gradient(f, x, mu)(x = xs, mu = 0.5, leibniz::into(x) = gx);
  CHECK(scalars == std::array{14.0});
  CHECK(gx == std::vector{1.0, -2.0, 3.0});
}

TEST_CASE("an empty range sums to zero") {
  const std::vector<double> one{2.0};
  CHECK(rosenbrock(x = one) == 0.0);
  std::vector<double> g(1, 5.0);
  leibniz::gradient(rosenbrock, x)(x = one, leibniz::into(x) = g);
  CHECK(g[0] == 0.0);
  CHECK(leibniz::sum(i < size(x), x[i])(x = std::vector<double>{}) == 0.0);
}

TEST_CASE("an output of the wrong size is refused, saying what it needs") {
  const std::vector<double> xs{1.0, 2.0};
  std::vector<double> g(3);
  CHECK_THROWS_WITH_AS(leibniz::gradient(logsumexp, x)(x = xs, leibniz::into(x) = g),
                       "leibniz::gradient: into(x) = g needs g of the same size as the vector "
                       "bound to x",
                       std::invalid_argument);
}

TEST_CASE("bound data: a polynomial sum becomes power sums, with the same gradient") {
  std::vector<double> ys(1000);
  for (std::size_t k = 0; k < ys.size(); ++k) ys[k] = std::cos(static_cast<double>(k));
  const auto bound = leibniz::bind(normal_lpdf, y = ys);
  // No loop is left: the bound expression has no sum, and needs no data.
  CHECK(leibniz::to_string(bound).view().find("sum(") == std::string_view::npos);
  for (double m : {-1.0, 0.3, 2.0}) {
    for (double s : {0.5, 1.7}) {
      const auto loop = leibniz::gradient(normal_lpdf, mu, sigma)(y = ys, mu = m, sigma = s);
      const auto once = leibniz::gradient(bound, mu, sigma)(mu = m, sigma = s);
      CHECK(close(once[0], loop[0]));
      CHECK(close(once[1], loop[1]));
      CHECK(close(bound(mu = m, sigma = s), normal_lpdf(y = ys, mu = m, sigma = s)));
    }
  }
}

TEST_CASE("bound data far from zero keeps its accuracy (centred power sums)") {
  // Mean 1e6, spread 1: sum y^2 - 2 mu sum y + n mu^2 would lose every digit.
  std::vector<double> ys(1000);
  for (std::size_t k = 0; k < ys.size(); ++k) ys[k] = 1e6 + std::sin(static_cast<double>(k));
  const auto squares = leibniz::sum(i < size(y), leibniz::pow<2>(y[i] - mu));
  const auto bound = leibniz::bind(squares, y = ys);
  long double exact = 0;
  for (double v : ys)
    exact += (static_cast<long double>(v) - 1e6L) * (static_cast<long double>(v) - 1e6L);
  CHECK(close(bound(mu = 1e6), static_cast<double>(exact), 1e-9));
  CHECK(close(squares(y = ys, mu = 1e6), static_cast<double>(exact), 1e-9));
}

TEST_CASE("bound data leaves non-polynomial sums in place") {
  const std::vector<double> ys{0.5, 1.5, -2.0};
  const auto f =
      leibniz::sum(i < size(y), leibniz::exp(mu * y[i])) + leibniz::sum(i < size(y), y[i] * mu);
  const auto bound = leibniz::bind(f, y = ys);
  CHECK(leibniz::to_string(bound).view().find("sum(i < size(y), exp(mu*y[i]))") !=
        std::string_view::npos);
  CHECK(close(bound(mu = 0.7, y = ys), f(mu = 0.7, y = ys)));
}

TEST_CASE("a sum over data evaluated on tape variables records itself, with the same gradient") {
  using leibniz::tape::var;
  // Vector of tape variables: the tape's gradient equals the compiled one.
  std::vector<var> xv;
  std::vector<double> xs;
  for (int k = 0; k < 6; ++k) {
    xs.push_back(0.5 + 0.1 * k);
    xv.emplace_back(xs.back(), leibniz::requires_grad);
  }
  var r = rosenbrock(x = xv);
  CHECK(close(r.value(), rosenbrock(x = xs)));
  r.backward();
  std::vector<double> g(xs.size());
  leibniz::gradient(rosenbrock, x)(x = xs, leibniz::into(x) = g);
  for (std::size_t k = 0; k < xs.size(); ++k) CHECK(close(*xv[k].grad(), g[k]));

  // Data as doubles, parameters as tape variables.
  const std::vector<double> ys{0.5, -1.0, 2.0, 0.25};
  var m{0.3, leibniz::requires_grad};
  var s{1.7, leibniz::requires_grad};
  var lp = normal_lpdf(y = ys, mu = m, sigma = s);
  lp.backward();
  const auto want = leibniz::gradient(normal_lpdf, mu, sigma)(y = ys, mu = 0.3, sigma = 1.7);
  CHECK(close(*m.grad(), want[0]));
  CHECK(close(*s.grad(), want[1]));
}

TEST_CASE("sums print to LaTeX with a sum sign, and draw their body inside a box") {
  CHECK(leibniz::to_latex(logsumexp) ==
        "\\log\\left(\\sum_{i=0}^{n_{x}-1} \\exp\\left(x_{i}\\right)\\right)");
  const std::string dot = leibniz::to_dot(logsumexp);
  CHECK(dot.find("n0 [label=\"sum over i < size(x)\", shape=box];") != std::string::npos);
  CHECK(dot.find("subgraph cluster_n0 {") != std::string::npos);
  CHECK(dot.find("n0_n1 -> n0_n0;") != std::string::npos);  // exp(x[i]) inside the box
  CHECK(dot.find("n1 -> n0;") != std::string::npos);        // log of the sum
}
