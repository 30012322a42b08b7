// tests/fail/version_is_read_only.cpp
// leibniz::version is a constant: assigning to it does not compile; reading it does.
// expected-error-gcc: assignment of read-only variable 'leibniz::version'
// expected-error-clang: cannot assign to variable 'version' with const-qualified type
#include <leibniz/leibniz.hpp>

#include <cstring>

std::size_t use_version();

std::size_t use_version() {
#ifdef LEIBNIZ_FAIL
  leibniz::version = "1.0.0";
  return 0;
#else
  const char* read = leibniz::version;
  return std::strlen(read);
#endif
}
