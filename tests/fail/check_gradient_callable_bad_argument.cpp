// tests/fail/check_gradient_callable_bad_argument.cpp
// A callable on tape vars is checked at numbers or std::vector<double>: nothing else.
// expected-error: a callable is checked at numbers
#include <leibniz/leibniz.hpp>

#include <string>

bool check() {
  const auto f = [](const leibniz::tape::var& a) { return a * a; };
#ifdef LEIBNIZ_FAIL
  return static_cast<bool>(leibniz::check_gradient(f, std::string("2.0")));
#else
  return static_cast<bool>(leibniz::check_gradient(f, 2.0));
#endif
}
