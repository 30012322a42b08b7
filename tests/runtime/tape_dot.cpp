// tests/runtime/tape_dot.cpp
// to_dot(y): the recorded graph drawn as torchviz draws it: leaves that require grad, ops,
// the output, and on each edge the local partial the tape stored.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <string>

namespace tape = leibniz::tape;
using leibniz::requires_grad;
using tape::var;

namespace {
bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("to_dot draws z = (x + y) * (x - y): two leaves, add, sub, mul, the output") {
  var x{3.0, requires_grad};
  var y{2.0, requires_grad};
  const var a = x + y;  // separate statements: the order of the entries is fixed
  const var b = x - y;
  const var z = a * b;
  const std::string dot = to_dot(z);
  CAPTURE(dot);
  CHECK(has(dot, "digraph tape {"));
  CHECK(has(dot,
            "n0 [label=\"leaf\\n3\\nrequires_grad\", shape=box, style=filled, "
            "fillcolor=lightblue]"));
  CHECK(has(dot, "n1 [label=\"leaf\\n2\\nrequires_grad\""));
  CHECK(has(dot, "n2 [label=\"add\""));
  CHECK(has(dot, "n3 [label=\"sub\""));
  CHECK(has(dot, "n4 [label=\"mul\""));
  CHECK(has(dot, "n1 -> n3 [label=\"-1\"]"));  // d(x - y)/dy
  CHECK(has(dot, "n3 -> n4 [label=\"5\"]"));   // d(a * b)/db = a = 5
  CHECK(has(dot, "out [label=\"output\\n5\\ngrad_fn=mul\""));
  CHECK(has(dot, "n4 -> out;"));
}

TEST_CASE("to_dot shows only what the output depends on, and folded constants on edges") {
  var x{2.0, requires_grad};
  var unrelated{1.0, requires_grad};
  const var other = unrelated * unrelated;
  const var s = sin(x);
  const var y = 3.0 * s;  // 3 * s is folded: the edge to the output carries 3
  const std::string dot = to_dot(y);
  CAPTURE(dot);
  CHECK(has(dot, "label=\"sin\""));
  CHECK_FALSE(has(dot, "label=\"mul\""));
  CHECK(has(dot, "-> out [label=\"3\"]"));
  CHECK_FALSE(has(dot, "leaf\\n1\\n"));  // the unrelated leaf is not drawn
}

TEST_CASE("to_dot draws a statement as one node, named by its last op") {
  var x{2.0, requires_grad};
  const var y = 3.0 * sin(x) + x * x;  // one statement: one entry
  const std::string dot = to_dot(y);
  CAPTURE(dot);
  CHECK(has(dot, "[label=\"add\""));
  CHECK_FALSE(has(dot, "label=\"sin\""));
  CHECK_FALSE(has(dot, "label=\"mul\""));
  CHECK(has(dot, "[label=\"2.75156\"]"));  // d y / d x = 3 cos(2) + 2 * 2, the one edge
  CHECK(y.grad_fn() == "add");
}

TEST_CASE("to_dot of arrays, constants and leaves") {
  tape::array a{{1.0, 2.0, 3.0}, requires_grad};
  const tape::array e = exp(a);
  const tape::array twice = e * 2.0;
  const var s = sum(twice);
  const std::string dot = to_dot(s);
  CAPTURE(dot);
  CHECK(has(dot, "leaf [3]"));
  CHECK(has(dot, "label=\"exp [3]\""));
  CHECK(has(dot, "label=\"mul [3]\""));
  CHECK(has(dot, "label=\"sum\""));
  CHECK(has(to_dot(var(2.0)), "constant\\n2"));
  CHECK(has(to_dot(a), "leaf [3]"));
  CHECK(has(to_dot(exp(a)), "output [3]"));
  // Ops on temporaries are fused into one entry: the drawing shows what was recorded.
  const std::string fused = to_dot(sum(exp(a) * 2.0));
  CAPTURE(fused);
  CHECK(has(fused, "label=\"sum\""));
  CHECK(has(fused, "leaf [3]"));
  CHECK_FALSE(has(fused, "label=\"mul [3]\""));
}

TEST_CASE("to_dot after backward: the graph is gone, the drawing says so") {
  var x{2.0, requires_grad};
  const var y = x * x;
  y.backward();
  CHECK(has(to_dot(y), "(graph released)"));
}

TEST_CASE("leibniz::to_dot draws tape results and static expressions alike") {
  var x{1.0, requires_grad};
  CHECK(has(leibniz::to_dot(x * x), "label=\"mul\""));
  constexpr leibniz::variable<"x"> sx;
  CHECK(has(leibniz::to_dot(sx * sx), "digraph expression"));
}
