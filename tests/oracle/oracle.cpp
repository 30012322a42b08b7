// tests/oracle/oracle.cpp
// GiNaC, an outside oracle, against leibniz: it reads to_string(e) (so the printer is tested
// too), differentiates it and evaluates value and derivatives at 50 digits. For each op of
// the table, near its domain edges too, and for the random corpus (whose executables, named
// in LEIBNIZ_CORPUS_EXES, are run with LEIBNIZ_ORACLE_DUMP set). Values and derivatives must
// agree to 1e-12 relative, plus 16 times the rounding error of leibniz's own formula (its
// double value against its long double value), which is large only where the formula is
// ill-conditioned.
#include "ginac_dialect.hpp"

#include <leibniz/leibniz.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <vector>

REGISTER_FUNCTION(leibniz_erf,
                  evalf_func(oracle::erf_value).derivative_func(oracle::erf_derivative))
REGISTER_FUNCTION(leibniz_abs,
                  evalf_func(oracle::abs_value).derivative_func(oracle::abs_derivative))
REGISTER_FUNCTION(leibniz_sign,
                  evalf_func(oracle::sign_value).derivative_func(oracle::zero_derivative))
REGISTER_FUNCTION(leibniz_step,
                  evalf_func(oracle::step_value).derivative_func(oracle::zero_derivative))

namespace {

using namespace leibniz::literals;
using leibniz::d;
using leibniz::to_string;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;

struct digits_guard {
  long saved = GiNaC::Digits;
  digits_guard() { GiNaC::Digits = 50; }
  ~digits_guard() { GiNaC::Digits = saved; }
  digits_guard(const digits_guard&) = delete;
  digits_guard& operator=(const digits_guard&) = delete;
};

/// leibniz's double against GiNaC's 50 digits: 1e-12 relative, plus 16 times leibniz's own
/// rounding error (|double - long double|).
bool agrees(double leibniz_value, double ginac_value, long double noise) {
  if (std::isnan(leibniz_value) || std::isnan(ginac_value)) return false;
  const long double diff = std::fabs(static_cast<long double>(leibniz_value) - ginac_value);
  return diff <= 1e-12L * std::fabs(static_cast<long double>(ginac_value)) + 1e-15L + 16 * noise;
}

std::string hex(double v) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g (%a)", v, v);
  return text;
}

/// One comparison, with everything needed to reproduce it when it fails.
void compare(const std::string& what, const std::string& text, double at_x, double at_y,
             double leibniz_value, long double noise, const oracle::symbols& s,
             const GiNaC::ex& e) {
  std::string why;
  const std::optional<double> ginac_value = oracle::evaluate(s, e, at_x, at_y, 0.0, &why);
  INFO(what << " of " << text << " at x = " << hex(at_x) << ", y = " << hex(at_y));
  INFO("GiNaC: " << e);
  if (!ginac_value) {
    FAIL_CHECK("GiNaC gives no real number: " << why);
    return;
  }
  INFO("leibniz " << hex(leibniz_value) << ", GiNaC " << hex(*ginac_value) << ", leibniz's noise "
                  << static_cast<double>(noise));
  CHECK(agrees(leibniz_value, *ginac_value, noise));
}

/// e and its derivatives by x and y, by leibniz and by GiNaC, at each point: GiNaC reads
/// to_string(e) and differentiates it, and also reads to_string(d(e, x)) and to_string(d(e, y))
/// (the printer on the forms derivatives take).
template <class E>
void check_against_ginac(const E& e, std::initializer_list<std::array<double, 2>> points) {
  const digits_guard digits;
  const oracle::symbols s;
  const std::string text = to_string(e).str();
  const auto dx = d(e, x);
  const auto dy = d(e, y);
  const GiNaC::ex f = oracle::parse(s, text);
  const GiNaC::ex f_x = f.diff(s.x);
  const GiNaC::ex f_y = f.diff(s.y);
  const GiNaC::ex printed_x = oracle::parse(s, to_string(dx).str());
  const GiNaC::ex printed_y = oracle::parse(s, to_string(dy).str());
  const auto g = leibniz::gradient(e, x, y);
  for (const auto& p : points) {
    using L = long double;
    const double value = e(x = p[0], y = p[1]);
    const long double value_ld = e(x = L(p[0]), y = L(p[1]));
    const auto grad = g(x = p[0], y = p[1]);
    const auto grad_ld = g(x = L(p[0]), y = L(p[1]));
    const auto noise = [](double a, long double b) { return std::fabs(a - b); };
    compare("value", text, p[0], p[1], value, noise(value, value_ld), s, f);
    compare("d/dx", text, p[0], p[1], grad[0], noise(grad[0], grad_ld[0]), s, f_x);
    compare("d/dy", text, p[0], p[1], grad[1], noise(grad[1], grad_ld[1]), s, f_y);
    const double dx_value = dx(x = p[0], y = p[1]);
    const double dy_value = dy(x = p[0], y = p[1]);
    compare("printed d(e, x)", to_string(dx).str(), p[0], p[1], dx_value,
            noise(dx_value, dx(x = L(p[0]), y = L(p[1]))), s, printed_x);
    compare("printed d(e, y)", to_string(dy).str(), p[0], p[1], dy_value,
            noise(dy_value, dy(x = L(p[0]), y = L(p[1]))), s, printed_y);
  }
}

}  // namespace

TEST_CASE("arithmetic against GiNaC") {
  check_against_ginac(x + y, {{{0.5, -1.25}}, {{3, 7}}});
  check_against_ginac(x - y, {{{0.5, -1.25}}});
  check_against_ginac(x * y, {{{0.5, -1.25}}, {{-3, 1e-5}}});
  check_against_ginac(x / y, {{{0.5, -1.25}}, {{2, 1e-8}}});
  check_against_ginac(-x * y + 3_c * x - y / 2_c, {{{0.5, -1.25}}});
  check_against_ginac(0.1 * x + y * 2.5 - 1.75, {{{0.5, -1.25}}});
  check_against_ginac(x * leibniz::pi / y, {{{0.5, -1.25}}});
  check_against_ginac((x + y) * (x - y) / (x * y + 1_c), {{{0.5, -1.25}}, {{2, 3}}});
}

TEST_CASE("powers against GiNaC: exact exponents, negative bases, real roots") {
  check_against_ginac(leibniz::pow<2>(x) * y, {{{0.5, 2}}, {{-3, 2}}});
  check_against_ginac(leibniz::pow<3>(x) + y, {{{-1.5, 2}}, {{2, 2}}});
  check_against_ginac(leibniz::pow<-2>(x) * y, {{{-1.5, 2}}, {{0.25, 2}}});
  check_against_ginac(leibniz::pow<-3>(x - y), {{{-1.5, 2}}, {{4, 1}}});
  check_against_ginac(leibniz::sqrt(x) * y, {{{0.5, 2}}, {{1e-10, 2}}, {{1e6, 2}}});
  check_against_ginac(leibniz::cbrt(x) * y, {{{0.5, 2}}, {{-8, 2}}, {{-1e-9, 2}}});
  check_against_ginac(leibniz::pow<2, 3>(x) + y, {{{-8, 2}}, {{0.5, 2}}});
  check_against_ginac(leibniz::pow<-1, 3>(x) * y, {{{-8, 2}}, {{27, 2}}});
  check_against_ginac(leibniz::pow<5, 2>(x) * y, {{{0.5, 2}}, {{3, 2}}});
  check_against_ginac(leibniz::pow<-3, 2>(x) * y, {{{0.5, 2}}, {{3, 2}}});
  check_against_ginac(leibniz::pow(x, 2.5) * y, {{{0.5, 2}}, {{3, 2}}});
  check_against_ginac(leibniz::pow(x, -0.75) + y, {{{0.5, 2}}, {{3, 2}}});
  check_against_ginac(leibniz::pow(x, y), {{{0.5, 2}}, {{3, -1.5}}, {{1e-3, 0.5}}});
  check_against_ginac(leibniz::pow(2_c, x) * y, {{{0.5, 2}}, {{-3, 2}}});
  check_against_ginac(leibniz::pow(0.5, x * y), {{{0.5, 2}}, {{-3, 2}}});
  check_against_ginac(leibniz::pow(leibniz::sin(x) + 2_c, leibniz::cos(y)), {{{0.5, 2}}});
}

TEST_CASE("exponentials and logarithms against GiNaC") {
  check_against_ginac(leibniz::exp(x * y), {{{0.5, 2}}, {{-30, 2}}, {{10, 3}}});
  check_against_ginac(leibniz::expm1(x) * y, {{{0.5, 2}}, {{1e-9, 2}}, {{-20, 2}}});
  check_against_ginac(leibniz::log(x) * y, {{{0.5, 2}}, {{1e-300, 2}}, {{1e300, 2}}});
  check_against_ginac(leibniz::log(x * y), {{{0.5, 2}}, {{1e-8, 3}}});
  check_against_ginac(leibniz::log1p(x) * y, {{{0.5, 2}}, {{1e-12, 2}}, {{-0.999999, 2}}});
}

TEST_CASE("trigonometric functions against GiNaC") {
  check_against_ginac(leibniz::sin(x) * y, {{{0.5, 2}}, {{100, 2}}, {{1e-8, 2}}});
  check_against_ginac(leibniz::cos(x) * y, {{{0.5, 2}}, {{100, 2}}, {{1.5707963267948966, 2}}});
  check_against_ginac(leibniz::tan(x) * y, {{{0.5, 2}}, {{1.5707, 2}}, {{-1.57, 2}}});
  check_against_ginac(leibniz::asin(x) * y, {{{0.5, 2}}, {{0.999999, 2}}, {{-0.9999, 2}}});
  check_against_ginac(leibniz::acos(x) * y, {{{0.5, 2}}, {{0.999999, 2}}, {{-0.9999, 2}}});
  check_against_ginac(leibniz::atan(x) * y, {{{0.5, 2}}, {{1e8, 2}}, {{-3, 2}}});
  check_against_ginac(leibniz::sin(x * y) + leibniz::cos(x / y), {{{0.5, 2}}, {{-1.5, 0.75}}});
}

TEST_CASE("hyperbolic functions against GiNaC") {
  check_against_ginac(leibniz::sinh(x) * y, {{{0.5, 2}}, {{-20, 2}}});
  check_against_ginac(leibniz::cosh(x) * y, {{{0.5, 2}}, {{-20, 2}}});
  check_against_ginac(leibniz::tanh(x) * y, {{{0.5, 2}}, {{-3, 2}}, {{8, 2}}});
}

TEST_CASE("erf and the sigmoid against GiNaC") {
  check_against_ginac(leibniz::erf(x) * y, {{{0.5, 2}}, {{-2.5, 2}}, {{4, 2}}, {{1e-9, 2}}});
  check_against_ginac(leibniz::sigmoid(x) * y, {{{0.5, 2}}, {{-30, 2}}, {{10, 2}}});
}

TEST_CASE("abs, sign, step, min and max against GiNaC, away from their kinks") {
  check_against_ginac(leibniz::abs(x) * y, {{{0.5, 2}}, {{-3, 2}}});
  check_against_ginac(leibniz::abs(x - y), {{{0.5, 2}}, {{3, 2}}});
  check_against_ginac(leibniz::sign(x) * y, {{{0.5, 2}}, {{-3, 2}}});
  check_against_ginac(leibniz::step(x) * y + x, {{{0.5, 2}}, {{-3, 2}}});
  check_against_ginac(leibniz::min(x, y), {{{0.5, 2}}, {{3, 2}}});
  check_against_ginac(leibniz::max(x, y), {{{0.5, 2}}, {{3, 2}}});
  check_against_ginac(leibniz::max(x * y, leibniz::sin(y)) * x, {{{0.5, 2}}, {{-3, 2}}});
}

TEST_CASE("printed forms GiNaC must read: constants, signs, nested powers") {
  check_against_ginac(-x, {{{0.5, 2}}});
  check_against_ginac(-leibniz::pow<2>(x) + y, {{{0.5, 2}}});
  check_against_ginac(x - 2.5 * y, {{{0.5, 2}}});
  check_against_ginac(x * -2.5 + 1e-20 * y + 1e20, {{{0.5, 2}}});
  check_against_ginac(leibniz::pow(leibniz::pow(x, y), 2_c), {{{0.5, 2}}});
  check_against_ginac(leibniz::pow(x, leibniz::pow(y, 2_c)), {{{0.5, 2}}});
  check_against_ginac(leibniz::pow(x, -2.5 * y), {{{0.5, 2}}});
  check_against_ginac(leibniz::pow(x, y) * leibniz::pow(y, x) / (x + y), {{{0.5, 2}}});
  check_against_ginac(leibniz::exp(-leibniz::pow<2>(x)) / leibniz::sqrt(leibniz::pi), {{{0.5, 2}}});
  check_against_ginac(x * leibniz::constant<-3, 7> + y * leibniz::constant<1, 3>, {{{0.5, 2}}});
}

// ---------------------------------------------------------------- the random corpus

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

/// One line of a corpus dump: seed, expression, point, and triples (double, tape, long
/// double reference) for f and each derivative.
struct record {
  std::string seed;
  std::string text;
  std::array<double, 3> point{};
  std::vector<std::array<long double, 3>> triples;
};

record read_record(const std::string& line) {
  const std::vector<std::string> fields = split(line, '\t');
  REQUIRE(fields.size() == 4);
  record r;
  r.seed = fields[0];
  r.text = fields[1];
  std::istringstream point(fields[2]);
  for (double& v : r.point) {
    std::string word;
    point >> word;
    v = std::strtod(word.c_str(), nullptr);
  }
  std::istringstream numbers(fields[3]);
  std::string a;
  std::string b;
  std::string c;
  while (numbers >> a >> b >> c)
    r.triples.push_back({std::strtod(a.c_str(), nullptr), std::strtod(b.c_str(), nullptr),
                         std::strtold(c.c_str(), nullptr)});
  REQUIRE(r.triples.size() == 4);
  return r;
}

}  // namespace

TEST_CASE("the random corpus against GiNaC") {
  const char* executables = std::getenv("LEIBNIZ_CORPUS_EXES");
  if (executables == nullptr || *executables == '\0') {
    MESSAGE("LEIBNIZ_CORPUS_EXES is not set: no corpus to check");
    return;
  }
  const std::string dump = "oracle_corpus_dump.txt";
  std::remove(dump.c_str());
  for (const std::string& exe : split(executables, ':')) {
    const std::string command = "LEIBNIZ_ORACLE_DUMP=" + dump + " '" + exe + "' > /dev/null";
    INFO(command);
    REQUIRE(std::system(command.c_str()) == 0);
  }

  const digits_guard digits;
  const oracle::symbols s;
  std::ifstream in(dump);
  std::string line;
  std::size_t points = 0;
  std::map<std::string, std::array<GiNaC::ex, 4>> parsed;  // expression and its derivatives
  while (std::getline(in, line)) {
    const record r = read_record(line);
    auto found = parsed.find(r.text);
    if (found == parsed.end()) {
      const GiNaC::ex f = oracle::parse(s, r.text);
      found =
          parsed.emplace(r.text, std::array<GiNaC::ex, 4>{f, f.diff(s.x), f.diff(s.y), f.diff(s.z)})
              .first;
    }
    ++points;
    for (std::size_t i = 0; i < 4; ++i) {
      std::string why;
      const std::optional<double> g =
          oracle::evaluate(s, found->second[i], r.point[0], r.point[1], r.point[2], &why);
      const std::string what = i == 0 ? "value" : std::string("d/d") + "xyz"[i - 1];
      INFO("seed " << r.seed << ": " << what << " of " << r.text << " at x = " << hex(r.point[0])
                   << ", y = " << hex(r.point[1]) << ", z = " << hex(r.point[2]));
      if (!g) {
        FAIL_CHECK("GiNaC gives no real number: " << why);
        continue;
      }
      // Not a structured binding: clang 14 cannot capture one in INFO's lambda.
      const long double value = r.triples[i][0];
      const long double tape = r.triples[i][1];
      const long double reference = r.triples[i][2];
      const long double noise = std::fabs(value - reference);
      INFO("leibniz " << hex(static_cast<double>(value)) << " (tape "
                      << hex(static_cast<double>(tape)) << "), GiNaC " << hex(*g)
                      << ", leibniz's noise " << static_cast<double>(noise));
      CHECK(agrees(static_cast<double>(value), *g, noise));
      CHECK(agrees(static_cast<double>(tape), *g, noise));
    }
  }
  MESSAGE(points << " points of " << parsed.size() << " random expressions checked against GiNaC");
  CHECK(points > 0);
}
