// tests/static/canonical_form.cpp
// The canonical form: each law is one line, and equal expressions are the same type.
#include <leibniz/leibniz.hpp>

#include <type_traits>

namespace {

using namespace leibniz::literals;
using leibniz::constant;
using leibniz::exact;
using leibniz::rational;

constexpr leibniz::variable<"x"> x;
constexpr leibniz::variable<"y"> y;
constexpr leibniz::variable<"z"> z;

template <class A, class B>
constexpr bool same(const A&, const B&) {
  return std::is_same_v<A, B>;
}

// Different names are different types; a name is one type.
static_assert(!same(x, y));
static_assert(same(x, leibniz::variable<"x">{}));

// Exact constants fold.
static_assert(same(constant<2> * constant<3>, constant<6>));
static_assert(same(constant<1, 2> + constant<1, 3>, constant<5, 6>));
static_assert(same(2_c * 3_c - 1_c, constant<5>));
static_assert(same(constant<4, 6>, constant<2, 3>));  // rationals in lowest terms
static_assert(same(leibniz::pow(constant<2, 3>, 3_c), constant<8, 27>));
static_assert(same(leibniz::sqrt(constant<4, 9>), constant<2, 3>));
static_assert(same(leibniz::pow(constant<8>, constant<2, 3>), constant<4>));
static_assert(!same(leibniz::sqrt(constant<2>), constant<1>));  // sqrt(2) stays symbolic

// 0 and 1.
static_assert(same(x + 0_c, x));
static_assert(same(0_c + x, x));
static_assert(same(x * 1_c, x));
static_assert(same(x * 0_c, constant<0>));
static_assert(same(x - x, constant<0>));
static_assert(same(x / x, constant<1>));
static_assert(same(leibniz::pow(x, 0_c), constant<1>));
static_assert(same(leibniz::pow(x, 1_c), x));
static_assert(same(-(-x), x));

// Functions at exact points.
static_assert(same(leibniz::sin(0_c), constant<0>));
static_assert(same(leibniz::cos(0_c), constant<1>));
static_assert(same(leibniz::exp(0_c), constant<1>));
static_assert(same(leibniz::log(1_c), constant<0>));
static_assert(same(leibniz::sigmoid(0_c), constant<1, 2>));
static_assert(same(leibniz::abs(constant<-3, 2>), constant<3, 2>));
static_assert(same(leibniz::max(constant<2>, constant<3>), constant<3>));

// Like terms and like factors collect.
static_assert(same(x + x, 2_c * x));
static_assert(same(x * x, leibniz::pow<2>(x)));
static_assert(same(2_c * x + 3_c * x, 5_c * x));
static_assert(same(x * x * x, leibniz::pow(x, 3_c)));
static_assert(same(leibniz::pow<2>(x) / x, x));
static_assert(same(leibniz::sqrt(x) * leibniz::sqrt(x), x));
static_assert(same(leibniz::pow<2>(leibniz::pow<3>(x)), leibniz::pow<6>(x)));
static_assert(same(leibniz::pow<2>(x * y), leibniz::pow<2>(x) * leibniz::pow<2>(y)));
static_assert(same((x + y) - (x - y), 2_c * y));
static_assert(same(2_c * (x + y), 2_c * x + 2_c * y));  // numbers spread over sums
static_assert(same(leibniz::sin(x) + leibniz::sin(x), 2_c * leibniz::sin(x)));

// A sum that is a factor gives its positive content to the coefficient: sums equal up to a
// positive number are one base, and terms with them collect. Signs stay (y - x is not
// -(x - y)), and run-time coefficients are left alone.
static_assert(same((2_c * x + 2_c) * (x + 1_c), 2_c * leibniz::pow<2>(x + 1_c)));
static_assert(same(x * (2_c * y + 4_c * z) + x * (y + 2_c * z), 3_c * x * (y + 2_c * z)));
static_assert(same(1_c / (2_c * x + 2_c), constant<1, 2> / (x + 1_c)));
static_assert(same((x / 2_c + y / 2_c) * z, z*(x + y) / 2_c));
static_assert(same(leibniz::pow<-2>(3_c * x - 3_c * y), constant<1, 9> / leibniz::pow<2>(x - y)));
static_assert(!same((y - x) * z, -((x - y) * z)));

// Commutative operands sort: x*y and y*x are one type.
static_assert(same(x * y, y* x));
static_assert(same(x + y, y + x));
static_assert(same(x * y * z, z* x* y));
static_assert(same(leibniz::sin(x) * y, y* leibniz::sin(x)));

// Run-time numbers are held by value; terms with them are never collected by type.
static_assert(!same(leibniz::sin(2.0 * x) + leibniz::sin(3.0 * x), 2_c * leibniz::sin(2.0 * x)));
static_assert((leibniz::sin(2.0 * x) + leibniz::sin(3.0 * x))(x = 0.5) ==
              leibniz::math::sin(1.0) + leibniz::math::sin(1.5));
static_assert((2.0 * x + 3.0 * x)(x = 1.0) == 5.0);  // the same rest: coefficients add

// Laws checked for every pair and triple of a corpus: commutativity and associativity
// reach the same type whatever the order of building (no two rules undo each other).
constexpr auto corpus =
    std::tuple{x, y, 2_c * x, leibniz::pow<2>(x), leibniz::sin(x* y), x + y, 2_c * y + 2_c};

template <std::size_t I>
using corpus_t = std::tuple_element_t<I, std::remove_const_t<decltype(corpus)>>;

template <class A, class B, class C>
struct laws {
  // Types only: nothing is evaluated, so the check costs no constexpr steps.
  static const A& a;
  static const B& b;
  static const C& c;
  static constexpr bool hold = std::is_same_v<decltype(a + b), decltype(b + a)> &&
                               std::is_same_v<decltype(a * b), decltype(b * a)> &&
                               std::is_same_v<decltype((a + b) + c), decltype(a + (b + c))> &&
                               std::is_same_v<decltype((a * b) * c), decltype(a * (b * c))> &&
                               std::is_same_v<decltype(a + b - b), A> &&
                               std::is_same_v<decltype(a * b / b), A>;
};

template <std::size_t I, std::size_t J, std::size_t K>
constexpr bool laws_hold() {
  return laws<corpus_t<I>, corpus_t<J>, corpus_t<K>>::hold;
}

constexpr std::size_t corpus_size = std::tuple_size_v<decltype(corpus)>;

/// The laws for a fixed first operand I and every pair after it (one fold per I: clang++
/// limits a fold to 256 operands).
template <std::size_t I, std::size_t... N>
constexpr bool laws_hold_from(std::index_sequence<N...>) {
  return (laws_hold<I, N / corpus_size, N % corpus_size>() && ...);
}

template <std::size_t... I>
constexpr bool laws_hold_everywhere(std::index_sequence<I...>) {
  return (laws_hold_from<I>(std::make_index_sequence<corpus_size * corpus_size>{}) && ...);
}

static_assert(laws_hold_everywhere(std::make_index_sequence<corpus_size>{}));

}  // namespace
