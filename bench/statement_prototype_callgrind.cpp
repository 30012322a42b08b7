#include <leibniz/leibniz.hpp>
#include <valgrind/callgrind.h>
#include "cases.hpp"
#include <cstdio>
#include <span>
#include <string>
#include <vector>
namespace tape = leibniz::tape;
using tape::var;
std::vector<double> inputs_of(const bench::rosenbrock::problem& p) { return p.x; }
std::vector<double> inputs_of(const bench::logsumexp::problem& p) { return p.x; }
std::vector<double> inputs_of(const bench::normal_lpdf::problem& p) { return {p.mu, p.sigma}; }
[[gnu::noinline]] var run_f(const bench::rosenbrock::problem&, std::span<const var> v) { return bench::rosenbrock::f<var>(v); }
[[gnu::noinline]] var run_f(const bench::logsumexp::problem&, std::span<const var> v) { return bench::logsumexp::f<var>(v); }
[[gnu::noinline]] var run_f(const bench::normal_lpdf::problem& p, std::span<const var> v) { return bench::normal_lpdf::f<var>(v[0], v[1], p.y); }
volatile double sink;
template <class Case>
void count() {
  const typename Case::problem p = Case::input(1000);
  std::vector<var> x;
  for (double v : inputs_of(p)) x.emplace_back(v, leibniz::requires_grad);
  auto once = [&](bool rec_only) {
    var y = run_f(p, x);
    sink = y.value();
    if (rec_only) return;
    y.backward();
    for (auto& xi : x) { sink = *xi.grad(); xi.zero_grad(); }
  };
  for (int i = 0; i < 3; ++i) once(false);
  CALLGRIND_START_INSTRUMENTATION;
  CALLGRIND_TOGGLE_COLLECT;
  for (int i = 0; i < 10; ++i) once(false);
  CALLGRIND_TOGGLE_COLLECT;
  CALLGRIND_DUMP_STATS_AT(Case::name);
}
int main() { count<bench::rosenbrock>(); count<bench::logsumexp>(); count<bench::normal_lpdf>(); }
