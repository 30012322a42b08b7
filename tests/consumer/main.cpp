// tests/consumer/main.cpp
// The program every consumer test builds against an installed or embedded leibniz.
#include <leibniz/leibniz.hpp>

#include <cstdio>

int main() {
  std::printf("leibniz %s\n", leibniz::version);
  return 0;
}
