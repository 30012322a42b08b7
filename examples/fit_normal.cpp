// examples/fit_normal.cpp
// A training loop whose loss is a sum of static blocks: fit a normal distribution's mu and
// sigma to data by gradient descent on the negative mean log-density. Each datum's term is a
// static expression recorded as one tape entry (tape::apply), its partials from the static
// engine; the parameters are ordinary leaves with requires_grad, as in PyTorch. The fit is
// checked against the closed form (the data's mean and standard deviation).
#include <leibniz/leibniz.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <numbers>
#include <vector>

int main() {
  namespace tape = leibniz::tape;
  using leibniz::constant;
  constexpr leibniz::variable<"s"> s;
  constexpr leibniz::variable<"mu"> mu_;
  constexpr leibniz::variable<"sigma"> sigma_;
  constexpr leibniz::variable<"y"> y;

  // One datum's log-density but for the constant -log(sqrt(2 pi)), added to a running sum s.
  constexpr auto term =
      s - constant<1, 2> * ((y - mu_) / sigma_) * ((y - mu_) / sigma_) - log(sigma_);
  // Its derivatives, derived at compile time (printed below).
  constexpr auto dmu = leibniz::d(term, mu_);
  constexpr auto dsigma = leibniz::d(term, sigma_);
  static_assert(leibniz::to_string(dmu) == "-(mu - y)/sigma^2");
  static_assert(dmu(s = 0.0, mu_ = 1.0, sigma_ = 2.0, y = 5.0) == 1.0);

  std::vector<double> data;
  for (int i = 0; i < 500; ++i) data.push_back(2.0 + 1.5 * std::cos(0.7 * i));
  double mean = 0.0;
  for (double v : data) mean += v;
  mean /= static_cast<double>(data.size());
  double variance = 0.0;
  for (double v : data) variance += (v - mean) * (v - mean);
  variance /= static_cast<double>(data.size());

  tape::var mu{0.0, leibniz::requires_grad};
  tape::var sigma{1.0, leibniz::requires_grad};
  const double n = static_cast<double>(data.size());
  const double learning_rate = 0.5;
  for (int step = 0; step < 200; ++step) {
    tape::var sum = 0.0;
    for (double v : data) sum = tape::apply(term, s = sum, mu_ = mu, sigma_ = sigma, y = v);
    const tape::var loss = -(sum / n) + std::log(std::sqrt(2.0 * std::numbers::pi));
    loss.backward();  // one entry per datum: the sweep is one loop over them
    if (step % 50 == 0)
      std::printf("step %3d: loss %.12f  mu %.12f  sigma %.12f\n", step, loss.value(), mu.value(),
                  sigma.value());
    {
      const leibniz::no_grad guard;
      mu -= learning_rate * *mu.grad();
      sigma -= learning_rate * *sigma.grad();
    }
    mu.zero_grad();
    sigma.zero_grad();
  }

  std::cout << "d term / d mu    = " << dmu << "\n";
  std::cout << "d term / d sigma = " << dsigma << "\n" << std::flush;
  std::printf("fit:         mu = %.12f, sigma = %.12f\n", mu.value(), sigma.value());
  std::printf("closed form: mu = %.12f, sigma = %.12f\n", mean, std::sqrt(variance));
  const bool fitted =
      std::abs(mu.value() - mean) < 1e-9 && std::abs(sigma.value() - std::sqrt(variance)) < 1e-9;
  std::puts(fitted ? "the fit agrees with the closed form" : "the fit does NOT agree");
  return fitted ? 0 : 1;
}
