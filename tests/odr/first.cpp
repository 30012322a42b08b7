// tests/odr/first.cpp
// One of the two translation units of the ODR test.
#include <leibniz/leibniz.hpp>

#include "odr.hpp"

namespace odr {

std::string_view first_version() { return leibniz::version; }
const void* first_version_address() { return &leibniz::version; }

}  // namespace odr
