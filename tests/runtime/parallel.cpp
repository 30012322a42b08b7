// tests/runtime/parallel.cpp
// Sums over data on several threads (oneTBB): the same values and gradients as one thread, to
// rounding; the same bits every time for a given number of threads.
#include <leibniz/leibniz.hpp>
#include <leibniz/parallel.hpp>

#include <doctest/doctest.h>

#include <cmath>
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
    leibniz::sum(i < size(y), -0.5 * leibniz::pow<2>((y[i] - mu) / sigma) - leibniz::log(sigma));
// Reads three neighbours, so pieces share edges of two entries.
constexpr auto smoothness = leibniz::sum(leibniz::range(i, 1_c, size(x) - 1_c),
                                         leibniz::pow<2>(x[i - 1_c] - 2_c * x[i] + x[i + 1_c]));

std::vector<double> data(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t k = 0; k < n; ++k) v[k] = std::sin(static_cast<double>(k)) + 0.001 * k;
  return v;
}

bool close(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b)); }

template <class F>
void check_vector_gradient(const F& f, const std::vector<double>& xs) {
  std::vector<double> one(xs.size()), many(xs.size()), again(xs.size());
  leibniz::gradient(f, x)(x = xs, leibniz::into(x) = one);
  for (int threads : {2, 3, 7}) {
    leibniz::thread_pool pool{threads, 1000};
    leibniz::gradient(f, x)(x = xs, leibniz::into(x) = many, pool);
    leibniz::gradient(f, x)(x = xs, leibniz::into(x) = again, pool);
    CHECK(many == again);  // deterministic for a given number of threads
    for (std::size_t k = 0; k < xs.size(); ++k) REQUIRE(close(many[k], one[k]));
    CHECK(close(f(x = xs, pool), f(x = xs)));
  }
}

}  // namespace

TEST_CASE("a parallel gradient over a vector equals the one-thread gradient") {
  check_vector_gradient(rosenbrock, data(100000));
  check_vector_gradient(logsumexp, data(100000));
  check_vector_gradient(smoothness, data(20001));
}

TEST_CASE("a parallel gradient in scalars over data equals the one-thread gradient") {
  const std::vector<double> ys = data(50000);
  const auto g = leibniz::gradient(normal_lpdf, mu, sigma);
  const auto one = g(y = ys, mu = 0.3, sigma = 1.7);
  leibniz::thread_pool pool{2, 1000};
  const auto two = g(y = ys, mu = 0.3, sigma = 1.7, pool);
  CHECK(close(two[0], one[0]));
  CHECK(close(two[1], one[1]));
  CHECK(two == g(y = ys, mu = 0.3, sigma = 1.7, pool));
}

TEST_CASE("short sums stay on one thread") {
  leibniz::thread_pool pool{4, 4096};
  CHECK(pool.pieces_for(100) == 1);
  CHECK(pool.pieces_for(100000) == 4);
  const std::vector<double> xs = data(10);
  std::vector<double> g(xs.size()), h(xs.size());
  leibniz::gradient(rosenbrock, x)(x = xs, leibniz::into(x) = g, pool);
  leibniz::gradient(rosenbrock, x)(x = xs, leibniz::into(x) = h);
  CHECK(g == h);
}
