// tests/oracle/corpus.hpp
// The random corpus: for each seed, its random expression checked at random points by
// check_gradient (compiled gradient, tape op by op, complex step and finite differences
// against the compiled gradient in long double). Points where f or its gradient is huge, or
// where a kink lies within the finite differences' steps, are replaced by the next point.
// With LEIBNIZ_ORACLE_DUMP=<file> in the environment, every checked point is also appended to
// <file> for the GiNaC oracle (tests/oracle/oracle.cpp): seed, expression, point, leibniz's
// value and gradient.
#pragma once

#include "random_expression.hpp"

#include <leibniz/check/check_gradient.hpp>
#include <leibniz/leibniz.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <utility>

namespace random_expressions {

/// What the corpus checks: everything but the symbolic derivatives (whose types cost the most
/// compile time; tests/runtime/check_gradient_*.cpp cover them) and the static block (tape::apply
/// is the compiled gradient again, covered by tests/runtime/check_static_on_tape.cpp).
inline constexpr leibniz::check_methods corpus_methods{.symbolic = false, .block = false};

/// Points tried per expression, and how many must pass.
struct corpus_counts {
  std::size_t expressions = 0;
  std::size_t points = 0;    // checked
  std::size_t rejected = 0;  // replaced by another point
  std::size_t failures = 0;  // reports that failed
  std::size_t unplaced = 0;  // expressions for which no point was acceptable
};

/// True when the report's point is fit for judging: f and its gradient moderate and finite,
/// and, for f with kinks (abs, min, max, sign, step), finite differences able to resolve the
/// derivative (no kink within their steps).
inline bool acceptable(const leibniz::gradient_report& r, bool has_kinks) {
  const auto moderate = [](long double v) { return std::isfinite(v) && std::fabs(v) <= 1e6L; };
  if (!moderate(r.value.reference)) return false;
  for (const leibniz::check_quantity& q : r.derivatives) {
    if (!moderate(q.reference)) return false;
    if (has_kinks)
      for (const leibniz::check_method& m : q.methods)
        if (m.name == "finite differences" && m.verdict == leibniz::check_verdict::fail)
          return false;
  }
  return true;
}

/// True when E contains an op with a kink or a jump: abs, min, max, sign, step.
template <class E>
struct has_kinks_impl : std::false_type {};
template <class Op, class... A>
struct has_kinks_impl<leibniz::node<Op, A...>>
    : std::bool_constant<
          std::is_same_v<Op, leibniz::abs_op> || std::is_same_v<Op, leibniz::min_op> ||
          std::is_same_v<Op, leibniz::max_op> || std::is_same_v<Op, leibniz::sign_op> ||
          std::is_same_v<Op, leibniz::step_op> || (has_kinks_impl<A>::value || ...)> {};
template <class E>
inline constexpr bool has_kinks = has_kinks_impl<E>::value;

/// One line per checked point: seed, expression, x y z, then f and each derivative as the
/// triple (double, tape, long double reference); numbers in hexadecimal, exact.
inline void dump(std::uint64_t seed, const std::string& expression, const std::array<double, 3>& p,
                 const leibniz::gradient_report& r) {
  const char* path = std::getenv("LEIBNIZ_ORACLE_DUMP");
  if (path == nullptr || *path == '\0') return;
  std::FILE* out = std::fopen(path, "a");
  if (out == nullptr) return;
  std::fprintf(out, "%llu\t%s\t%a %a %a\t%a %a %La", static_cast<unsigned long long>(seed),
               expression.c_str(), p[0], p[1], p[2], r.value["f in double"].value,
               r.value["tape, op by op"].value, r.value.reference);
  for (const leibniz::check_quantity& q : r.derivatives)
    std::fprintf(out, " %a %a %La", q["compiled gradient"].value, q["tape, op by op"].value,
                 q.reference);
  std::fprintf(out, "\n");
  std::fclose(out);
}

/// Checks the expression of one seed at up to `wanted` acceptable points among `tries`
/// candidates; calls report(seed, expression, failed report) for each failure.
template <std::uint64_t Seed, class OnFailure>
void check_seed(corpus_counts& counts, unsigned wanted, unsigned tries, OnFailure on_failure) {
  constexpr auto e = random_expression<Seed>();
  const std::string text = leibniz::to_string(e).str();
  ++counts.expressions;
  unsigned accepted = 0;
  for (unsigned k = 0; k < tries && accepted < wanted; ++k) {
    const std::array<double, 3> p = random_point(Seed, k);
    const leibniz::gradient_report r =
        leibniz::check_gradient<corpus_methods>(e, x = p[0], y = p[1], z = p[2]);
    if (!acceptable(r, has_kinks<decltype(e)>)) {
      ++counts.rejected;
      continue;
    }
    ++accepted;
    ++counts.points;
    dump(Seed, text, p, r);
    if (!r) {
      ++counts.failures;
      on_failure(Seed, text, r);
    }
  }
  if (accepted == 0) ++counts.unplaced;
}

/// Checks the seeds First, First + 1, ..., First + Count - 1.
template <std::uint64_t First, std::size_t Count, class OnFailure>
corpus_counts check_seeds(unsigned wanted, unsigned tries, OnFailure on_failure) {
  corpus_counts counts;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (check_seed<First + I>(counts, wanted, tries, on_failure), ...);
  }
  (std::make_index_sequence<Count>{});
  return counts;
}

}  // namespace random_expressions
