// tests/static/version.cpp
// leibniz::version, the version macros and meson.build's project version all agree.
#include <leibniz/leibniz.hpp>

#include <string_view>

namespace {

/// The n-th dot-separated number of "major.minor.patch" (n = 0, 1, 2).
constexpr int version_part(std::string_view s, int n) {
  int part = 0;
  int value = 0;
  for (char c : s) {
    if (c == '.') {
      if (part == n) return value;
      ++part;
      value = 0;
    } else {
      value = 10 * value + (c - '0');
    }
  }
  return part == n ? value : -1;
}

constexpr std::string_view version = leibniz::version;

static_assert(version == LEIBNIZ_PROJECT_VERSION);  // config.hpp matches meson.build
static_assert(version_part(version, 0) == LEIBNIZ_VERSION_MAJOR);
static_assert(version_part(version, 1) == LEIBNIZ_VERSION_MINOR);
static_assert(version_part(version, 2) == LEIBNIZ_VERSION_PATCH);

}  // namespace
