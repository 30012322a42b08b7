// leibniz/core/functions.hpp
// The names users call -- sin(x), pow(x, y), x + y -- each forwarding to its op through call<Op>.
// One spelling for numbers, static expressions and tape variables; the ops are in ops/.
#pragma once

#include <leibniz/core/constant.hpp>
#include <leibniz/core/dispatch.hpp>
#include <leibniz/core/variable.hpp>

namespace leibniz {

// The op table (ops/): each op is the whole truth about one function.
struct sum_op;
struct sub_op;
struct neg_op;
struct product_op;
struct div_op;
template <rational P>
struct power_op;
struct pow_op;
struct exp_op;
struct expm1_op;
struct log_op;
struct log1p_op;
struct sin_op;
struct cos_op;
struct tan_op;
struct asin_op;
struct acos_op;
struct atan_op;
struct sinh_op;
struct cosh_op;
struct tanh_op;
struct erf_op;
struct sigmoid_op;
struct abs_op;
struct sign_op;
struct step_op;
struct min_op;
struct max_op;

/// Anything an op can take: a number, a static expression, or a number-like scalar.
template <class T>
concept Operand = detail::StaticOperand<T> || Scalar<T>;

// Operators on static expressions. Numbers meet expressions as literals; tape variables
// define their own operators in leibniz::tape.
template <class A, class B>
concept StaticOperands = detail::StaticOperand<A> && detail::StaticOperand<B> &&
    (Expression<A> || Expression<B>);

template <class A, class B>
requires StaticOperands<A, B>
constexpr auto operator+(const A& a, const B& b) { return call<sum_op>(a, b); }
template <class A, class B>
requires StaticOperands<A, B>
constexpr auto operator-(const A& a, const B& b) { return call<sub_op>(a, b); }
template <class A, class B>
requires StaticOperands<A, B>
constexpr auto operator*(const A& a, const B& b) { return call<product_op>(a, b); }
template <class A, class B>
requires StaticOperands<A, B>
constexpr auto operator/(const A& a, const B& b) { return call<div_op>(a, b); }
template <Expression A>
constexpr auto operator-(const A& a) {
  return call<neg_op>(a);
}
template <Expression A>
constexpr auto operator+(const A& a) {
  return a;
}

/// u^P for an exponent known exactly: `pow(x, 2_c)`, `pow(x, constant<1, 3>)`.
template <Operand U, rational P>
constexpr auto pow(const U& u, exact<P>) {
  return call<power_op<P>>(u);
}
/// u^v for any exponent: a number known at run time, or an expression.
template <Operand U, Operand V>
requires(!is_exact_constant<V>) constexpr auto pow(const U& u, const V& v) {
  return call<pow_op>(u, v);
}
/// u^(N/D) with the exponent as template arguments: `pow<2>(x)`, `pow<1, 3>(x)`.
template <std::intmax_t N, std::intmax_t D = 1, Operand U>
constexpr auto pow(const U& u) {
  return call<power_op<rational{N, D}>>(u);
}

template <Operand U>
constexpr auto sqrt(const U& u) {
  return call<power_op<rational{1, 2}>>(u);
}
template <Operand U>
constexpr auto cbrt(const U& u) {
  return call<power_op<rational{1, 3}>>(u);
}

template <Operand U>
constexpr auto exp(const U& u) {
  return call<exp_op>(u);
}
template <Operand U>
constexpr auto expm1(const U& u) {
  return call<expm1_op>(u);
}
template <Operand U>
constexpr auto log(const U& u) {
  return call<log_op>(u);
}
template <Operand U>
constexpr auto log1p(const U& u) {
  return call<log1p_op>(u);
}
template <Operand U>
constexpr auto sin(const U& u) {
  return call<sin_op>(u);
}
template <Operand U>
constexpr auto cos(const U& u) {
  return call<cos_op>(u);
}
template <Operand U>
constexpr auto tan(const U& u) {
  return call<tan_op>(u);
}
template <Operand U>
constexpr auto asin(const U& u) {
  return call<asin_op>(u);
}
template <Operand U>
constexpr auto acos(const U& u) {
  return call<acos_op>(u);
}
template <Operand U>
constexpr auto atan(const U& u) {
  return call<atan_op>(u);
}
template <Operand U>
constexpr auto sinh(const U& u) {
  return call<sinh_op>(u);
}
template <Operand U>
constexpr auto cosh(const U& u) {
  return call<cosh_op>(u);
}
template <Operand U>
constexpr auto tanh(const U& u) {
  return call<tanh_op>(u);
}
template <Operand U>
constexpr auto erf(const U& u) {
  return call<erf_op>(u);
}
/// 1 / (1 + exp(-u)), computed without overflow.
template <Operand U>
constexpr auto sigmoid(const U& u) {
  return call<sigmoid_op>(u);
}
template <Operand U>
constexpr auto abs(const U& u) {
  return call<abs_op>(u);
}
/// -1, 0 or 1: the derivative of abs (so abs'(0) = 0, as in PyTorch).
template <Operand U>
constexpr auto sign(const U& u) {
  return call<sign_op>(u);
}
/// The Heaviside step: 0 below zero, 1 above, 1/2 at zero (so min and max split ties evenly).
template <Operand U>
constexpr auto step(const U& u) {
  return call<step_op>(u);
}
template <Operand A, Operand B>
constexpr auto min(const A& a, const B& b) {
  return call<min_op>(a, b);
}
template <Operand A, Operand B>
constexpr auto max(const A& a, const B& b) {
  return call<max_op>(a, b);
}

}  // namespace leibniz
