// examples/tape_basics.cpp
// Tape mode in a page, PyTorch's autograd in C++: vars that record what is done to them,
// backward(), gradients that accumulate, no_grad for the update step, arrays, static
// expressions over arrays, gradients as values, and the recorded graph as a picture.
#include <leibniz/leibniz.hpp>

#include <iostream>

namespace tape = leibniz::tape;

int main() {
  tape::var x{2.0, leibniz::requires_grad};  // torch.tensor(2.0, requires_grad=True)
  tape::var y{3.0, leibniz::requires_grad};
  tape::var z = x * x * y + x * y * y;  // recorded as it runs; z.grad_fn() is "add"
  z.backward();
  std::cout << "dz/dx = " << *x.grad() << ", dz/dy = " << *y.grad() << "\n";  // 21, 16

  x.zero_grad();                           // gradients accumulate until zeroed
  for (int step = 0; step < 50; ++step) {  // gradient descent on (x - 3)^2
    tape::var loss = pow(x - 3.0, 2);
    loss.backward();
    {
      leibniz::no_grad guard;  // the update is not recorded
      x -= 0.1 * *x.grad();
    }
    x.zero_grad();
  }
  std::cout << "argmin (x - 3)^2 = " << x.value() << "\n";  // 3 (to 5 digits)

  // 1-D arrays: an array op is an array statement, recorded as one entry where it is used;
  // sum(a * a) is one entry of one slot.
  tape::array a{{1.0, 2.0, 3.0}, leibniz::requires_grad};
  sum(a * a).backward();
  std::cout << "d sum(a^2)/da = " << *a.grad() << "\n";  // array([2, 4, 6])

  // Statements held by auto are spliced into the ops that use them: rosenbrock, one entry.
  a.zero_grad();
  const tape::array head = a.slice(0, 2);
  const tape::array tail = a.slice(1, 3);
  const auto r = tail - head * head;  // nothing recorded yet
  const auto s = 1.0 - head;
  sum(100.0 * r * r + s * s).backward();
  std::cout << "d rosenbrock/da = " << *a.grad() << "\n";  // array([-400, 1002, -200])

  // A static expression over arrays (an array block): one entry for the whole expression,
  // each element's value and partials from the static engine; w is broadcast.
  constexpr leibniz::variable<"p"> p;
  constexpr leibniz::variable<"q"> q;
  a.zero_grad();
  tape::var w{0.5, leibniz::requires_grad};
  sum(tape::apply(p * p * q + exp(q), p = a, q = w)).backward();
  std::cout << "d/da = " << *a.grad() << ", d/dw = " << *w.grad() << "\n";  // [1, 2, 3], 18.946

  // Gradients as values (torch.func.grad): no one's .grad changes.
  const double g = tape::gradient([](const tape::var& v) { return v * sin(v); }, 1.0);
  std::cout << "d(v sin v)/dv at 1 = " << g << "\n";

  // The graph, as torchviz draws it (render with `dot -Tsvg`).
  tape::var u{0.5, leibniz::requires_grad};
  std::cout << to_dot(exp(u) * u + 1.0);
}
