// tests/runtime/tape_semantics.cpp
// PyTorch's autograd semantics in tape mode, and every error path with its message.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace tape = leibniz::tape;
using doctest::Contains;
using leibniz::requires_grad;
using tape::var;

TEST_CASE("every tape error is a leibniz::error, which is a std::logic_error") {
  static_assert(std::is_base_of_v<std::logic_error, leibniz::error>);
  static_assert(std::is_base_of_v<leibniz::error, tape::graph_released>);
  static_assert(std::is_base_of_v<leibniz::error, tape::no_grad_required>);
  static_assert(std::is_base_of_v<leibniz::error, tape::inplace_on_leaf>);
  static_assert(std::is_base_of_v<leibniz::error, tape::foreign_tape>);
  static_assert(std::is_base_of_v<leibniz::error, tape::shape_mismatch>);
  static_assert(std::is_base_of_v<leibniz::error, tape::invalid_argument>);
  CHECK(std::string(leibniz::error("x").what()) == "leibniz: x");
}

TEST_CASE("a second backward through a released graph says to pass retain_graph = true") {
  var x{2.0, requires_grad};
  var y = x * x;
  y.backward();
  CHECK(x.grad() == 4.0);
  CHECK_THROWS_WITH_AS(y.backward(), Contains("backward through the graph a second time"),
                       tape::graph_released);
  CHECK_THROWS_WITH_AS(y.backward(), Contains("{.retain_graph = true}"), tape::graph_released);
  CHECK(x.grad() == 4.0);  // the failed backward changed nothing
}

TEST_CASE("retain_graph keeps the graph for as many backward calls as wanted") {
  var x{3.0, requires_grad};
  var y = x * x;
  for (int i = 1; i <= 3; ++i) {
    y.backward({.retain_graph = true});
    CHECK(x.grad() == 6.0 * i);
  }
  y.backward();
  CHECK(x.grad() == 24.0);
  CHECK_THROWS_AS(y.backward(), tape::graph_released);
}

TEST_CASE("backward through an intermediate released by another output throws, as in PyTorch") {
  var x{2.0, requires_grad};
  var a = x * x;
  var y1 = sin(a);
  var y2 = exp(a);
  y1.backward();  // releases a's entry too
  CHECK_THROWS_AS(y2.backward(), tape::graph_released);
}

TEST_CASE("separate graphs can each be differentiated once without retain_graph") {
  var x{2.0, requires_grad};
  var z{3.0, requires_grad};
  var y1 = x * x;
  var y2 = z * z * z;
  y1.backward();
  y2.backward();
  CHECK(x.grad() == 4.0);
  CHECK(z.grad() == 27.0);
}

TEST_CASE("backward on a value that does not require grad throws, saying so") {
  var c{2.0};
  CHECK_THROWS_WITH_AS(c.backward(), Contains("does not require grad"), tape::no_grad_required);
  var x{2.0, requires_grad};
  var y;
  {
    leibniz::no_grad guard;
    y = x * x;
  }
  CHECK_THROWS_WITH_AS(y.backward(), Contains("leibniz::requires_grad"), tape::no_grad_required);
  CHECK_THROWS_AS((c * 3.0).backward(), tape::no_grad_required);
}

TEST_CASE("backward on a leaf gives it gradient 1") {
  var x{5.0, requires_grad};
  x.backward();
  CHECK(x.grad() == 1.0);
  x.backward(2.5);
  CHECK(x.grad() == 3.5);
}

TEST_CASE("backward(gradient) scales the whole gradient: a vector-Jacobian product") {
  var x{3.0, requires_grad};
  var y = x * x;
  y.backward(0.5);
  CHECK(x.grad() == 3.0);
}

TEST_CASE("in-place update of a leaf: refused outside no_grad, done inside") {
  var x{1.0, requires_grad};
  CHECK_THROWS_WITH_AS(x -= 0.5,
                       Contains("a leaf var that requires grad is being used in an "
                                "in-place operation"),
                       tape::inplace_on_leaf);
  CHECK_THROWS_WITH_AS(x += 1.0, Contains("leibniz::no_grad guard"), tape::inplace_on_leaf);
  CHECK(x.value() == 1.0);
  {
    leibniz::no_grad guard;
    x -= 0.25;
    x *= 4.0;
    x /= 2.0;
    x += 1.0;
  }
  CHECK(x.value() == 2.5);
  CHECK(x.is_leaf());
  CHECK(x.requires_grad());
}

TEST_CASE("compound assignment on a result records like x = x op y") {
  var x{2.0, requires_grad};
  var s = 0.0;
  for (int i = 0; i < 3; ++i) s += x * x;
  CHECK(s.value() == 12.0);
  CHECK(s.grad_fn() == "add");
  s *= x;
  s.backward();
  CHECK(x.grad() == 3 * 3 * 4.0);  // d(3 x^3)/dx = 9 x^2
}

TEST_CASE("results of ops on inputs that require grad require grad, and are not leaves") {
  var x{2.0, requires_grad};
  var c{3.0};
  CHECK((x * c).requires_grad());
  CHECK_FALSE((x * c).is_leaf());
  CHECK_FALSE((c * c).requires_grad());
  CHECK((c * c).is_leaf());  // a constant is a leaf, as in PyTorch
  CHECK_FALSE((c * c).grad_fn().has_value());
}

TEST_CASE("grad_fn names the op of the op table that made the var") {
  var x{0.5, requires_grad};
  var y{2.0, requires_grad};
  CHECK(x.grad_fn() == std::nullopt);
  CHECK((x + y).grad_fn() == "add");
  CHECK((x - y).grad_fn() == "sub");
  CHECK((x * y).grad_fn() == "mul");
  CHECK((x / y).grad_fn() == "div");
  CHECK((-x).grad_fn() == "neg");
  CHECK((x + 1).grad_fn() == "add");  // folded: still reported as the op that made it
  CHECK((2 * x).grad_fn() == "mul");
  CHECK(pow(x, 2).grad_fn() == "pow");
  CHECK(pow(x, y).grad_fn() == "pow");
  CHECK(sqrt(x).grad_fn() == "sqrt");
  CHECK(exp(x).grad_fn() == "exp");
  CHECK(log(x).grad_fn() == "log");
  CHECK(sin(x).grad_fn() == "sin");
  CHECK(tanh(x).grad_fn() == "tanh");
  CHECK(sigmoid(x).grad_fn() == "sigmoid");
  CHECK(abs(x).grad_fn() == "abs");
  CHECK(min(x, y).grad_fn() == "min");
  CHECK(max(x, y).grad_fn() == "max");
}

TEST_CASE("detach gives the value as a constant, cut from the graph") {
  var x{2.0, requires_grad};
  var y = x * x;
  var d = y.detach();
  CHECK(d.value() == 4.0);
  CHECK_FALSE(d.requires_grad());
  CHECK_FALSE(d.grad_fn().has_value());
  var z = y * d;  // d is a constant: dz/dx = d * 2x
  z.backward();
  CHECK(x.grad() == 16.0);
}

TEST_CASE("comparisons are on values, so code can branch") {
  var x{2.0, requires_grad};
  var y{3.0};
  CHECK(x < y);
  CHECK(x <= 2.0);
  CHECK(2.0 == x);
  CHECK(x != y);
  CHECK(3 > x);
  CHECK(y >= x);
  var r = x < 2.5 ? x * x : x;  // a branch: the graph follows the value taken
  r.backward();
  CHECK(x.grad() == 4.0);
}

TEST_CASE("no gradient is not a zero gradient: leaves the output does not reach stay nullopt") {
  var x{2.0, requires_grad};
  var z{3.0, requires_grad};
  var unused = z * z;  // z is on the tape, but not in y's graph
  var y = x * x;
  y.backward();
  CHECK(x.grad() == 4.0);
  CHECK_FALSE(z.grad().has_value());
}

TEST_CASE("a zero partial still reaches the leaf: the gradient is 0, not nullopt") {
  var x{-1.0, requires_grad};
  var relu = max(x, 0.0);
  relu.backward();
  REQUIRE(x.grad().has_value());
  CHECK(x.grad() == 0.0);

  var w{5.0, requires_grad};
  var zero = 0.0 * w;  // folded with scale 0
  zero.backward();
  CHECK(w.grad() == 0.0);

  var u{5.0, requires_grad};
  var cancel = u - u;
  cancel.backward();
  CHECK(u.grad() == 0.0);
}

TEST_CASE("abs and min/max at the kink follow PyTorch: abs'(0) = 0, ties split evenly") {
  var x{0.0, requires_grad};
  abs(x).backward();
  CHECK(x.grad() == 0.0);
  var a{1.0, requires_grad};
  var b{1.0, requires_grad};
  min(a, b).backward();
  CHECK(a.grad() == 0.5);
  CHECK(b.grad() == 0.5);
}

TEST_CASE("zero_grad sets an existing gradient to 0, clear_grad forgets it") {
  var x{2.0, requires_grad};
  x.zero_grad();
  CHECK_FALSE(x.grad().has_value());  // nothing to zero yet
  (x * x).backward();
  x.zero_grad();
  CHECK(x.grad() == 0.0);
  x.clear_grad();
  CHECK_FALSE(x.grad().has_value());
}

TEST_CASE("copies of a leaf are the same leaf: one value, one gradient") {
  var x{2.0, requires_grad};
  var alias = x;
  (alias * alias).backward();
  CHECK(x.grad() == 4.0);
  {
    leibniz::no_grad guard;
    x -= 1.0;
  }
  CHECK(alias.value() == 1.0);
}

TEST_CASE("a leaf's gradient survives the tape being reset, and the leaf outlives nothing") {
  var x{2.0, requires_grad};
  (x * x).backward();                // resets the tape: everything on it was reached
  CHECK(tape::current_size() == 1);  // but for x, kept registered for the next recording
  CHECK(x.grad() == 4.0);

  var y;
  {
    var short_lived{3.0, requires_grad};
    y = short_lived * x;
  }  // the leaf is gone; its gradient has no reader, and the tape forgets it safely
  y.backward();
  CHECK(x.grad() == 7.0);
}

TEST_CASE("a result whose graph was released and reclaimed cannot take part in new recording") {
  var x{2.0, requires_grad};
  var y = x * x;
  y.backward();
  CHECK(y.value() == 4.0);      // its value stays
  CHECK(y.grad_fn() == "mul");  // and what made it
  CHECK_THROWS_WITH_AS(y * 2.0, Contains("y.detach()"), tape::graph_released);
  var z = y.detach() * x;  // as a constant it can
  z.backward();
  CHECK(x.grad() == 8.0);
}

TEST_CASE("no_grad nests, and enable_grad turns recording back on inside it") {
  var x{2.0, requires_grad};
  {
    leibniz::no_grad outer;
    {
      leibniz::no_grad inner;
      CHECK_FALSE((x * x).requires_grad());
    }
    CHECK_FALSE(leibniz::is_grad_enabled());
    {
      leibniz::enable_grad again;
      CHECK((x * x).requires_grad());
    }
    CHECK_FALSE((x * x).requires_grad());
  }
  CHECK(leibniz::is_grad_enabled());
}

// One comparison per op says both "room on the tape" and "grad mode on": no_grad keeps the
// ops' limit at 0. Every way the limit changes under a guard must leave that intact.
TEST_CASE("no_grad stops recording and the end of the guard resumes it, whatever the tape did") {
  var x{2.0, requires_grad};
  var y = x * x;
  const std::size_t recorded = tape::current_size();
  {
    leibniz::no_grad guard;
    CHECK_FALSE((x * x).requires_grad());
    CHECK_FALSE(sin(x).requires_grad());
    CHECK_FALSE((x * x + x).requires_grad());
    CHECK(tape::current_size() == recorded);  // nothing recorded
    y.backward();                             // resets the tape, inside the guard
    CHECK(x.grad() == 4.0);
    CHECK_FALSE((x * x).requires_grad());
    CHECK(tape::current_size() == 1);  // x, kept registered
    tape::reserve(1000, 2000);         // grows the tape, inside the guard
    CHECK_FALSE((x * x).requires_grad());
    CHECK(tape::gradient([](const var& v) { return v * v; }, 3.0) == 6.0);  // records
    CHECK_FALSE((x * x).requires_grad());
    CHECK(tape::current_size() == 1);
  }
  var z = x * x * x;  // recording again
  CHECK(z.requires_grad());
  x.zero_grad();
  z.backward();
  CHECK(x.grad() == 12.0);
}

TEST_CASE("backward inside no_grad still computes gradients (it records nothing itself)") {
  var x{3.0, requires_grad};
  var y = x * x;
  leibniz::no_grad guard;
  y.backward();
  CHECK(x.grad() == 6.0);
}

TEST_CASE("vars print like tensors") {
  var x{3.0, requires_grad};
  std::ostringstream out;
  out << x << ' ' << x * x << ' ' << var(2.0);
  CHECK(out.str() == "var(3, requires_grad) var(9, grad_fn=mul) var(2)");
}

TEST_CASE("the same arithmetic with numbers of every kind and exact constants") {
  using namespace leibniz::literals;
  var x{2.0, requires_grad};
  var y = 3 * x + x / 2 - 1.5f + x * 2_c + leibniz::constant<1, 2> * x;
  CHECK(y.value() == 6.0 + 1.0 - 1.5 + 4.0 + 1.0);
  y.backward();
  CHECK(x.grad() == 3.0 + 0.5 + 2.0 + 0.5);
}

TEST_CASE("backward from a result folded over a leaf: 2x, x + 1, -x") {
  var x{5.0, requires_grad};
  (2.0 * x).backward();
  CHECK(x.grad() == 2.0);
  (x + 1.0).backward();
  CHECK(x.grad() == 3.0);
  (-x).backward();
  CHECK(x.grad() == 2.0);
  CHECK(tape::grad(3.0 * x, {x}) == std::vector<double>{3.0});
}

// ---- statements: ops on vars are recorded one statement at a time ----------------------------

TEST_CASE("a statement is recorded as one entry when it becomes a var") {
  tape::release_memory();
  var x{3.0, requires_grad};
  var y = x * x + 2.0 * x;  // one statement: one entry, its partial 2x + 2 on one record
  CHECK(tape::statistics().slots == 1 + 1);
  CHECK(tape::statistics().records == 1);
  CHECK(y.grad_fn() == "add");  // named after its last op
  y.backward();
  CHECK(x.grad() == 8.0);
}

TEST_CASE("a statement held by auto behaves as the var it records") {
  var x{3.0, requires_grad};
  auto y = x * x;
  static_assert(!std::is_same_v<decltype(y), var>);
  CHECK(y.value() == 9.0);
  CHECK(y.requires_grad());
  CHECK_FALSE(y.is_leaf());
  CHECK(y.grad_fn() == "mul");
  CHECK_FALSE(y.grad().has_value());
  CHECK(y > 8.0);
  CHECK(static_cast<double>(y) == 9.0);
  std::ostringstream out;
  out << y;
  CHECK(out.str() == "var(9, grad_fn=mul)");
  y.backward();
  CHECK(x.grad() == 6.0);
  // backward() released its graph (the tape was reset): used again, it is refused.
  CHECK_THROWS_WITH_AS(y.backward(), Contains("retain_graph = true"), tape::graph_released);
  CHECK_THROWS_AS(static_cast<void>(var(y)), tape::graph_released);
  CHECK(y.value() == 9.0);  // its value stays
}

TEST_CASE("statements held by auto keep the tape from being reset under them") {
  var a{2.0, requires_grad};
  var b{5.0, requires_grad};
  auto first = a * b;
  auto second = a + b * b;
  first.backward();  // would reset the tape if nothing were alive: second is
  second.backward();
  CHECK(a.grad() == 5.0 + 1.0);
  CHECK(b.grad() == 2.0 + 10.0);
}

TEST_CASE("a statement over a released result is refused, as the result is") {
  var x{2.0, requires_grad};
  const var a = x * x;
  auto twice = a * 3.0;
  a.backward();  // releases a's graph (twice is alive: marked released, not reset)
  CHECK_THROWS_WITH_AS(twice.backward(), Contains("retain_graph"), tape::graph_released);
}

TEST_CASE("a statement made on one thread is refused on another") {
  var x{2.0, requires_grad};
  const auto s = x * x + 1.0;
  std::string message;
  std::thread other([&] {
    try {
      const var v = s;
      (void)v;
    } catch (const tape::foreign_tape& e) {
      message = e.what();
    }
  });
  other.join();
  CHECK(message.find("another thread's tape") != std::string::npos);
  CHECK(var(s).value() == 5.0);
}

TEST_CASE("leaves are registered in the order the code names them") {
  tape::release_memory();
  var x{1.0, requires_grad};
  var y{2.0, requires_grad};
  const var z = x * y;
  const std::string dot = tape::to_dot(z);
  CAPTURE(dot);
  CHECK(dot.find("n0 [label=\"leaf\\n1\\n") != std::string::npos);
  CHECK(dot.find("n1 [label=\"leaf\\n2\\n") != std::string::npos);
}
