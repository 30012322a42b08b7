// leibniz/io/printer.hpp
// Expressions as conventional text: precedence, no needless parentheses, subtraction and
// division where the canonical form has negative coefficients and exponents. One printer,
// two styles: plain (x^2 + 2*x/y, which GiNaC can read back) and LaTeX.
#pragma once

#include <leibniz/core/canonical.hpp>
#include <leibniz/core/reduction.hpp>
#include <leibniz/io/number_format.hpp>
#include <leibniz/ops/ops.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace leibniz::detail {

/// How tightly an expression binds; a context that asks for more gets parentheses.
enum class precedence : int { sum = 1, product = 2, power = 3, atom = 4 };

/// Plain text: x^2 + 2*x*y, sqrt(x), sin(x)/2.
struct plain_style {
  static constexpr std::string_view open = "(";
  static constexpr std::string_view close = ")";
  static constexpr std::string_view times = "*";
  static constexpr bool fractions = false;
  static constexpr std::string_view function_name(std::string_view name) { return name; }
};

/// LaTeX: x^{2} + 2 x y, \sqrt{x}, \frac{\sin\left(x\right)}{2}.
struct latex_style {
  static constexpr std::string_view open = "\\left(";
  static constexpr std::string_view close = "\\right)";
  static constexpr std::string_view times = " ";
  static constexpr bool fractions = true;
  static constexpr std::string_view function_name(std::string_view name) {
    constexpr std::string_view known[][2] = {{"sin", "\\sin"},
                                             {"cos", "\\cos"},
                                             {"tan", "\\tan"},
                                             {"asin", "\\arcsin"},
                                             {"acos", "\\arccos"},
                                             {"atan", "\\arctan"},
                                             {"sinh", "\\sinh"},
                                             {"cosh", "\\cosh"},
                                             {"tanh", "\\tanh"},
                                             {"exp", "\\exp"},
                                             {"log", "\\log"},
                                             {"min", "\\min"},
                                             {"max", "\\max"},
                                             {"erf", "\\operatorname{erf}"},
                                             {"expm1", "\\operatorname{expm1}"},
                                             {"log1p", "\\operatorname{log1p}"},
                                             {"sigmoid", "\\sigma"},
                                             {"sign", "\\operatorname{sgn}"},
                                             {"step", "\\theta"}};
    for (const auto& k : known)
      if (k[0] == name) return k[1];
    return name;
  }
};

inline constexpr std::string_view greek_letters[] = {
    "alpha", "beta",    "gamma",  "delta", "epsilon", "zeta",  "eta",   "theta",
    "iota",  "kappa",   "lambda", "mu",    "nu",      "xi",    "rho",   "sigma",
    "tau",   "upsilon", "phi",    "chi",   "psi",     "omega", "Gamma", "Delta",
    "Theta", "Lambda",  "Xi",     "Pi",    "Sigma",   "Phi",   "Psi",   "Omega"};

template <class Style, class Sink>
struct printer {
  Sink& out;

  constexpr void put(std::string_view s) { out.put(s); }
  template <class T>
  constexpr void number(const T& value) {
    if constexpr (requires { Sink::counts_only; })
      out.put_number({});  // a bound on the length needs no digits
    else
      out.put_number(format_number(value).view());
  }

  // ------------------------------------------------------------ precedence of each kind

  template <class E>
  static constexpr precedence precedence_of(const E& e) {
    if constexpr (is_exact_constant<E>) {
      return E::value.is_integer() && !E::value.is_negative() ? precedence::atom
                                                              : precedence::product;
    } else if constexpr (is_literal<E>) {
      return is_negative_number(e.value) ? precedence::product : precedence::atom;
    } else if constexpr (is_variable<E> || is_named_constant<E> || is_index<E> || is_element<E> ||
                         is_size_of<E> || is_reduction<E>) {
      return precedence::atom;
    } else if constexpr (is_sum<E>) {
      return precedence::sum;
    } else if constexpr (is_product<E>) {
      return precedence::product;
    } else if constexpr (is_power_node<E>) {
      constexpr rational p = factor_traits<E>::exponent;
      if constexpr (p.is_negative())
        return precedence::product;
      else if constexpr (p == rational{1, 2} || p == rational{1, 3})
        return precedence::atom;
      else
        return precedence::power;
    } else if constexpr (is_node_of<E, pow_op>) {
      return precedence::power;
    } else {
      return precedence::atom;
    }
  }

  template <class E>
  constexpr void print(const E& e, precedence context) {
    const bool wrap = precedence_of(e) < context;
    if (wrap) put(Style::open);
    print_bare(e);
    if (wrap) put(Style::close);
  }

  // ------------------------------------------------------------ each kind

  template <class E>
  constexpr void print_bare(const E& e) {
    if constexpr (is_exact_constant<E>) {
      print_rational(E::value);
    } else if constexpr (is_literal<E>) {
      number(e.value);
    } else if constexpr (is_variable<E> || is_index<E>) {
      print_name(E::name);
    } else if constexpr (is_element<E>) {
      print_element(E::vector_name, E::index_name, E::offset);
    } else if constexpr (is_size_of<E>) {
      print_size(E::vector_name);
    } else if constexpr (is_reduction<E>) {
      print_reduction(e);
    } else if constexpr (is_named_constant<E>) {
      if constexpr (Style::fractions) put("\\");
      put(E::name);
    } else if constexpr (is_sum<E>) {
      print_sum(e);
    } else if constexpr (is_product<E> ||
                         (is_power_node<E> && factor_traits<E>::exponent.is_negative())) {
      print_product(e);
    } else if constexpr (is_power_node<E>) {
      print_power(std::get<0>(e.args), factor_traits<E>::exponent);
    } else if constexpr (is_node_of<E, pow_op>) {
      print(std::get<0>(e.args), precedence::atom);
      put("^");
      if constexpr (Style::fractions) {
        put("{");
        print(std::get<1>(e.args), precedence::sum);
        put("}");
      } else {
        print(std::get<1>(e.args), precedence::atom);
      }
    } else {
      print_function(e);
    }
  }

  constexpr void print_rational(rational q) {
    if (q.is_integer()) {
      number(q.num);
    } else if constexpr (Style::fractions) {
      if (q.is_negative()) put("-");
      put("\\frac{");
      number(q.num < 0 ? -q.num : q.num);
      put("}{");
      number(q.den);
      put("}");
    } else {
      number(q.num);
      put("/");
      number(q.den);
    }
  }

  constexpr void print_name(std::string_view name) {
    if constexpr (Style::fractions) {
      for (std::string_view g : greek_letters) {
        if (g == name) {
          put("\\");
          put(name);
          return;
        }
      }
      if (name.size() > 1) {
        put("\\mathrm{");
        put(name);
        put("}");
        return;
      }
    }
    put(name);
  }

  constexpr void print_offset(std::intmax_t offset) {
    if (offset > 0) {
      put(Style::fractions ? "+" : " + ");
      number(offset);
    } else if (offset < 0) {
      put(Style::fractions ? "-" : " - ");
      number(-offset);
    }
  }

  /// x[i + 1], or x_{i+1} in LaTeX.
  constexpr void print_element(std::string_view vector, std::string_view index,
                               std::intmax_t offset) {
    print_name(vector);
    put(Style::fractions ? "_{" : "[");
    print_name(index);
    print_offset(offset);
    put(Style::fractions ? "}" : "]");
  }

  /// size(x), or n_{x} in LaTeX.
  constexpr void print_size(std::string_view vector) {
    put(Style::fractions ? "n_{" : "size(");
    print_name(vector);
    put(Style::fractions ? "}" : ")");
  }

  /// sum(i < size(x) - 1, body), or \sum_{i=0}^{n_{x}-2} body in LaTeX.
  template <fixed_string I, fixed_string V, std::intmax_t Lo, std::intmax_t Hi, class Body>
  constexpr void print_reduction(const node<sum_over_op<I, V, Lo, Hi>, Body>& e) {
    if constexpr (Style::fractions) {
      put("\\sum_{");
      print_name(I.view());
      put("=");
      number(Lo);
      put("}^{");
      print_size(V.view());
      print_offset(Hi - 1);
      put("} ");
      print(std::get<0>(e.args), precedence::product);
    } else {
      put("sum(");
      if (Lo != 0) {
        number(Lo);
        put(" <= ");
      }
      print_name(I.view());
      put(" < ");
      print_size(V.view());
      print_offset(Hi);
      put(", ");
      print(std::get<0>(e.args), precedence::sum);
      put(")");
    }
  }

  /// The terms in the canonical order, but for a leading negative term: the first positive
  /// one goes in front, as one writes 1 - x^2 and y - x rather than -x^2 + 1 and -x + y.
  template <class... T>
  constexpr void print_sum(const node<sum_op, T...>& s) {
    std::apply(
        [&](const auto&... term) {
          const bool negative[] = {coefficient_is_negative(coefficient_of(term))...};
          std::size_t lead = 0;
          while (lead < sizeof...(T) && negative[lead]) ++lead;
          if (lead == sizeof...(T)) lead = 0;  // all negative: -x - y
          std::size_t i = 0;
          ((i++ == lead ? print_term(term, true) : void()), ...);
          i = 0;
          ((i++ != lead ? print_term(term, false) : void()), ...);
        },
        s.args);
  }

  /// A term of a sum: " - 2*x" rather than " + -2*x".
  template <class T>
  constexpr void print_term(const T& t, bool first) {
    const auto c = coefficient_of(t);
    if (coefficient_is_negative(c)) {
      put(first ? "-" : " - ");
      print(with_coefficient(multiply_coefficients(exact<rational{-1}>{}, c), rest_of(t)),
            precedence::product);
    } else {
      if (!first) put(" + ");
      print(t, precedence::sum);
    }
  }

  template <class C>
  static constexpr bool coefficient_is_negative(const C& c) {
    if constexpr (is_exact_constant<C>)
      return C::value.is_negative();
    else
      return is_negative_number(c.value);
  }

  /// A product as numerator / denominator: factors with negative exponents go below.
  template <class E>
  constexpr void print_product(const E& e) {
    const auto c = coefficient_of(e);
    const auto factors = factors_of(e);
    if (coefficient_is_negative(c)) put("-");
    const auto magnitude = multiply_coefficients(
        exact<rational{coefficient_is_negative_type<decltype(c)>() ? -1 : 1}>{}, c);

    constexpr bool has_denominator =
        denominator_count(static_cast<std::remove_cvref_t<decltype(factors)>*>(nullptr)) > 0 ||
        !coefficient_denominator_is_one<decltype(c)>();
    if constexpr (Style::fractions && has_denominator) {
      put("\\frac{");
      print_numerator(magnitude, factors);
      put("}{");
      print_denominator(magnitude, factors, false);
      put("}");
    } else {
      print_numerator(magnitude, factors);
      if constexpr (has_denominator) {
        put("/");
        print_denominator(magnitude, factors, true);
      }
    }
  }

  template <class C>
  static constexpr bool coefficient_is_negative_type() {
    if constexpr (is_exact_constant<C>)
      return C::value.is_negative();
    else
      return false;  // a literal's sign is taken at run time, in its value
  }

  template <class C>
  static constexpr bool coefficient_denominator_is_one() {
    if constexpr (is_exact_constant<C>)
      return C::value.den == 1;
    else
      return true;
  }

  template <class F>
  static constexpr bool is_denominator_factor =
      is_power_node<F>&& factor_traits<F>::exponent.is_negative();

  template <class... F>
  static constexpr std::size_t denominator_count(std::tuple<F...>*) {
    return (std::size_t{0} + ... + (is_denominator_factor<F> ? 1 : 0));
  }

  template <class C, class... F>
  constexpr void print_numerator(const C& c, const std::tuple<F...>& factors) {
    bool first = true;
    const auto separate = [&] {
      if (!first) put(Style::times);
      first = false;
    };
    constexpr std::size_t numerator_factors =
        sizeof...(F) - denominator_count(static_cast<std::tuple<F...>*>(nullptr));
    if constexpr (is_literal<C>) {
      // A run-time coefficient that came out as 1 ((2*x)/2) is not shown, as an exact 1 is not.
      const auto magnitude = c.value < 0 ? -c.value : c.value;
      if (numerator_factors == 0 || magnitude != 1) {
        separate();
        number(magnitude);
      }
    } else if constexpr (C::value.num != 1) {
      separate();
      number(C::value.num);
    }
    std::apply(
        [&](const auto&... f) {
          (
              [&] {
                if constexpr (!is_denominator_factor<std::remove_cvref_t<decltype(f)>>) {
                  separate();
                  print(f, precedence::power);
                }
              }(),
              ...);
        },
        factors);
    if (first) put("1");
  }

  template <class C, class... F>
  constexpr void print_denominator(const C& /*c*/, const std::tuple<F...>& factors, bool wrap) {
    constexpr std::size_t parts = (coefficient_denominator_is_one<C>() ? 0 : 1) +
                                  denominator_count(static_cast<std::tuple<F...>*>(nullptr));
    bool first = true;
    const auto separate = [&] {
      if (!first) put(Style::times);
      first = false;
    };
    if (wrap && parts > 1) put(Style::open);
    if constexpr (!coefficient_denominator_is_one<C>()) {
      separate();
      number(C::value.den);
    }
    std::apply(
        [&](const auto&... f) {
          (
              [&] {
                using factor = std::remove_cvref_t<decltype(f)>;
                if constexpr (is_denominator_factor<factor>) {
                  separate();
                  const auto& base = std::get<0>(f.args);
                  constexpr rational p = -factor_traits<factor>::exponent;
                  if constexpr (p.is_one())
                    print(base, (wrap && parts == 1) ? precedence::power : precedence::product);
                  else
                    print(node<power_op<p>, std::remove_cvref_t<decltype(base)>>{base},
                          (wrap && parts == 1) ? precedence::power : precedence::product);
                }
              }(),
              ...);
        },
        factors);
    if (wrap && parts > 1) put(Style::close);
  }

  template <class B>
  constexpr void print_power(const B& base, rational p) {
    if (p == rational{1, 2}) {
      put(Style::fractions ? "\\sqrt{" : "sqrt(");
      print(base, precedence::sum);
      put(Style::fractions ? "}" : ")");
    } else if (p == rational{1, 3}) {
      put(Style::fractions ? "\\sqrt[3]{" : "cbrt(");
      print(base, precedence::sum);
      put(Style::fractions ? "}" : ")");
    } else {
      print(base, precedence::atom);
      put("^");
      if constexpr (Style::fractions) {
        put("{");
        print_rational(p);
        put("}");
      } else if (p.is_integer()) {
        number(p.num);
      } else {
        put("(");
        print_rational(p);
        put(")");
      }
    }
  }

  template <class Op, class... A>
  constexpr void print_function(const node<Op, A...>& e) {
    if constexpr (Style::fractions && std::is_same_v<Op, abs_op>) {
      put("\\left|");
      print(std::get<0>(e.args), precedence::sum);
      put("\\right|");
    } else {
      put(Style::function_name(Op::name));
      put(Style::open);
      bool first = true;
      std::apply(
          [&](const auto&... a) {
            ((put(std::exchange(first, false) ? "" : ", "), print(a, precedence::sum)), ...);
          },
          e.args);
      put(Style::close);
    }
  }
};

}  // namespace leibniz::detail
