// tests/runtime/check_gradient.cpp
// check_gradient: what its report holds and prints, that it converts to bool for doctest, that
// it catches a wrong derivative rule and a wrong tape entry, its options, and its callable form.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace leibniz {

/// sin with a derivative rule wrong by one part in a million: what check_gradient is for.
struct wrong_sin_op {
  static constexpr std::string_view name = "wrong_sin";
  static constexpr auto value(const auto& u) { return math::sin(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return cos(u) * constant<1000001, 1000000>;
  }
};

template <class U>
constexpr auto wrong_sin(const U& u) {
  return call<wrong_sin_op>(u);
}

}  // namespace leibniz

namespace {

using namespace leibniz::literals;
using leibniz::check_gradient;
using leibniz::check_verdict;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;
constexpr leibniz::variable<"z"> z;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("a correct gradient passes, every method within its tolerance") {
  constexpr auto f = x * x * leibniz::sin(y) + leibniz::exp(x / y) - leibniz::log(x * y);
  const leibniz::gradient_report r = check_gradient(f, x = 2.0, y = 3.0);
  CHECK(r);
  CHECK(r.passed());
  CHECK(r.failures() == 0);
  CHECK(r.function == leibniz::to_string(f).str());
  CHECK(r.point == "x = 2, y = 3");
  REQUIRE(r.derivatives.size() == 2);
  for (const leibniz::check_quantity& q : r.derivatives) {
    CHECK(q.methods.size() == 6);
    for (const leibniz::check_method& m : q.methods) {
      INFO(q.name << ": " << m.name);
      CHECK(m.verdict == check_verdict::ok);
      CHECK(m.abs_error <= m.tolerance);
    }
  }
  // The reference is d(f, x) in long double; the methods are all within a few ulp of it.
  const double dx = 2 * 2.0 * std::sin(3.0) + std::exp(2.0 / 3) / 3 - 1 / 2.0;
  CHECK(static_cast<double>(r["x"].reference) == doctest::Approx(dx).epsilon(1e-15));
  CHECK(r["x"]["compiled gradient"].rel_error < 1e-15);
  CHECK(r["x"]["tape, op by op"].rel_error < 1e-15);
  CHECK(r["x"]["tape, static block"].rel_error < 1e-15);
  CHECK(r["x"]["complex step"].rel_error < 1e-15);
  CHECK(r["x"]["finite differences"].rel_error < 1e-12);
  CHECK(r.value["f in double"].rel_error < 1e-15);
  CHECK_THROWS_AS((void)r["w"], std::out_of_range);
  CHECK_THROWS_AS((void)r["x"]["no such method"], std::out_of_range);
}

TEST_CASE("CHECK(check_gradient(...)) shows the report when it fails") {
  constexpr auto f = x * x;
  CHECK(check_gradient(f, x = 3.0));
  // doctest prints an expression that fails through operator<<: the report's table.
  std::ostringstream out;
  out << check_gradient(f, x = 3.0);
  CHECK(contains(out.str(), "check_gradient at x = 3: passed"));
  CHECK(contains(out.str(), "f = x^2"));
  CHECK(contains(out.str(), "d/dx at x = 3"));
  CHECK(contains(out.str(), "compiled gradient"));
  CHECK(contains(out.str(), "finite differences"));
  CHECK(contains(out.str(), "Richardson, error estimate"));
  CHECK(out.str() == check_gradient(f, x = 3.0).str());
  CHECK(doctest::StringMaker<leibniz::gradient_report>::convert(check_gradient(f, x = 3.0)) ==
        out.str().c_str());
}

TEST_CASE("a derivative rule wrong by one part in a million fails, against finite differences") {
  constexpr auto f = leibniz::wrong_sin(x) * y;
  // An op the tape does not know by name is recorded under its own name (interned): on g++ 12
  // this did not compile until tape/names.hpp's table of names had its size deduced.
  const leibniz::gradient_report r = check_gradient(f, x = 0.5, y = 2.0);
  CHECK_FALSE(r);
  CHECK(r.failures() == 1);
  // The exact methods share the wrong rule, so they agree with one another ...
  CHECK(r["x"]["compiled gradient"].verdict == check_verdict::ok);
  CHECK(r["x"]["d(f, x) in double"].verdict == check_verdict::ok);
  CHECK(r["x"]["tape, op by op"].verdict == check_verdict::ok);
  CHECK(r["x"]["tape, static block"].verdict == check_verdict::ok);
  const leibniz::tape::var a{0.5, leibniz::requires_grad};
  CHECK(leibniz::wrong_sin(x)(x = a).grad_fn() == "wrong_sin");
  // ... the complex step does not apply to an op it does not know to be analytic ...
  CHECK(r["x"]["complex step"].verdict == check_verdict::skipped);
  // ... and finite differences, accurate to 1e-17 here, catch the error of 1e-6.
  const leibniz::check_method& fd = r["x"]["finite differences"];
  CHECK(fd.verdict == check_verdict::fail);
  CHECK(fd.rel_error == doctest::Approx(1e-6).epsilon(1e-3));
  CHECK(fd.tolerance < 1e-12);
  CHECK(r["y"].passed());
  CHECK(contains(r.str(), "FAILED (1 of the comparisons)"));
  CHECK(contains(r.str(), "FAIL"));

  // Its loosest bound alone (fd_rtol) would let it through: the sharp bound, from the
  // differences' own error estimate, is what catches it. Both are options.
  CHECK(check_gradient(f, {.fd_rtol = 2e-6, .fd_error_factor = 1e15}, x = 0.5, y = 2.0));
  CHECK_FALSE(check_gradient(f, {.fd_rtol = 2e-6}, x = 0.5, y = 2.0));
}

TEST_CASE("a wrong tape entry fails against finite differences (a callable on tape vars)") {
  // x^2 recorded with the partial 3x instead of 2x.
  const auto wrong_square = [](const leibniz::tape::var& v) {
    const std::vector<leibniz::tape::var> operands{v};
    const std::vector<double> partials{3 * v.value()};
    return leibniz::tape::record(v.value() * v.value(), operands, partials, "wrong_square");
  };
  const leibniz::gradient_report r = check_gradient(wrong_square, 1.5);
  CHECK_FALSE(r);
  CHECK(r["x"].reference == doctest::Approx(4.5));
  CHECK(r["x"]["finite differences"].value == doctest::Approx(3.0));
  CHECK(r["x"]["finite differences"].verdict == check_verdict::fail);
}

TEST_CASE("the callable form: numbers become tape vars, vectors tape arrays") {
  using leibniz::tape::var;
  const auto f = [](const var& a, const var& b) { return a * leibniz::exp(b) + a * a / b; };
  const leibniz::gradient_report r = check_gradient(f, 2.0, 0.5);
  CHECK(r);
  CHECK(r.point == "arg0 = 2, arg1 = 0.5");
  CHECK(r["arg0"].reference == doctest::Approx(std::exp(0.5) + 2 * 2.0 / 0.5));
  CHECK(r["arg1"].reference == doctest::Approx(2 * std::exp(0.5) - 4.0 / 0.25));
  CHECK(r.value.reference == doctest::Approx(2 * std::exp(0.5) + 8.0));

  const auto g = [](const leibniz::tape::array& v, const var& s) {
    return leibniz::tape::sum(v * v) * s;
  };
  const leibniz::gradient_report q = check_gradient(g, std::vector<double>{1.0, -2.0, 3.0}, 0.5);
  CHECK(q);
  REQUIRE(q.derivatives.size() == 4);
  CHECK(q["arg0[1]"].reference == doctest::Approx(-2.0));
  CHECK(q["arg1"].reference == doctest::Approx(14.0));

  // One argument alone is called x.
  CHECK(check_gradient([](const var& a) { return leibniz::sin(a) * a; }, 0.25)["x"].passed());
}

TEST_CASE("check_methods chooses the methods at compile time") {
  constexpr auto f = leibniz::sin(x) * y;
  const leibniz::gradient_report r =
      check_gradient<leibniz::check_methods{.symbolic = false, .complex_step = false}>(f, x = 1.0,
                                                                                       y = 2.0);
  CHECK(r);
  CHECK(r["x"].reference_name == "compiled gradient, long double");
  CHECK(r["x"].methods.size() == 4);
  CHECK_THROWS_AS((void)r["x"]["complex step"], std::out_of_range);
}

TEST_CASE("the complex step: skipped for ops that are not analytic, and across a branch cut") {
  const leibniz::gradient_report with_abs = check_gradient(leibniz::abs(x) * y, x = -2.0, y = 3.0);
  CHECK(with_abs);
  CHECK(with_abs["x"]["complex step"].verdict == check_verdict::skipped);
  CHECK(contains(with_abs["x"]["complex step"].note, "abs is not analytic"));
  CHECK(contains(with_abs.str(), "note: complex step skipped: f contains abs"));

  // cbrt(-8) is -2, the real root; the complex step would follow the principal branch.
  const leibniz::gradient_report root = check_gradient(leibniz::cbrt(x), x = -8.0);
  CHECK(root);
  CHECK(root["x"]["complex step"].verdict == check_verdict::skipped);
  CHECK(contains(root["x"]["complex step"].note, "branch cut"));
  CHECK(root["x"].reference == doctest::Approx(1.0 / 12));

  const leibniz::gradient_report positive = check_gradient(leibniz::cbrt(x), x = 8.0);
  CHECK(positive["x"]["complex step"].verdict == check_verdict::ok);
}

TEST_CASE("outside the domain: a value or derivative that is not finite fails, with a note") {
  const leibniz::gradient_report r = check_gradient(leibniz::log(x), x = -1.0);
  CHECK_FALSE(r);
  CHECK(std::isnan(static_cast<double>(r.value.reference)));
  CHECK(contains(r.str(), "f is not finite at this point"));
  // Every method agrees that it is NaN; the check fails because nothing can be checked.
  CHECK(r.value["tape, op by op"].verdict == check_verdict::ok);

  const leibniz::gradient_report at_zero = check_gradient(leibniz::sqrt(x), x = 0.0);
  CHECK_FALSE(at_zero);
  CHECK(std::isinf(static_cast<double>(at_zero["x"].reference)));
  CHECK(at_zero["x"]["tape, op by op"].value == std::numeric_limits<double>::infinity());
  CHECK(contains(at_zero.str(), "the derivative with respect to x is not finite"));
}

TEST_CASE("bindings: integers and floats are checked in double; unused variables give 0") {
  CHECK(check_gradient(x * x * x, x = 2));
  CHECK(check_gradient(x * y, x = 2.5f, y = 1.0));
  const leibniz::gradient_report r = check_gradient(x * y, x = 2.0, y = 3.0, z = 4.0);
  CHECK(r);
  CHECK(r["z"].reference == 0);
  CHECK(r["z"]["finite differences"].value == 0);
}

TEST_CASE("check_gradient records even inside no_grad, and leaves the tape as it found it") {
  const leibniz::no_grad guard;
  CHECK(check_gradient(leibniz::tanh(x * y), x = 0.5, y = -1.5));
  leibniz::tape::var a{2.0, leibniz::requires_grad};
  CHECK_FALSE(a.grad().has_value());
}

TEST_CASE("a reference that cancels: the tolerance follows the formula's own rounding error") {
  // d/dx (x^2 - 2x) at x = 1 + 1e-9: 2x - 2 = 2e-9, computed with a relative error of about
  // 1e-7 in double. The exact methods are held to that (16 times |double - long double|), not
  // to 1e-12 of a result that cancels.
  const leibniz::gradient_report r = check_gradient(x * x - 2_c * x, x = 1.0 + 1e-9);
  CHECK(r);
  CHECK(r["x"]["compiled gradient"].tolerance > 1e-12 * std::fabs(r["x"].reference));
}

}  // namespace

TEST_CASE("f that cancels: finite differences are held to the loose bound only") {
  // Seed 368 of the long corpus. f is about 2e-7, computed as log(sqrt(1 + u)): its rounding
  // is relative to the 1, not to f, and Richardson's error estimate (7e-21, from f's
  // magnitude) was far too small for the sharp bound; the difference, 2e-8 relative, is
  // well within fd_rtol.
  constexpr auto f = leibniz::log(
      leibniz::sqrt(leibniz::pow<2>(leibniz::log(leibniz::abs(x) + 0.25)) *
                        leibniz::pow<2>(leibniz::tan(leibniz::tanh(x) * leibniz::tanh(z) / 4_c)) +
                    1_c));
  const leibniz::gradient_report r =
      check_gradient(f, x = -0.75461250644641054, y = -0.75, z = 1.4828049661326825);
  CHECK(r);
  CHECK(contains(r["z"]["finite differences"].note, "ill-conditioned"));
  CHECK(r["z"]["finite differences"].rel_error < 1e-6);
  CHECK(r["z"]["finite differences"].tolerance >= 1e-6 * std::fabs(r["z"].reference));
  // A well-conditioned f keeps the sharp bound.
  const leibniz::gradient_report sharp = check_gradient(leibniz::sin(x) * y, x = 0.5, y = 2.0);
  CHECK(sharp["x"]["finite differences"].tolerance < 1e-12);
}
