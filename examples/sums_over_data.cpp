// examples/sums_over_data.cpp
// Static mode over data: the log-likelihood of a normal sample is a sum whose length is
// known only at run time. Its gradient in (mu, sigma) is compiled, needs no tape and no heap,
// and drives a gradient ascent to the maximum-likelihood estimate. The same sum then goes on
// the tape as one entry, behind a parameter computed on the tape.
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

  // The same sum on the tape, as one entry (a sum block): here sigma = exp(t) is computed on
  // the tape first, and backward() reaches t through the whole likelihood.
  namespace tape = leibniz::tape;
  tape::var mu_t{0.5, leibniz::requires_grad};
  tape::var t{0.0, leibniz::requires_grad};
  tape::var log_l = tape::apply(log_likelihood, y = data, mu = mu_t, sigma = exp(t));
  log_l.backward();
  const auto [dm, ds] = gradient(y = data, mu = 0.5, sigma = 1.0);
  std::cout << "\non the tape at mu = 0.5, sigma = exp(0): d log L / d mu = " << *mu_t.grad()
            << " (static: " << dm << "), d log L / dt = " << *t.grad()
            << " (static d / d sigma times sigma: " << ds * 1.0 << ")\n";
  const bool agree = std::abs(*mu_t.grad() - dm) <= 1e-9 * std::abs(dm) &&
                     std::abs(*t.grad() - ds) <= 1e-9 * std::abs(ds);
  std::cout << (agree ? "tape and static mode agree\n" : "tape and static mode DISAGREE\n");
  return converged && agree ? 0 : 1;
}
