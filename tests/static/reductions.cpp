// tests/static/reductions.cpp
// Sums over data: their canonical form takes out of the loop what does not vary with the
// index; they print, differentiate and evaluate at compile time over constexpr arrays.
#include <leibniz/leibniz.hpp>

#include <array>

namespace {

using namespace leibniz::literals;
using leibniz::d;
using leibniz::to_string;

constexpr leibniz::index<"i"> i;
constexpr leibniz::vector<"x"> x;
constexpr leibniz::vector<"y"> y;
constexpr leibniz::variable<"mu"> mu;
constexpr leibniz::variable<"sigma"> sigma;

// The suite's functions, as static expressions.
constexpr auto rosenbrock =
    leibniz::sum(i < size(x) - 1_c, 100_c * leibniz::pow<2>(x[i + 1_c] - leibniz::pow<2>(x[i])) +
                                        leibniz::pow<2>(1_c - x[i]));
constexpr auto logsumexp = leibniz::log(leibniz::sum(i < size(x), leibniz::exp(x[i])));
constexpr auto normal_lpdf =
    leibniz::sum(i < size(y), -leibniz::constant<1, 2>* leibniz::pow<2>((y[i] - mu) / sigma) -
                                  leibniz::log(sigma) -
                                  leibniz::constant<1, 2> * leibniz::log(2_c * leibniz::pi));

// They print with their range, and what does not vary with i is out of the loop.
static_assert(to_string(rosenbrock) ==
              "sum(i < size(x) - 1, (1 - x[i])^2 + 100*(x[i + 1] - x[i]^2)^2)");
static_assert(to_string(logsumexp) == "log(sum(i < size(x), exp(x[i])))");
static_assert(to_string(normal_lpdf) ==
              "size(y)*(-log(sigma) - log(2*pi)/2) - sum(i < size(y), (y[i] - mu)^2)/(2*sigma^2)");
static_assert(to_string(leibniz::sum(i < size(x), mu)) == "size(x)*mu");
static_assert(to_string(leibniz::sum(i < size(x) - 2_c, 3_c * x[i])) ==
              "3*sum(i < size(x) - 2, x[i])");
static_assert(to_string(leibniz::sum(leibniz::range(i, 1_c, size(x)), x[i] - x[i - 1_c])) ==
              "sum(1 <= i < size(x), x[i] - x[i - 1])");
static_assert(to_string(leibniz::sum(x, [](auto xi) { return xi * xi; })) ==
              "sum(i < size(x), x[i]^2)");

// A sum is linear: its derivative is the sum of the derivatives.
static_assert(to_string(d(normal_lpdf, mu)) == "-(size(y)*mu - sum(i < size(y), y[i]))/sigma^2");
static_assert(to_string(d(leibniz::sum(i < size(x), leibniz::exp(mu* x[i])), mu)) ==
              "sum(i < size(x), x[i]*exp(mu*x[i]))");

// Evaluation at compile time, over constexpr data.
constexpr std::array<double, 4> xs{1.0, 2.0, 3.0, 4.0};
static_assert(leibniz::sum(i < size(x), x[i])(x = xs) == 10.0);
static_assert(leibniz::sum(i < size(x) - 1_c, x[i] * x[i + 1_c])(x = xs) == 2.0 + 6.0 + 12.0);
static_assert(leibniz::sum(i < size(x), x[i] * mu)(x = xs, mu = 0.5) == 5.0);
static_assert(rosenbrock(x = std::array{1.0, 1.0, 1.0}) == 0.0);
static_assert(d(leibniz::sum(i < size(x), mu* x[i] * x[i]), mu)(x = xs, mu = 2.0) == 30.0);

// The compiled gradient with respect to scalars, at compile time.
static_assert(leibniz::gradient(leibniz::sum(i < size(x), mu* x[i] + sigma * x[i] * x[i]), mu,
                                sigma)(x = xs, mu = 1.0, sigma = 1.0) == std::array{10.0, 30.0});

}  // namespace
