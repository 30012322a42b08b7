// tests/runtime/check_gradient_message.cpp
// CHECK(check_gradient(...)) that fails shows the report: a doctest run of a test case that
// must fail, with its output captured, must contain the whole table. Its own main (not the
// shared doctest main): it runs doctest on the failing case and checks what doctest printed.
#define DOCTEST_CONFIG_IMPLEMENT
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

namespace leibniz {

/// cos with a derivative rule wrong by one part in a million.
struct wrong_cos_op {
  static constexpr std::string_view name = "wrong_cos";
  static constexpr auto value(const auto& u) { return math::cos(u); }
  template <std::size_t I>
  static constexpr auto partial(const auto& /*result*/, const auto& u) {
    return -sin(u) * constant<1000001, 1000000>;
  }
};

template <class U>
constexpr auto wrong_cos(const U& u) {
  return call<wrong_cos_op>(u);
}

}  // namespace leibniz

namespace {

constexpr leibniz::variable<"x"> x;

auto wrong_report() { return leibniz::check_gradient(leibniz::wrong_cos(x), x = 0.5); }

}  // namespace

TEST_CASE("must fail: a wrong derivative rule under CHECK" * doctest::test_suite("must_fail")) {
  CHECK(wrong_report());
}

TEST_CASE("must pass: a right rule under CHECK" * doctest::test_suite("must_fail")) {
  CHECK(leibniz::check_gradient(leibniz::cos(x), x = 0.5));
}

int main() {
  std::ostringstream captured;
  doctest::Context context;
  context.setOption("test-suite", "must_fail");
  context.setOption("no-colors", true);
  context.setOption("no-path-filenames", true);
  context.setCout(&captured);
  const int status = context.run();
  const std::string out = captured.str();

  const std::string report = wrong_report().str();
  int failures = 0;
  const auto expect = [&](bool ok, std::string_view what) {
    if (!ok) {
      std::cerr << "FAILED: " << what << '\n';
      ++failures;
    }
  };
  expect(status != 0, "the doctest run fails");
  expect(out.find("test cases: 2 | 1 passed | 1 failed") != std::string::npos,
         "one test case of two fails");
  expect(out.find("CHECK( wrong_report() ) is NOT correct!") != std::string::npos,
         "doctest names the failed CHECK");
  // doctest prints the operand of a failed CHECK through operator<<: the report, whole.
  expect(report.find("check_gradient at x = 0.5: FAILED (1 of the comparisons)") == 0,
         "the report says it failed, and where");
  expect(report.find("finite differences") != std::string::npos &&
             report.find("FAIL  (Richardson") != std::string::npos,
         "the report's table names the failing method");
  expect(out.find("values: CHECK( " + report) != std::string::npos,
         "doctest's message holds the whole report");
  std::cout << "doctest's output for the failing case, as it would show it:\n" << out;
  if (failures != 0) std::cerr << failures << " expectations failed\n";
  return failures == 0 ? 0 : 1;
}
