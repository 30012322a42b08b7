// tests/runtime/tape_threads.cpp
// Each thread records on its own tape: gradients computed in several threads at once equal
// those of one thread, and a var recorded on one thread's tape is refused on another.
// Registered in thread_tests: scripts/check also runs it under ThreadSanitizer.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace tape = leibniz::tape;
using doctest::Contains;
using leibniz::requires_grad;
using tape::array;
using tape::var;

namespace {

/// Rosenbrock's gradient at a point that depends on `seed`, by a training-loop style
/// backward() into leaves.
std::vector<double> rosenbrock_gradient(int seed, std::size_t n) {
  std::vector<var> x;
  for (std::size_t i = 0; i < n; ++i)
    x.emplace_back(0.5 + 0.001 * static_cast<double>(i) + 0.01 * seed, requires_grad);
  var s = 0.0;
  for (std::size_t i = 0; i + 1 < n; ++i)
    s += 100.0 * pow(x[i + 1] - x[i] * x[i], 2) + pow(1.0 - x[i], 2);
  s.backward();
  std::vector<double> g;
  for (const var& xi : x) g.push_back(*xi.grad());
  return g;
}

/// A few steps of gradient descent on arrays, then the gradient by tape::gradient.
std::vector<double> array_work(int seed) {
  array w{{0.1 * seed, -0.2, 0.3}, requires_grad};
  const array target{1.0, 2.0, 3.0};
  for (int step = 0; step < 50; ++step) {
    sum(pow(w - target, 2) * sin(w)).backward();
    {
      leibniz::no_grad guard;
      w -= 0.01 * *w.grad();
    }
    w.zero_grad();
  }
  return tape::gradient([&](const array& v) { return dot(v, exp(v - target)); }, w.to_vector());
}

}  // namespace

TEST_CASE("gradients computed in several threads at once equal those of one thread") {
  constexpr int threads = 4;
  constexpr std::size_t n = 500;
  std::array<std::vector<double>, threads> expected;
  std::array<std::vector<double>, threads> expected_arrays;
  for (int i = 0; i < threads; ++i) {
    expected[i] = rosenbrock_gradient(i, n);
    expected_arrays[i] = array_work(i);
  }

  std::array<std::vector<double>, threads> got;
  std::array<std::vector<double>, threads> got_arrays;
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i)
    pool.emplace_back([&, i] {
      for (int repeat = 0; repeat < 20; ++repeat) {
        got[i] = rosenbrock_gradient(i, n);
        got_arrays[i] = array_work(i);
      }
    });
  for (std::thread& t : pool) t.join();

  for (int i = 0; i < threads; ++i) {
    CHECK(got[i] == expected[i]);  // bit for bit: the same computation
    CHECK(got_arrays[i] == expected_arrays[i]);
  }
}

TEST_CASE("a leaf may be read by several threads at once through tape::gradient") {
  const var shared{0.75, requires_grad};  // made here, read everywhere
  const auto f = [&](const var& x) { return sin(shared * x) * x; };
  const double expected = tape::gradient(f, 2.0);
  std::array<double, 4> got{};
  std::vector<std::thread> pool;
  for (double& g : got)
    pool.emplace_back([&] {
      for (int repeat = 0; repeat < 1000; ++repeat) g = tape::gradient(f, 2.0);
    });
  for (std::thread& t : pool) t.join();
  for (double g : got) CHECK(g == expected);
  CHECK_FALSE(shared.grad().has_value());
}

TEST_CASE("a var recorded on another thread's tape is refused, not undefined") {
  var x{2.0, requires_grad};
  const var y = x * x;  // on this thread's tape
  std::string message;
  std::thread other([&] {
    try {
      const var z = y * 3.0;
      (void)z;
    } catch (const tape::foreign_tape& e) {
      message = e.what();
    }
  });
  other.join();
  CHECK(message.find("recorded on another thread's tape") != std::string::npos);
  CHECK(message.find("y.detach()") != std::string::npos);

  std::string backward_message;
  std::thread again([&] {
    try {
      y.backward();
    } catch (const tape::foreign_tape& e) {
      backward_message = e.what();
    }
  });
  again.join();
  CHECK(backward_message.find("another thread's tape") != std::string::npos);
  y.backward();  // on its own thread it works
  CHECK(x.grad() == 4.0);
}

TEST_CASE("a result from another thread is usable as a constant: detach()") {
  var from_other;
  std::thread other([&] {
    var a{3.0, requires_grad};
    from_other = (a * a).detach();
  });
  other.join();
  var x{2.0, requires_grad};
  (from_other * x).backward();
  CHECK(x.grad() == 9.0);
}

TEST_CASE("a leaf made on one thread can be differentiated on another") {
  var x{2.0, requires_grad};
  std::thread other([&] {
    const var y = x * x * x;  // registered on the other thread's tape
    y.backward();
  });
  other.join();
  CHECK(x.grad() == 12.0);
  (x * x).backward();  // and still here
  CHECK(x.grad() == 16.0);
}

TEST_CASE("no_grad is per thread") {
  var x{2.0, requires_grad};
  leibniz::no_grad guard;
  bool recorded_there = false;
  std::thread other([&] { recorded_there = (x * x).requires_grad(); });
  other.join();
  CHECK(recorded_there);
  CHECK_FALSE((x * x).requires_grad());
}

TEST_CASE("a leaf whose last handle dies on another thread after recording is freed safely") {
  // Its home tape still lists it (the backward below reaches it); the cell is freed by this
  // thread at the reset, so that backward() must not keep it registered for the next step.
  for (int round = 0; round < 3; ++round) {
    var keep{3.0, requires_grad};
    var w{2.0, requires_grad};
    const var y = w * w * keep;
    std::thread([dying = std::move(w)] {}).join();  // the last handle to w dies there
    y.backward();
    CHECK(keep.grad() == 4.0);
    const var z = keep * keep;  // the next step: keep is registered, w's cell is gone
    z.backward();
    CHECK(keep.grad() == 4.0 + 6.0);
  }
}

TEST_CASE("a kept leaf whose last handle dies on another thread during the reset is not freed") {
  // backward() keeps w registered for the next step (its count is not 0 when it looks), and
  // right then, before the reset frees the orphans, w's last handle dies on another thread:
  // the cell must outlive its place on this tape.
  var keep{3.0, requires_grad};
  auto w = std::make_unique<var>(2.0, requires_grad);
  const var y = *w * *w * keep;
  static std::unique_ptr<var> dying;
  dying = std::move(w);
  tape::detail::after_keeping_leaves = [] { std::thread([] { dying.reset(); }).join(); };
  y.backward();
  tape::detail::after_keeping_leaves = nullptr;
  CHECK(keep.grad() == 4.0);
  const var z = keep * keep;  // the next step: its backward() goes over the kept leaves
  z.backward();
  CHECK(keep.grad() == 4.0 + 6.0);
  (keep * 2.0).backward();  // and a reset that finds w's cell without a handle
  CHECK(keep.grad() == 12.0);
}

TEST_CASE("a statement copied to another thread and destroyed there leaves both tapes resettable") {
  // A statement alive keeps its tape from being reset; its count belongs to the thread that
  // made it, wherever it dies. Both tapes are reset by their next backward() afterwards.
  tape::release_memory();
  var x{2.0, requires_grad};
  std::size_t other_size = 0;
  double other_grad = 0.0;
  {
    const auto s = x * x + 1.0;
    auto held = std::make_unique<decltype(s)>(s);  // a copy, counted here
    std::thread other([&] {
      held.reset();  // ... destroyed there
      var z{3.0, requires_grad};
      const var w = z * z * z;
      w.backward();
      other_grad = *z.grad();
      other_size = tape::current_size();  // reset by backward(): z kept registered, nothing else
    });
    other.join();
    CHECK(var(s).value() == 5.0);
  }
  CHECK(other_grad == 27.0);
  CHECK(other_size == 1);
  const var y = x * x * x;
  y.backward();
  CHECK(*x.grad() == 12.0);
  CHECK(tape::current_size() == 1);  // reset: x kept registered, nothing else
}

TEST_CASE("a statement copied on another thread and destroyed there changes no count") {
  tape::release_memory();
  var x{2.0, requires_grad};
  std::size_t other_size = 0;
  {
    const auto s = x * x;
    std::thread other([&] {
      { const auto copy = s; }  // made and destroyed there; its tape is this thread's
      var z{3.0, requires_grad};
      const var w = z * z;
      w.backward();
      other_size = tape::current_size();
    });
    other.join();
    CHECK(var(s).value() == 4.0);
  }
  CHECK(other_size == 1);
  const var y = x * x * x;
  y.backward();
  CHECK(tape::current_size() == 1);
}
