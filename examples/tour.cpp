// examples/tour.cpp
// The guided tour: what leibniz does, mode by mode. scripts/demo builds and runs it.
#include <leibniz/leibniz.hpp>

#include <cstdio>

int main() {
  std::printf("leibniz %s: automatic differentiation for C++20\n", leibniz::version);
  std::printf(
      "modes: static (expressions as types, derivatives at compile time) and\n"
      "       tape (record at run time, sweep back, like PyTorch autograd)\n");
  return 0;
}
