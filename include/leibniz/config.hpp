// leibniz/config.hpp
// The version, and the one place for compiler workarounds.
#pragma once

#define LEIBNIZ_VERSION_MAJOR 0
#define LEIBNIZ_VERSION_MINOR 1
#define LEIBNIZ_VERSION_PATCH 0

namespace leibniz {

/// The library's version as "major.minor.patch".
inline constexpr const char* version = "0.1.0";

}  // namespace leibniz
