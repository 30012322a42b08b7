// leibniz/tape/errors.hpp
// What tape mode throws: one leibniz::error base, one type per kind of misuse, each message
// saying what happened and how to fix it (in the manner of PyTorch's autograd errors).
#pragma once

#include <leibniz/config.hpp>
#include <stdexcept>
#include <string>

namespace leibniz {

/// The base of every exception leibniz throws: a misuse of the library, with a message that
/// says what happened and how to fix it. Catch this to catch them all.
class error : public std::logic_error {
 public:
  explicit error(const std::string& what) : std::logic_error("leibniz: " + what) {}
};

}  // namespace leibniz

namespace leibniz::tape {

/// backward() or grad() through a graph whose intermediate results an earlier backward()
/// released, or a computation that uses a var whose graph was released and reclaimed.
class graph_released : public error {
 public:
  using error::error;
};

/// backward() or grad() on a value that does not require grad (nothing to differentiate).
class no_grad_required : public error {
 public:
  using error::error;
};

/// An in-place update (x -= ...) of a leaf that requires grad, outside a no_grad block.
class inplace_on_leaf : public error {
 public:
  using error::error;
};

/// A var or array recorded on another thread's tape, used on this thread.
class foreign_tape : public error {
 public:
  using error::error;
};

/// Arrays of different lengths in one elementwise op, an index out of range, a gradient
/// argument of the wrong length.
class shape_mismatch : public error {
 public:
  using error::error;
};

/// backward() on an array without the gradient argument of a vector-Jacobian product; grad()
/// with respect to something that is not an input of the output.
class invalid_argument : public error {
 public:
  using error::error;
};

namespace detail {

[[noreturn]] LEIBNIZ_COLD void throw_released() {
  throw graph_released(
      "trying to backward through the graph a second time, or to use a result whose graph was "
      "already released: backward() frees the graph of its output. Pass "
      "{.retain_graph = true} to the first backward() (y.backward({.retain_graph = true})) if "
      "you need to backward through the same graph again; use y.value() or y.detach() to reuse "
      "a result as a constant.");
}

[[noreturn]] LEIBNIZ_COLD void throw_stale_operand() {
  throw graph_released(
      "a var whose graph was released by backward() is used in a computation that records: "
      "its tape entries have been reclaimed. Use y.detach() (or y.value()) to use its value as "
      "a constant, or pass {.retain_graph = true} to backward() to keep the graph.");
}

[[noreturn]] LEIBNIZ_COLD void throw_foreign() {
  throw foreign_tape(
      "a var (or array) recorded on another thread's tape is used on this thread; each thread "
      "records on its own tape. Create the inputs on this thread, or pass the value across: "
      "y.detach() or y.value().");
}

[[noreturn]] LEIBNIZ_COLD void throw_no_grad(const char* what) {
  throw no_grad_required(
      std::string(what) +
      " on a value that does not require grad and has no grad_fn: nothing recorded it. Make an "
      "input require grad (tape::var x{2.0, leibniz::requires_grad}) and compute the value from "
      "it outside any leibniz::no_grad block.");
}

[[noreturn]] LEIBNIZ_COLD void throw_inplace_on_leaf() {
  throw inplace_on_leaf(
      "a leaf var that requires grad is being used in an in-place operation (x -= ...). Update "
      "parameters inside a no_grad block: { leibniz::no_grad guard; x -= lr * *x.grad(); }");
}

}  // namespace detail

}  // namespace leibniz::tape
