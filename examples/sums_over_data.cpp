// examples/sums_over_data.cpp
// Static mode over data: the log-likelihood of a normal sample is a sum whose length is
// known only at run time. Its gradient in (mu, sigma) is compiled, needs no tape and no heap,
// and drives a gradient ascent to the maximum-likelihood estimate.
#include <leibniz/leibniz.hpp>

#include <cmath>
#include <iostream>
#include <numbers>
#include <vector>

int main() {
  using namespace leibniz::literals;
  constexpr leibniz::index<"i"> i;
  constexpr leibniz::vector<"y"> y;  // the data: a vector bound at run time
  constexpr leibniz::variable<"mu"> mu;
  constexpr leibniz::variable<"sigma"> sigma;

  constexpr auto log_likelihood =
      leibniz::sum(i < size(y), -leibniz::constant<1, 2> * leibniz::pow<2>((y[i] - mu) / sigma) -
                                    leibniz::log(sigma) -
                                    leibniz::constant<1, 2> * leibniz::log(2_c * leibniz::pi));
  // What does not depend on i left the loop when the expression was built:
  std::cout << "log L = " << log_likelihood << "\n\n";

  std::vector<double> data(1000);
  for (std::size_t k = 0; k < data.size(); ++k)
    data[k] = 2.0 + 0.5 * std::cos(static_cast<double>(k));  // mean 2, sd about 0.35

  const auto gradient = leibniz::gradient(log_likelihood, mu, sigma);
  double m = 0.0, s = 1.0;
  const double rate = 0.05 / static_cast<double>(data.size());
  for (int step = 0; step <= 300; ++step) {
    const auto [dm, ds] = gradient(y = data, mu = m, sigma = s);
    if (step % 50 == 0)
      std::cout << "step " << step << ": mu = " << m << ", sigma = " << s
                << ", log L = " << log_likelihood(y = data, mu = m, sigma = s) << "\n";
    m += rate * dm;
    s += rate * ds;
  }

  double mean = 0.0, square = 0.0;
  for (double v : data) mean += v / static_cast<double>(data.size());
  for (double v : data) square += (v - mean) * (v - mean) / static_cast<double>(data.size());
  std::cout << "\nclosed form: mu = " << mean << ", sigma = " << std::sqrt(square) << "\n";
  const bool converged = std::abs(m - mean) < 1e-6 && std::abs(s - std::sqrt(square)) < 1e-6;
  std::cout << (converged ? "gradient ascent reached it\n" : "gradient ascent did NOT reach it\n");
  return converged ? 0 : 1;
}
