// tests/runtime/check_random.cpp
// The random corpus, one slice of seeds per executable: meson compiles this file once per
// slice with LEIBNIZ_CORPUS_FIRST and LEIBNIZ_CORPUS_COUNT (and more slices and more points
// with -Dlong_tests=true). Each seed's random expression (tests/oracle/random_expression.hpp)
// is checked at LEIBNIZ_CORPUS_POINTS random points by check_gradient: the compiled gradient,
// the tape op by op and the complex step against the compiled gradient in long double to
// 1e-12, and finite differences to 1e-6 and within 1000 times their own error estimate.
// A failure names its seed and its expression, with the report.
#include "corpus.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#ifndef LEIBNIZ_CORPUS_FIRST
#define LEIBNIZ_CORPUS_FIRST 0
#endif
#ifndef LEIBNIZ_CORPUS_COUNT
#define LEIBNIZ_CORPUS_COUNT 24
#endif
#ifndef LEIBNIZ_CORPUS_POINTS
#define LEIBNIZ_CORPUS_POINTS 3
#endif

TEST_CASE("random expressions: static, tape, complex step and finite differences agree") {
  constexpr std::uint64_t first = LEIBNIZ_CORPUS_FIRST;
  constexpr std::size_t count = LEIBNIZ_CORPUS_COUNT;
  const random_expressions::corpus_counts counts = random_expressions::check_seeds<first, count>(
      LEIBNIZ_CORPUS_POINTS, 4 * LEIBNIZ_CORPUS_POINTS,
      [](std::uint64_t seed, const std::string& expression,
         const leibniz::gradient_report& report) {
        INFO("seed " << seed << ": " << expression);
        INFO("reproduce: random_expressions::random_expression<" << seed
                                                                 << ">() at the point below");
        CHECK(report);
      });
  MESSAGE("seeds " << first << " to " << first + count - 1 << ": " << counts.expressions
                   << " expressions, " << counts.points << " points checked, " << counts.rejected
                   << " points replaced (f or its gradient above 1e6, or a kink within the "
                      "finite differences' steps)");
  CHECK(counts.expressions == count);
  CHECK(counts.unplaced == 0);  // every expression was checked somewhere
  CHECK(counts.points >= count * LEIBNIZ_CORPUS_POINTS * 9 / 10);
}
