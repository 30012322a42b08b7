// tests/odr/second.cpp
// One of the two translation units of the ODR test.
#include <leibniz/leibniz.hpp>

#include "odr.hpp"

namespace odr {

std::string_view second_version() { return leibniz::version; }
const void* second_version_address() { return &leibniz::version; }

}  // namespace odr
