// leibniz/check/report.hpp
// The report of check_gradient: per variable, every method's value, its absolute and relative
// error against the reference, the tolerance, a verdict. Prints as a table; converts to bool.
#pragma once

#include <cmath>
#include <cstddef>
#include <iomanip>
#include <limits>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leibniz {

/// What one comparison concluded: agreement, disagreement, or not done (and why, in its note).
enum class check_verdict { ok, fail, skipped };

/// One way of computing a value or a derivative, set against the reference.
struct check_method {
  /// What computed it: "compiled gradient", "tape, op by op", "finite differences", ...
  std::string name;
  double value = 0;
  /// |value - reference|.
  double abs_error = 0;
  /// abs_error / |reference|; 0 when both are 0, infinity when only the reference is.
  double rel_error = 0;
  /// The largest abs_error that passes.
  double tolerance = 0;
  check_verdict verdict = check_verdict::ok;
  /// Why it failed or was skipped, or what else is known (a finite difference's error estimate).
  std::string note;
};

/// The checks of one quantity: f's value, or its derivative with respect to one variable.
struct check_quantity {
  /// "f" for the value, the variable's name for a derivative ("x", or "arg1[2]" for the
  /// element 2 of a callable's second argument).
  std::string name;
  /// The variable's value at the point (unused for f).
  double point = 0;
  /// The value every method is compared with.
  long double reference = 0;
  /// What computed the reference: "d(f, x) in long double", "tape", ...
  std::string reference_name;
  std::vector<check_method> methods;

  /// True when no method failed.
  [[nodiscard]] bool passed() const {
    for (const check_method& m : methods)
      if (m.verdict == check_verdict::fail) return false;
    return true;
  }

  /// The method named `method`; throws std::out_of_range if there is none.
  [[nodiscard]] const check_method& operator[](std::string_view method) const {
    for (const check_method& m : methods)
      if (m.name == method) return m;
    throw std::out_of_range("leibniz::check_quantity: no method named '" + std::string(method) +
                            "' for " + name);
  }
};

/// The result of check_gradient: the value of f and each partial derivative, each computed
/// by every method that applies. Converts to true when nothing failed; prints as a table, so
/// that `CHECK(check_gradient(f, x = 2.0))` in doctest shows it when it fails.
struct gradient_report {
  /// f as text: to_string(f) for a static expression, "f" for a callable.
  std::string function;
  /// The point, as "x = 2, y = 3".
  std::string point;
  /// The checks of f's value.
  check_quantity value;
  /// The checks of each partial derivative, in the order the variables were given.
  std::vector<check_quantity> derivatives;
  /// Remarks on the whole check (a method that does not apply to this f, and why).
  std::vector<std::string> notes;

  /// True when no comparison failed.
  [[nodiscard]] bool passed() const {
    if (!value.passed()) return false;
    for (const check_quantity& q : derivatives)
      if (!q.passed()) return false;
    return true;
  }
  explicit operator bool() const { return passed(); }

  /// The checks of the derivative with respect to the variable named `variable`; throws
  /// std::out_of_range if there is none.
  [[nodiscard]] const check_quantity& operator[](std::string_view variable) const {
    for (const check_quantity& q : derivatives)
      if (q.name == variable) return q;
    throw std::out_of_range("leibniz::gradient_report: no variable named '" +
                            std::string(variable) + "'");
  }

  /// The number of comparisons that failed.
  [[nodiscard]] std::size_t failures() const {
    std::size_t n = 0;
    const auto count = [&](const check_quantity& q) {
      for (const check_method& m : q.methods) n += m.verdict == check_verdict::fail ? 1 : 0;
    };
    count(value);
    for (const check_quantity& q : derivatives) count(q);
    return n;
  }

  /// The report as text (what operator<< prints).
  [[nodiscard]] std::string str() const {
    std::ostringstream out;
    out << *this;
    return out.str();
  }

  friend std::ostream& operator<<(std::ostream& out, const gradient_report& r) {
    const std::ios_base::fmtflags flags = out.flags();
    const std::streamsize precision = out.precision();
    out << "check_gradient at " << r.point << ": ";
    if (r.passed())
      out << "passed\n";
    else
      out << "FAILED (" << r.failures() << " of the comparisons)\n";
    out << "  f = " << r.function << '\n';
    for (const std::string& note : r.notes) out << "  note: " << note << '\n';
    out << "  " << std::left << std::setw(width_name) << "" << std::setw(width_value) << "value"
        << std::setw(width_error) << "abs error" << std::setw(width_error) << "rel error"
        << std::setw(width_error) << "tolerance"
        << "verdict\n";
    print_quantity(out, r.value, "f");
    for (const check_quantity& q : r.derivatives) {
      std::ostringstream title;
      title << "d/d" << q.name << " at " << q.name << " = " << std::setprecision(17) << q.point;
      print_quantity(out, q, title.str());
    }
    out.flags(flags);
    out.precision(precision);
    return out;
  }

 private:
  static constexpr int width_name = 30;
  static constexpr int width_value = 28;
  static constexpr int width_error = 11;

  static void print_quantity(std::ostream& out, const check_quantity& q, const std::string& title) {
    out << "  " << title << '\n';
    std::ostringstream reference;
    // A reference that is a double (the tape's) prints as one; a long double with its digits.
    const bool is_double =
        static_cast<long double>(static_cast<double>(q.reference)) == q.reference;
    reference << std::setprecision(is_double ? 17 : std::numeric_limits<long double>::max_digits10)
              << q.reference;
    out << "    " << std::left << std::setw(width_name - 2) << q.reference_name
        << std::setw(width_value) << reference.str() << "(reference)\n";
    for (const check_method& m : q.methods) {
      out << "    " << std::left << std::setw(width_name - 2) << m.name;
      if (m.verdict == check_verdict::skipped) {
        out << "skipped: " << m.note << '\n';
        continue;
      }
      std::ostringstream value;
      value << std::setprecision(17) << m.value;
      out << std::setw(width_value) << value.str() << std::setw(width_error)
          << short_number(m.abs_error) << std::setw(width_error) << short_number(m.rel_error)
          << std::setw(width_error) << short_number(m.tolerance)
          << (m.verdict == check_verdict::ok ? "ok" : "FAIL");
      if (!m.note.empty()) out << "  (" << m.note << ')';
      out << '\n';
    }
  }

  static std::string short_number(double v) {
    std::ostringstream s;
    s << std::setprecision(2) << v;
    return s.str();
  }
};

}  // namespace leibniz
