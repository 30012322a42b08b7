// leibniz/tape/no_grad.hpp
// leibniz::no_grad: while a guard lives, this thread records nothing (torch.no_grad()).
#pragma once

#include <leibniz/tape/tape.hpp>

namespace leibniz::tape::detail {

/// Turns recording on or off on this thread; the ops' limit follows (see update_limit).
inline void set_grad_enabled(bool enabled) noexcept {
  tape_state& t = the_tape;
  t.grad_enabled = enabled;
  update_limit(t);
}

}  // namespace leibniz::tape::detail

namespace leibniz {

/// While it lives, ops on vars and arrays record nothing on this thread's tape and their
/// results do not require grad: for parameter updates (`x -= lr * *x.grad()`) and for
/// evaluation without gradients. Guards nest; each restores the mode it found.
///
///     { leibniz::no_grad guard; x -= 0.1 * *x.grad(); }
class [[nodiscard]] no_grad {
 public:
  no_grad() noexcept : previous_(tape::detail::the_tape.grad_enabled) {
    tape::detail::set_grad_enabled(false);
  }
  no_grad(const no_grad&) = delete;
  no_grad& operator=(const no_grad&) = delete;
  ~no_grad() { tape::detail::set_grad_enabled(previous_); }

 private:
  bool previous_;
};

/// The opposite guard (torch.enable_grad()): records again inside a no_grad block.
class [[nodiscard]] enable_grad {
 public:
  enable_grad() noexcept : previous_(tape::detail::the_tape.grad_enabled) {
    tape::detail::set_grad_enabled(true);
  }
  enable_grad(const enable_grad&) = delete;
  enable_grad& operator=(const enable_grad&) = delete;
  ~enable_grad() { tape::detail::set_grad_enabled(previous_); }

 private:
  bool previous_;
};

/// True unless a no_grad guard is active on this thread (torch.is_grad_enabled()).
inline bool is_grad_enabled() noexcept { return tape::detail::the_tape.grad_enabled; }

namespace tape {
using leibniz::enable_grad;
using leibniz::is_grad_enabled;
using leibniz::no_grad;
}  // namespace tape

}  // namespace leibniz
