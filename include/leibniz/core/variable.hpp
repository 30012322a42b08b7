// leibniz/core/variable.hpp
// variable<"x">, and the binding `x = 2.0` that gives it a value for one evaluation.
#pragma once

#include <leibniz/core/expression.hpp>

#include <concepts>
#include <string_view>
#include <type_traits>
#include <utility>

namespace leibniz {

/// A value a variable can be bound to: a number, or a type that computes like one (a tape
/// variable, a dual number): it adds, multiplies and divides with double.
template <class T>
concept Scalar = Number<T> ||
    (!Expression<T> && std::copy_constructible<T> && requires(const T& a, double c) {
      a + c;
      a* c;
      a / c;
      -a;
    });

/// What a binding holds when it was given something that is not a number; evaluation then
/// stops quietly, after the static_assert that said so.
struct not_a_number {};

/// Types that a binding of a named value refers to instead of copying: handles whose copy
/// has a cost (a tape::var counts its handles). A temporary is still moved into the binding.
/// Such a binding is meant to be used in the statement that makes it, `e(x = v)`, as
/// std::ref is: kept longer, it sees later assignments to v and must not outlive v.
template <class T>
inline constexpr bool binds_by_reference = false;

/// What a binding holds for a value of type T: T, or the type T stands for (a tape statement,
/// `x = v * v`, binds the var it records).
template <class T>
struct bound_type {
  using type = T;
};

/// `x = 2.0`: the value of the variable named Name for one evaluation.
template <fixed_string Name, class T>
struct binding {
  static constexpr std::string_view name = Name.view();
  static constexpr int kind = 0;  // a value (see eval/bindings.hpp)
  T value;
};

namespace detail {
/// Any type but V (a variable's binding operator must not take over its copy assignment).
template <class T, class V>
concept other_than = !std::same_as<std::remove_cvref_t<T>, V>;

/// What `x = value` holds, for value of type T as forwarded.
template <class T, class D = std::remove_cvref_t<T>>
using bound_value_t =
    std::conditional_t<binds_by_reference<D> && std::is_lvalue_reference_v<T>, const D&,
                       std::conditional_t<Scalar<D>, typename bound_type<D>::type, not_a_number>>;
}  // namespace detail

template <fixed_string Name>
struct variable : expression_base<variable<Name>> {
  static constexpr std::string_view name = Name.view();
  static constexpr fixed_string symbol = Name;

  /// Binds a value: `e(x = 2.0)`. Only numbers (and number-like types) can be bound.
  template <detail::other_than<variable> T>
  constexpr binding<Name, detail::bound_value_t<T>> operator=(
      T&& value) const {  // NOLINT(misc-unconventional-assign-operator)
    static_assert(Scalar<std::remove_cvref_t<T>>,
                  "leibniz: a variable can only be bound to a number (an arithmetic type, "
                  "std::complex, or a number-like type such as leibniz::tape::var)");
    if constexpr (Scalar<std::remove_cvref_t<T>>)
      return {std::forward<T>(value)};
    else
      return {};
  }
};

namespace detail {
template <class T>
struct is_binding_impl : std::false_type {};
template <fixed_string N, class T>
struct is_binding_impl<binding<N, T>> : std::true_type {};
}  // namespace detail

template <class T>
inline constexpr bool is_binding = detail::is_binding_impl<std::remove_cvref_t<T>>::value;

}  // namespace leibniz
