// tests/runtime/version.cpp
// leibniz::version reads as "major.minor.patch" at run time too.
#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>

TEST_CASE("the version prints as major.minor.patch") {
  std::ostringstream expected;
  expected << LEIBNIZ_VERSION_MAJOR << '.' << LEIBNIZ_VERSION_MINOR << '.' << LEIBNIZ_VERSION_PATCH;
  CHECK(std::string(leibniz::version) == expected.str());
}
