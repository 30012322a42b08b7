// tests/runtime/tape_memory.cpp
// The tape's memory: reused from one recording to the next, flat over a million steps of
// gradient descent, bounded when results are dropped without backward(), and measured.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <span>
#include <thread>
#include <utility>
#include <vector>

namespace tape = leibniz::tape;
using leibniz::requires_grad;
using tape::var;

TEST_CASE("a million steps of gradient descent run in flat memory") {
  var x{5.0, requires_grad};
  var w{-3.0, requires_grad};
  const double lr = 1e-3;
  std::size_t bytes_after_warm_up = 0;
  std::size_t largest_tape = 0;
  for (int step = 0; step < 1'000'000; ++step) {
    var loss = pow(x - 3.0, 2) + pow(w * x - 1.0, 2);
    largest_tape = std::max(largest_tape, tape::current_size());
    loss.backward();
    {
      leibniz::no_grad guard;
      x -= lr * *x.grad();
      w -= lr * *w.grad();
    }
    x.zero_grad();
    w.zero_grad();
    if (step == 10) bytes_after_warm_up = tape::capacity_bytes();
  }
  CHECK(tape::capacity_bytes() == bytes_after_warm_up);  // not one byte more
  CHECK(largest_tape <= 8);                              // one step's entries, reused
  CHECK(x.value() == doctest::Approx(3.0).epsilon(1e-6));
  CHECK(w.value() * x.value() == doctest::Approx(1.0).epsilon(1e-6));
}

TEST_CASE("the loss kept outside the loop does not keep old graphs alive") {
  var x{0.0, requires_grad};
  var loss;
  std::size_t bytes = 0;
  for (int step = 0; step < 100'000; ++step) {
    loss = pow(x - 3.0, 2);
    loss.backward();
    {
      leibniz::no_grad guard;
      x -= 0.1 * *x.grad();
    }
    x.zero_grad();
    if (step == 10) bytes = tape::capacity_bytes();
  }
  CHECK(tape::capacity_bytes() == bytes);
  CHECK(x.value() == doctest::Approx(3.0));
}

TEST_CASE("results dropped without backward (an evaluation loop outside no_grad) are reclaimed") {
  var x{1.5, requires_grad};
  double total = 0.0;
  std::size_t bytes = 0;
  for (int step = 0; step < 200'000; ++step) {
    var y = sin(x) * cos(x) + x * x;  // never differentiated
    total += y.value();
    if (step == 1000) bytes = tape::capacity_bytes();
  }
  // The tape fills up once, then is reset each time it is full: nothing refers to it.
  CHECK(tape::capacity_bytes() == bytes);
  CHECK(total > 0.0);
}

TEST_CASE("an evaluation loop whose body keeps a running var is reclaimed too") {
  // The tape is found full while `s` is alive (at every op of the body), so it cannot be reset
  // then; it is reset once the step's results are gone, not grown step after step.
  std::vector<var> x;
  for (int i = 0; i < 100; ++i) x.emplace_back(std::sin(i), requires_grad);
  double total = 0.0;
  std::size_t bytes = 0;
  for (int step = 0; step < 20'000; ++step) {
    var s = 0.0;
    for (const var& xi : x) s += exp(xi);
    const var y = log(s);  // never differentiated
    total += y.value();
    if (step == 2'000) bytes = tape::capacity_bytes();
  }
  CHECK(tape::capacity_bytes() == bytes);
  CHECK(tape::current_size() < 2'000'000);
  CHECK(total > 0.0);
  // And a gradient afterwards is right (the sweep does not walk what was dropped).
  var s = 0.0;
  for (const var& xi : x) s += exp(xi);
  log(s).backward();
  double sum = 0.0;
  for (const var& xi : x) sum += std::exp(xi.value());
  CHECK(*x[7].grad() == doctest::Approx(std::exp(std::sin(7)) / sum));
}

TEST_CASE("an evaluation loop whose last result to go is an array is reclaimed") {
  tape::array x({0.5, 1.0, 1.5, 2.0}, requires_grad);
  std::size_t bytes = 0;
  double total = 0.0;
  for (int step = 0; step < 200'000; ++step) {
    const tape::array e = exp(x);  // alive when the tape is found full (at e * e), dies last
    const var y = sum(e * e);
    total += y.value();
    if (step == 20'000) bytes = tape::capacity_bytes();
  }
  CHECK(tape::capacity_bytes() == bytes);
  CHECK(total > 0.0);
}

TEST_CASE("a result kept alive keeps the tape from being reset, and stays differentiable") {
  var x{2.0, requires_grad};
  const var kept = x * x * x;
  for (int step = 0; step < 100'000; ++step) {
    var y = exp(x);  // dropped at once: reclaimed only when the tape is reset
    (void)y;
  }
  kept.backward();
  CHECK(x.grad() == 12.0);
}

TEST_CASE("tape::gradient in a loop takes no tape memory for good") {
  std::size_t bytes = 0;
  double g = 0.0;
  // Whatever earlier tests left, unless nothing refers to it (then it may be reset any time).
  tape::release_memory();
  const std::size_t before = tape::current_size();
  for (int step = 0; step < 100'000; ++step) {
    g += tape::gradient([](const var& v) { return v * sin(v); }, 1.0);
    if (step == 10) bytes = tape::capacity_bytes();
    CHECK(tape::current_size() == before);  // its entries are popped again
  }
  CHECK(tape::capacity_bytes() == bytes);
  CHECK(g / 100'000 == doctest::Approx(std::sin(1.0) + std::cos(1.0)));
}

// While a reset waits (the tape was found full with results alive), each var's death asks
// whether anything still refers to the tape. That search starts at the dying var's slot, so a
// vector of results going out of scope costs a few slots per element, not a scan of the tape
// per element (which made it quadratic: 150 ms for tape::gradient of rosenbrock at n = 10^5).
TEST_CASE("results dying one after another while a reset waits each find the next at once") {
  namespace detail = leibniz::tape::detail;
  constexpr std::size_t n = 20'000;
  const var x{1.5, requires_grad};
  for (const bool in_order : {true, false}) {
    CAPTURE(in_order);
    REQUIRE(tape::release_memory());
    std::vector<var> ys;
    for (std::size_t i = 0; i < n; ++i) ys.push_back(x * x + static_cast<double>(i) * x);
    REQUIRE(detail::the_tape.reset_wanted);  // found full while ys held the tape
    const std::size_t before = detail::the_tape.slots_scanned;
    if (in_order) {
      ys.clear();  // first element first
    } else {
      while (!ys.empty()) ys.pop_back();
    }
    CHECK(detail::the_tape.slots_scanned - before < 200 * n);
    CHECK_FALSE(detail::the_tape.reset_wanted);  // the last death found nothing alive
  }
}

namespace {
// The benchmark suite's rosenbrock, op by op. b = 1 - x[i] is a fold: a handle to x[i]'s slot.
var rosenbrock(std::span<const var> x) {
  var s = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const var a = x[i + 1] - x[i] * x[i];
    const var b = 1.0 - x[i];
    s += 100.0 * a * a + b * b;
  }
  return s;
}
}  // namespace

TEST_CASE("a training step over many leaves finds its running sum at once as temporaries die") {
  // b's handle is to a leaf's slot, at the bottom of the tape: when it dies while a reset
  // waits, the handle still alive is the running sum at the top.
  namespace detail = leibniz::tape::detail;
  constexpr std::size_t n = 20'000;
  std::vector<var> x;
  for (std::size_t i = 0; i < n; ++i) x.emplace_back(0.5, requires_grad);
  REQUIRE(tape::release_memory());
  for (int step = 0; step < 3; ++step) {
    CAPTURE(step);
    const std::size_t before = detail::the_tape.slots_scanned;
    rosenbrock(x).backward();
    CHECK(detail::the_tape.slots_scanned - before < 200 * n);
    CHECK(*x[0].grad() == doctest::Approx(-400.0 * 0.5 * 0.25 - 2.0 * 0.5));
    CHECK(*x[n - 1].grad() == doctest::Approx(200.0 * 0.25));
    for (var& xi : x) xi.zero_grad();
  }
}

TEST_CASE("tape::gradient of a vector of many inputs looks for no reset as its inputs die") {
  namespace detail = leibniz::tape::detail;
  constexpr std::size_t n = 20'000;
  const std::vector<var> x(n, var{0.5});
  REQUIRE(tape::release_memory());
  for (int call = 0; call < 3; ++call) {
    CAPTURE(call);
    const std::size_t before = detail::the_tape.slots_scanned;
    const std::vector<double> g =
        tape::gradient([](const std::vector<var>& v) { return rosenbrock(v); }, x);
    CHECK(detail::the_tape.slots_scanned - before < 200 * n);
    CHECK(g[0] == doctest::Approx(-400.0 * 0.5 * 0.25 - 2.0 * 0.5));
    CHECK(g[n - 1] == doctest::Approx(200.0 * 0.25));
  }
}

TEST_CASE("a recorded scalar binary op costs at most 40 bytes, everything counted") {
  tape::release_memory();
  var a{1.0, requires_grad};
  var b{1.0, requires_grad};
  constexpr std::size_t n = 1'000'000;
  var s = a * b;
  for (std::size_t i = 1; i < n; ++i) s = s * b;
  s.backward({.retain_graph = true});  // allocates the adjoints too
  const tape::tape_statistics stats = tape::statistics();
  CHECK(stats.slots == n + 2);  // n products and two leaves
  CHECK(stats.records == 2 * n);
  const double bytes_per_op = static_cast<double>(stats.bytes_reserved) / n;
  MESSAGE("bytes reserved per recorded binary op: " << bytes_per_op);
  // 40 bytes each by layout; capacities grow by doubling, so reserved bytes can reach twice
  // the used ones: compare what the layout uses.
  const double used =
      4.0 * stats.slots + 4.0 * stats.slots + 12.0 * stats.records + 8.0 * stats.slots;
  CHECK(used / n <= 40.0 + 1e-3);
  CHECK(bytes_per_op <= 2 * 40.0 + 1.0);
}

TEST_CASE("reserve makes room once; release_memory gives it back when nothing is alive") {
  CHECK(tape::release_memory());  // nothing from earlier tests is alive
  tape::reserve(100'000, 200'000);
  CHECK(tape::capacity_bytes() >= 100'000 * (4 + 4 + 8) + 200'000 * 12);
  {
    var x{1.0, requires_grad};
    var y = x * x;  // the leaf table is allocated with the first leaf
    const std::size_t reserved = tape::capacity_bytes();
    for (int i = 0; i < 50'000; ++i) y = y * x;
    CHECK(tape::capacity_bytes() == reserved);  // no reallocation
    CHECK_FALSE(tape::release_memory());        // y refers to the tape
  }
  CHECK(tape::release_memory());
  CHECK(tape::capacity_bytes() == 0);
}

TEST_CASE("statistics count slots, records, leaves and handles") {
  tape::release_memory();
  var x{1.0, requires_grad};
  var y{2.0, requires_grad};
  var m = x * y;
  var z = m + x;
  m = var();  // only z refers to the tape now
  const tape::tape_statistics s = tape::statistics();
  CHECK(s.leaves == 2);
  CHECK(s.slots == 4);  // two leaves, mul, add
  CHECK(s.records == 4);
  CHECK(s.live_handles == 1);
  z.backward();
  // Reset: every live handle was reached. The leaves stay registered for the next recording.
  CHECK(tape::statistics().slots == 2);
  CHECK(tape::statistics().leaves == 2);
  CHECK(tape::statistics().records == 0);
  CHECK(tape::statistics().live_handles == 0);
}

TEST_CASE("backward keeps the leaves it reached registered: the next step finds them there") {
  tape::release_memory();
  var w{2.0, requires_grad};
  var b{1.0, requires_grad};
  var c{5.0, requires_grad};
  (w * w + b + 0.0 * c).backward();  // c is reached, through a zero partial
  CHECK(*w.grad() == 4.0);
  CHECK(*b.grad() == 1.0);
  CHECK(*c.grad() == 0.0);
  // w and b (gradients other than 0) stay registered at slots 0 and 1; c does not.
  CHECK(tape::statistics().leaves == 2);
  CHECK(tape::statistics().slots == 2);

  // The next step uses w only: no leaf is registered anew, c is registered at its first use.
  w.zero_grad();
  b.zero_grad();
  var y = w * w * w;  // one statement: one entry
  CHECK(tape::statistics().leaves == 2);
  CHECK(tape::statistics().slots == 2 + 1);
  y.backward();
  CHECK(*w.grad() == 12.0);
  CHECK(*b.grad() == 0.0);  // kept but not used: its gradient stays as it was
  CHECK(*c.grad() == 0.0);
  CHECK(tape::statistics().leaves == 1);  // only w was reached

  // A kept leaf whose gradient was cleared (torch: x.grad = None) and that this step does not
  // use keeps no gradient; one used again after a reset accumulates as before.
  (w * b).backward();
  CHECK(tape::statistics().leaves == 2);
  b.clear_grad();
  w.zero_grad();
  (w * 3.0 * w).backward();
  CHECK(*w.grad() == 12.0);
  CHECK_FALSE(b.grad().has_value());
  (b * w).backward();
  CHECK(*b.grad() == 2.0);
  CHECK(*w.grad() == 12.0 + 1.0);
  CHECK(tape::statistics().leaves == 2);  // kept where they were: w at slot 0, b at 1
  CHECK(tape::statistics().slots == 2);

  // A kept leaf that dies is forgotten by the tape; the next backward does not touch it.
  {
    var gone{4.0, requires_grad};
    (gone * w).backward();
    CHECK(tape::statistics().leaves == 2);
  }
  (w * w).backward();
  CHECK(*w.grad() == 13.0 + 4.0 + 4.0);
}

TEST_CASE("a fold of a kept leaf alive at the reset does not keep later graphs alive") {
  tape::release_memory();
  var w{2.0, requires_grad};
  (w * w).backward();  // w kept at slot 0
  for (int step = 0; step < 3; ++step) {
    var shifted = 1.0 - w;  // a handle to w's slot (a fold): counted there
    (shifted * w).backward();
    CHECK(tape::statistics().slots == 1);  // reset all the same: shifted was reached
    CHECK(tape::statistics().live_handles == 0);
  }
  CHECK(*w.grad() == 4.0 + 3 * (1.0 - 2.0 * 2.0));
}

TEST_CASE("a sum with a temporary takes no entry of its own: the temporary's entry absorbs it") {
  tape::release_memory();
  var x{2.0, requires_grad};
  var y{3.0, requires_grad};
  var z = x * y + x;  // the product is a temporary: one entry, d z / d (x, y, x) = (3, 2, 1)
  const tape::tape_statistics s = tape::statistics();
  CHECK(s.slots == 3);    // two leaves, one entry
  CHECK(s.records == 3);  // its three operands
  CHECK(s.live_handles == 1);
  CHECK(z.grad_fn() == "add");
  z.backward();
  CHECK(*x.grad() == 4.0);
  CHECK(*y.grad() == 2.0);
  CHECK(tape::statistics().slots == 2);  // reset, but for the two leaves kept registered
  CHECK(tape::statistics().records == 0);
}

TEST_CASE("s += term in a loop: one entry per term, the same gradient as named steps") {
  tape::release_memory();
  std::vector<var> x;
  for (int i = 0; i < 5; ++i) x.emplace_back(0.5 + 0.25 * i, requires_grad);
  var s = 0.0;
  for (const var& xi : x) s += exp(xi) - xi * xi;  // one statement: one entry per term
  CHECK(tape::statistics().slots == 5 + 5);        // leaves, and an entry for each term
  s.backward();
  for (const var& xi : x)
    CHECK(*xi.grad() == doctest::Approx(std::exp(xi.value()) - 2 * xi.value()));
}

TEST_CASE("an entry absorbs a leaf first used after it: the sweep starts above that leaf") {
  tape::release_memory();
  var x{2.0, requires_grad};
  var w{5.0, requires_grad};
  var y = x * x - w;  // w is registered after x * x's entry, which absorbs the sub
  CHECK(tape::statistics().slots == 3);
  y.backward();
  CHECK(*x.grad() == 4.0);
  CHECK(*w.grad() == -1.0);
  var u = 3.0 * (x * x) + w;  // a fold of a temporary passes its handle on: absorbed as well
  CHECK(tape::statistics().records == 2);
  u.backward();
  CHECK(*x.grad() == 4.0 + 12.0);
  CHECK(*w.grad() == 0.0);
}

TEST_CASE("named results, copies and checkpoints are never absorbed") {
  var x{2.0, requires_grad};
  var p = x * x;
  var q = p + x;  // p is named: q is an entry of its own, p stays differentiable
  q.backward({.retain_graph = true});
  CHECK(*x.grad() == 5.0);
  x.zero_grad();
  p.backward();
  CHECK(*x.grad() == 4.0);
  x.zero_grad();
  var kept = x * x;
  const double g = tape::gradient([&](const var& v) { return std::move(kept) + v; }, 1.0);
  CHECK(g == 1.0);  // kept's entry, recorded before the call, is not changed by it
  kept.backward();
  CHECK(*x.grad() == 4.0);
}

// The scans for live handles look at blocks of 64 slots at once and only inside a block with a
// handle slot by slot: a handle anywhere (first slot, a block's edges, the tail) must count.
TEST_CASE("backward resets the tape only when every live handle was reached, wherever it sits") {
  for (const int at : {0, 1, 62, 63, 64, 65, 127, 128, 190, 255, 299}) {
    tape::release_memory();
    var x{0.5, requires_grad};
    var kept;
    var y = 0.0;
    for (int i = 0; i < 300; ++i) {
      if (i == at)
        kept = sin(x);  // an entry y does not reach: its adjoint stays 0
      else
        y += x * x;
    }
    y.backward();
    CHECK(tape::current_size() > 0);  // kept's graph is alive: no reset
    x.zero_grad();
    kept.backward();  // and still differentiable
    CHECK(*x.grad() == doctest::Approx(std::cos(0.5)));
  }
}

TEST_CASE("tape::gradient pops its entries only when no var refers to one, wherever it sits") {
  for (const int at : {-1, 0, 1, 63, 64, 65, 128, 149}) {
    tape::release_memory();
    var outside{1.0, requires_grad};
    var base = outside * outside;  // recorded before the call: below its checkpoint
    const std::size_t before = tape::current_size();
    var kept;
    const double g = tape::gradient(
        [&](const var& v) {
          var s = v;
          for (int i = 0; i < 150; ++i) {
            s = sin(s);
            if (i == at) kept = s;
          }
          return s;
        },
        0.5);
    double want = 1.0;
    double s = 0.5;
    for (int i = 0; i < 150; ++i) {
      want *= std::cos(s);
      s = std::sin(s);
    }
    CHECK(g == doctest::Approx(want));
    if (at < 0)
      CHECK(tape::current_size() == before);  // popped
    else
      CHECK(tape::current_size() > before);  // kept refers to one of its entries
    base.backward();
    CHECK(*outside.grad() == 2.0);
  }
}

TEST_CASE("leaves first used as the tape fills up and grows: every gradient right") {
  tape::release_memory();
  std::vector<var> x;
  for (int i = 0; i < 100'000; ++i) x.emplace_back(0.001 * i, requires_grad);
  var s = 0.0;
  for (const var& xi : x) s += xi * xi - 3.0 * xi;  // a leaf registered before each entry
  s.backward();
  for (const var& xi : x) CHECK(*xi.grad() == doctest::Approx(2.0 * xi.value() - 3.0));
}

// A var's handle is its stamp: a var moved from (or taken over by a fold or an absorbed sum)
// must hold none, or its destructor would drop the count of the var that took it.
TEST_CASE("a var moved from holds no handle: the one it moved to keeps its entry alive") {
  tape::release_memory();
  var x{2.0, requires_grad};
  var q;
  {
    var p = x * x * x;
    q = std::move(p);
    var r = std::move(q);
    q = std::move(r);
  }  // p and r die moved from
  CHECK(tape::statistics().live_handles == 1);
  var y = exp(x);  // q's entry is live and y does not reach it: no reset
  y.backward();
  x.zero_grad();
  q.backward();
  CHECK(*x.grad() == 12.0);
}

TEST_CASE("vars copied and moved on a thread that has never recorded touch no tape") {
  double total = 0.0;
  std::thread worker([&] {
    var a{1.5};
    var b = a;
    var c = std::move(b);
    b = c;
    c = std::move(a);
    total = (b + c * 2.0).value();
  });
  worker.join();
  CHECK(total == 4.5);
}
