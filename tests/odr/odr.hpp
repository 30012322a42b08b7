// tests/odr/odr.hpp
// What each translation unit of the ODR test exports.
#pragma once

#include <string_view>

namespace odr {

/// leibniz::version as seen from first.cpp / second.cpp.
std::string_view first_version();
std::string_view second_version();

/// The address of leibniz::version as seen from each unit: one entity, so one address.
const void* first_version_address();
const void* second_version_address();

}  // namespace odr
