// tests/odr/main.cpp
// Links both translation units and checks that they agree.
#include <leibniz/leibniz.hpp>

#include <cstdio>

#include "odr.hpp"

int main() {
  int failures = 0;
  if (odr::first_version() != odr::second_version()) {
    std::puts("FAIL: the two translation units see different versions");
    ++failures;
  }
  if (odr::first_version_address() != odr::second_version_address() ||
      odr::first_version_address() != &leibniz::version) {
    std::puts("FAIL: leibniz::version has more than one address (not an inline variable?)");
    ++failures;
  }
  if (failures == 0) std::puts("OK: both translation units agree");
  return failures == 0 ? 0 : 1;
}
