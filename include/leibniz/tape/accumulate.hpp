// leibniz/tape/accumulate.hpp
// Sums over the elements of an array op (sum, dot, the gradient of a broadcast scalar) with
// eight running totals: one total is a chain of dependent additions, four cycles each, which
// made these sums the slowest part of an array gradient; eight independent chains run in
// parallel (and in two vector registers). The order of the additions is fixed, so the result
// is the same on every run; for fewer than eight elements it is the plain left-to-right sum.
#pragma once

#include <cstddef>

namespace leibniz::tape::detail {

/// term(0) + term(1) + ... + term(n - 1), in eight interleaved partial sums. T: double, or a
/// small vector of totals with + and += (elementwise.hpp sums a value and partials together).
template <class T = double, class Term>
inline T accumulate(std::size_t n, const Term& term) {
  constexpr std::size_t lanes = 8;
  if (n < lanes) {
    T total{};
    for (std::size_t i = 0; i < n; ++i) total += term(i);
    return total;
  }
  T part[lanes] = {};
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes)
    for (std::size_t j = 0; j < lanes; ++j) part[j] += term(i + j);
  T total =
      ((part[0] + part[4]) + (part[1] + part[5])) + ((part[2] + part[6]) + (part[3] + part[7]));
  for (; i < n; ++i) total += term(i);
  return total;
}

}  // namespace leibniz::tape::detail
