// tests/oracle/ginac_dialect.hpp
// GiNaC as an outside oracle: it reads leibniz's printed form (to_string), differentiates and
// evaluates it at 50 digits. The few names GiNaC lacks or means differently are mapped here,
// each to the textbook definition, so that GiNaC's derivative owes nothing to leibniz's rules:
//   log1p(u) -> log(1 + u)          expm1(u) -> exp(u) - 1        sigmoid(u) -> 1/(1 + exp(-u))
//   cbrt(u)  -> u^(1/3)             min(a, b) -> (a + b - |a - b|)/2, max with +
//   erf(u)   -> a GiNaC function: derivative 2/sqrt(pi) exp(-u^2), value from its series
//   abs(u)   -> a GiNaC function with derivative sign(u): GiNaC's own abs differentiates as
//            u u'/|u|, which is 0/0 at u = 0, where min and max below tie (abs'(0) = 0 is
//            PyTorch's convention and leibniz's: the tie splits the gradient 1/2 : 1/2)
//   sign(u), step(u) -> GiNaC functions with derivative 0 (leibniz's convention; GiNaC's csgn
//            and step have none), step(0) = 1/2
//   pi -> Pi
// and x^(p/q) with q odd is the real root for x < 0, as in leibniz (GiNaC takes the principal,
// complex one): applied when a parsed expression is evaluated.
#pragma once

#include <ginac/ginac.h>

#include <cmath>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

namespace oracle {

// ---------------------------------------------------------------- functions GiNaC lacks

GiNaC::ex erf_value(const GiNaC::ex& u);
GiNaC::ex abs_value(const GiNaC::ex& u);
GiNaC::ex abs_derivative(const GiNaC::ex& u, unsigned parameter);
GiNaC::ex sign_value(const GiNaC::ex& u);
GiNaC::ex step_value(const GiNaC::ex& u);

inline GiNaC::ex erf_derivative(const GiNaC::ex& u, unsigned /*parameter*/) {
  return 2 / GiNaC::sqrt(GiNaC::Pi) * GiNaC::exp(-u * u);
}
inline GiNaC::ex zero_derivative(const GiNaC::ex& /*u*/, unsigned /*parameter*/) { return 0; }

}  // namespace oracle

DECLARE_FUNCTION_1P(leibniz_erf)
DECLARE_FUNCTION_1P(leibniz_abs)
DECLARE_FUNCTION_1P(leibniz_sign)
DECLARE_FUNCTION_1P(leibniz_step)

// Registered once, in oracle.cpp (REGISTER_FUNCTION defines the function's serial number).

namespace oracle {

/// erf at a real number, at the current Digits: 2/sqrt(pi) sum (-1)^n u^(2n+1) / (n! (2n+1)),
/// with enough guard digits for the cancellation of the alternating series (|u| <= 9; beyond,
/// erf is +-1 to 35 digits).
inline GiNaC::ex erf_value(const GiNaC::ex& u) {
  if (!GiNaC::is_a<GiNaC::numeric>(u) || !GiNaC::ex_to<GiNaC::numeric>(u).is_real())
    return leibniz_erf(u).hold();
  const GiNaC::numeric x = GiNaC::ex_to<GiNaC::numeric>(u);
  if (GiNaC::abs(x) > 9) return x > 0 ? GiNaC::numeric(1) : GiNaC::numeric(-1);
  const long saved = GiNaC::Digits;
  GiNaC::Digits = saved + 50;
  const GiNaC::numeric xf = GiNaC::ex_to<GiNaC::numeric>(x.evalf());
  const GiNaC::numeric x2 = xf * xf;
  GiNaC::numeric term = xf;  // (-1)^n x^(2n+1) / n!
  GiNaC::numeric sum = xf;
  const GiNaC::numeric tiny = GiNaC::ex_to<GiNaC::numeric>(
      GiNaC::pow(GiNaC::numeric(10), -static_cast<long>(saved + 40)).evalf());
  for (long n = 1; n < 2000; ++n) {
    term = -term * x2 / n;
    const GiNaC::numeric next = term / (2 * n + 1);
    sum += next;
    if (GiNaC::abs(next) < tiny) break;
  }
  const GiNaC::ex result = (2 / GiNaC::sqrt(GiNaC::Pi) * sum).evalf();
  GiNaC::Digits = saved;
  return result.evalf();
}

inline GiNaC::ex abs_value(const GiNaC::ex& u) {
  if (!GiNaC::is_a<GiNaC::numeric>(u) || !GiNaC::ex_to<GiNaC::numeric>(u).is_real())
    return leibniz_abs(u).hold();
  return GiNaC::abs(GiNaC::ex_to<GiNaC::numeric>(u));
}

inline GiNaC::ex abs_derivative(const GiNaC::ex& u, unsigned /*parameter*/) {
  return leibniz_sign(u);
}

inline GiNaC::ex sign_value(const GiNaC::ex& u) {
  if (!GiNaC::is_a<GiNaC::numeric>(u) || !GiNaC::ex_to<GiNaC::numeric>(u).is_real())
    return leibniz_sign(u).hold();
  const GiNaC::numeric x = GiNaC::ex_to<GiNaC::numeric>(u);
  return x > 0 ? 1 : (x < 0 ? -1 : 0);
}

inline GiNaC::ex step_value(const GiNaC::ex& u) {
  if (!GiNaC::is_a<GiNaC::numeric>(u) || !GiNaC::ex_to<GiNaC::numeric>(u).is_real())
    return leibniz_step(u).hold();
  const GiNaC::numeric x = GiNaC::ex_to<GiNaC::numeric>(u);
  return x > 0 ? GiNaC::numeric(1) : (x < 0 ? GiNaC::numeric(0) : GiNaC::numeric(1, 2));
}

// ---------------------------------------------------------------- the parser's table
// GiNaC's parser tells a reader function from a function serial number by the low bit of the
// pointer (serials are stored as 2n + 1): a reader must sit at an even address, which -O0 and
// -O1 do not promise. Hence the alignment.

[[gnu::aligned(16)]] inline GiNaC::ex read_sin(const GiNaC::exvector& a) {
  return GiNaC::sin(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_cos(const GiNaC::exvector& a) {
  return GiNaC::cos(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_tan(const GiNaC::exvector& a) {
  return GiNaC::tan(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_asin(const GiNaC::exvector& a) {
  return GiNaC::asin(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_acos(const GiNaC::exvector& a) {
  return GiNaC::acos(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_atan(const GiNaC::exvector& a) {
  return GiNaC::atan(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_sinh(const GiNaC::exvector& a) {
  return GiNaC::sinh(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_cosh(const GiNaC::exvector& a) {
  return GiNaC::cosh(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_tanh(const GiNaC::exvector& a) {
  return GiNaC::tanh(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_exp(const GiNaC::exvector& a) {
  return GiNaC::exp(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_log(const GiNaC::exvector& a) {
  return GiNaC::log(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_sqrt(const GiNaC::exvector& a) {
  return GiNaC::sqrt(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_abs(const GiNaC::exvector& a) {
  return leibniz_abs(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_cbrt(const GiNaC::exvector& a) {
  return GiNaC::pow(a[0], GiNaC::numeric(1, 3));
}
[[gnu::aligned(16)]] inline GiNaC::ex read_log1p(const GiNaC::exvector& a) {
  return GiNaC::log(1 + a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_expm1(const GiNaC::exvector& a) {
  return GiNaC::exp(a[0]) - 1;
}
[[gnu::aligned(16)]] inline GiNaC::ex read_sigmoid(const GiNaC::exvector& a) {
  return 1 / (1 + GiNaC::exp(-a[0]));
}
[[gnu::aligned(16)]] inline GiNaC::ex read_erf(const GiNaC::exvector& a) {
  return leibniz_erf(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_sign(const GiNaC::exvector& a) {
  return leibniz_sign(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_step(const GiNaC::exvector& a) {
  return leibniz_step(a[0]);
}
[[gnu::aligned(16)]] inline GiNaC::ex read_min(const GiNaC::exvector& a) {
  return (a[0] + a[1] - leibniz_abs(a[0] - a[1])) / 2;
}
[[gnu::aligned(16)]] inline GiNaC::ex read_max(const GiNaC::exvector& a) {
  return (a[0] + a[1] + leibniz_abs(a[0] - a[1])) / 2;
}

/// Exactly the functions leibniz prints, and no others: anything else is a parse error.
inline const GiNaC::prototype_table& leibniz_functions() {
  static const GiNaC::prototype_table table = [] {
    GiNaC::prototype_table t;
    const auto add = [&](const char* name, std::size_t arity, GiNaC::reader_func read) {
      t[GiNaC::prototype(name, arity)] = read;
    };
    add("sin", 1, read_sin);
    add("cos", 1, read_cos);
    add("tan", 1, read_tan);
    add("asin", 1, read_asin);
    add("acos", 1, read_acos);
    add("atan", 1, read_atan);
    add("sinh", 1, read_sinh);
    add("cosh", 1, read_cosh);
    add("tanh", 1, read_tanh);
    add("exp", 1, read_exp);
    add("log", 1, read_log);
    add("sqrt", 1, read_sqrt);
    add("abs", 1, read_abs);
    add("cbrt", 1, read_cbrt);
    add("log1p", 1, read_log1p);
    add("expm1", 1, read_expm1);
    add("sigmoid", 1, read_sigmoid);
    add("erf", 1, read_erf);
    add("sign", 1, read_sign);
    add("step", 1, read_step);
    add("min", 2, read_min);
    add("max", 2, read_max);
    return t;
  }();
  return table;
}

// ---------------------------------------------------------------- numbers

/// A double as the exact rational it is: m 2^e.
inline GiNaC::numeric exact(double v) {
  if (v == 0) return 0;
  int e = 0;
  const double m = std::frexp(v, &e);  // v = m 2^e, 0.5 <= |m| < 1
  const auto mantissa = static_cast<long long>(std::ldexp(m, 53));
  return GiNaC::numeric(mantissa) *
         GiNaC::ex_to<GiNaC::numeric>(GiNaC::pow(GiNaC::numeric(2), e - 53));
}

/// Replaces every floating-point number (a literal leibniz printed in decimal) by the double
/// it reads back as, exactly: the printed digits are the shortest that round-trip.
struct exact_literals : GiNaC::map_function {
  GiNaC::ex operator()(const GiNaC::ex& e) override {
    if (GiNaC::is_a<GiNaC::numeric>(e)) {
      const GiNaC::numeric& n = GiNaC::ex_to<GiNaC::numeric>(e);
      if (n.is_real() && !n.is_rational()) return exact(n.to_double());
      return e;
    }
    return e.map(*this);
  }
};

/// x^(p/q) with q odd and x < 0 as the real root, as leibniz computes it: -(|x|^(p/q)) for p
/// odd, |x|^(p/q) for p even. Applied bottom-up to an expression whose symbols have values.
struct real_roots : GiNaC::map_function {
  GiNaC::ex operator()(const GiNaC::ex& e) override {
    const GiNaC::ex m = e.map(*this);
    if (!GiNaC::is_a<GiNaC::power>(m)) return m;
    const GiNaC::ex base = m.op(0).evalf();
    const GiNaC::ex exponent = m.op(1);
    if (!GiNaC::is_a<GiNaC::numeric>(base) || !GiNaC::is_a<GiNaC::numeric>(exponent)) return m;
    const GiNaC::numeric& b = GiNaC::ex_to<GiNaC::numeric>(base);
    const GiNaC::numeric& p = GiNaC::ex_to<GiNaC::numeric>(exponent);
    if (!b.is_real() || !(b < 0) || !p.is_rational() || p.is_integer() || !p.denom().is_odd())
      return m;
    const GiNaC::ex magnitude = GiNaC::pow(-b, p).evalf();
    return p.numer().is_odd() ? -magnitude : magnitude;
  }
};

// ---------------------------------------------------------------- reading and evaluating

/// The symbols of leibniz's variables x, y, z, and pi.
struct symbols {
  GiNaC::realsymbol x{"x"};
  GiNaC::realsymbol y{"y"};
  GiNaC::realsymbol z{"z"};

  [[nodiscard]] GiNaC::symtab table() const {
    GiNaC::symtab t;
    t["x"] = x;
    t["y"] = y;
    t["z"] = z;
    t["pi"] = GiNaC::Pi;
    return t;
  }
  [[nodiscard]] const GiNaC::symbol& operator[](std::size_t i) const {
    return i == 0 ? x : (i == 1 ? y : z);
  }
};

/// The text leibniz printed, as a GiNaC expression; throws with the text if GiNaC cannot
/// read it (a printer bug, or a name the dialect does not know).
inline GiNaC::ex parse(const symbols& s, const std::string& text) {
  GiNaC::parser reader(s.table(), true, leibniz_functions());
  try {
    exact_literals exact;
    return exact(reader(text));
  } catch (const std::exception& error) {
    throw std::runtime_error("GiNaC cannot read '" + text + "': " + error.what());
  }
}

/// The value of e at x, y, z (doubles, taken exactly), to 50 digits; nullopt if it is not a
/// real number (with the reason in *why).
inline std::optional<double> evaluate(const symbols& s, const GiNaC::ex& e, double x, double y,
                                      double z, std::string* why = nullptr) {
  try {
    const GiNaC::ex at = e.subs(GiNaC::lst{s.x == exact(x), s.y == exact(y), s.z == exact(z)});
    real_roots roots;
    const GiNaC::ex value = roots(at).evalf();
    if (!GiNaC::is_a<GiNaC::numeric>(value)) {
      if (why != nullptr) {
        std::ostringstream text;
        text << "not a number: " << value;
        *why = text.str();
      }
      return std::nullopt;
    }
    const GiNaC::numeric& n = GiNaC::ex_to<GiNaC::numeric>(value);
    if (!n.is_real()) {
      if (why != nullptr) *why = "complex";
      return std::nullopt;
    }
    return n.to_double();
  } catch (const std::exception& error) {
    if (why != nullptr) *why = error.what();
    return std::nullopt;
  }
}

}  // namespace oracle
