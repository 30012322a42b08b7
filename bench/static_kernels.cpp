// bench/static_kernels.cpp
// The static-mode cases as separate non-inlined kernels, for instruction counts that do not
// drift: bench/callgrind_counts runs this under callgrind and prints each kernel's
// instructions per call beside the hand-written kernel's.
#include <leibniz/leibniz.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace {

using namespace leibniz::literals;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;
constexpr leibniz::variable<"z"> z;

constexpr auto seed_quadratic = x * x + y * y;
constexpr auto seed_mixed = x * x * y + x * y * y;
constexpr auto transcendental = leibniz::sin(x * y) +
                                leibniz::exp(x / z) * leibniz::log(y * y + 1_c) -
                                leibniz::sqrt(x * z) + leibniz::tanh(y - z) * leibniz::pow<3>(x);

}  // namespace

// Kernels the optimiser may not inline, clone or merge, so that callgrind counts each alone.
#if defined(__clang__)
#define KERNEL [[gnu::noinline]]
#else
#define KERNEL [[gnu::noipa]]
#endif
KERNEL std::array<double, 2> seed_quadratic_hand(double a, double b) { return {2 * a, 2 * b}; }
KERNEL std::array<double, 2> seed_quadratic_static(double a, double b) {
  return leibniz::gradient(seed_quadratic, x, y)(x = a, y = b);
}
KERNEL std::array<double, 2> seed_mixed_hand(double a, double b) {
  return {2 * a * b + b * b, a * a + 2 * a * b};
}
KERNEL std::array<double, 2> seed_mixed_static(double a, double b) {
  return leibniz::gradient(seed_mixed, x, y)(x = a, y = b);
}
KERNEL std::array<double, 3> transcendental_hand(double a, double b, double c) {
  const double cs = std::cos(a * b);
  const double e = std::exp(a / c);
  const double l = std::log(b * b + 1);
  const double q = std::sqrt(a * c);
  const double t = std::tanh(b - c);
  const double sech2 = 1 - t * t;
  const double a2 = a * a;
  return {cs * b + e * l / c - 0.5 * c / q + 3 * t * a2,
          cs * a + e * 2 * b / (b * b + 1) + sech2 * a2 * a,
          -e * l * a / (c * c) - 0.5 * a / q - sech2 * a2 * a};
}
KERNEL std::array<double, 3> transcendental_static(double a, double b, double c) {
  return leibniz::gradient(transcendental, x, y, z)(x = a, y = b, z = c);
}

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
  double checksum = 0;
  for (int i = 0; i < n; ++i) {
    const double a = 0.7 + 1e-7 * i, b = 1.3, c = 0.9;
    const auto q1 = seed_quadratic_hand(a, b), q2 = seed_quadratic_static(a, b);
    const auto m1 = seed_mixed_hand(a, b), m2 = seed_mixed_static(a, b);
    const auto t1 = transcendental_hand(a, b, c), t2 = transcendental_static(a, b, c);
    for (int k = 0; k < 2; ++k) checksum += q1[k] - q2[k] + m1[k] - m2[k];
    for (int k = 0; k < 3; ++k) checksum += t1[k] - t2[k];
  }
  // The kernels agree: the differences add up to rounding noise at most.
  std::printf("sum of differences: %.3g\n", checksum);
  return std::abs(checksum) < 1e-6 ? 0 : 1;
}
