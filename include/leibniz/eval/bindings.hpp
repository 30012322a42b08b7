// leibniz/eval/bindings.hpp
// Finding a variable's value among the bindings of a call, e(x = 2.0, y = 3.0), and the
// scalar type the evaluation computes in.
#pragma once

#include <leibniz/core/expression.hpp>
#include <leibniz/core/variable.hpp>
#include <leibniz/core/vector.hpp>

#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace leibniz {
namespace detail {

template <char... Name>
inline constexpr bool always_false_for_name = false;

/// Instantiated only when a variable has no value: the compiler shows its name spelled out
/// in the template arguments, e.g. `no_value_bound_for_variable<'y'>`.
template <char... Name>
struct no_value_bound_for_variable {
  static_assert(always_false_for_name<Name...>,
                "leibniz: a variable of the expression has no value; bind every variable the "
                "expression mentions, e.g. e(x = 2.0, y = 3.0) -- the missing variable's name is "
                "spelled out in no_value_bound_for_variable<...> here");
  static constexpr std::size_t index = 0;
};

template <fixed_string Name, std::size_t... I>
consteval auto spelled_out(std::index_sequence<I...>) {
  return no_value_bound_for_variable<Name.data[I]...>{};
}

/// The position of the binding of kind Kind for Name among the bindings B...: kind 0 is a
/// value (`x = 2.0`, `x = some_vector`), 1 an output (`into(x) = g`), 2 a sum's index.
template <fixed_string Name, class... B>
consteval std::size_t binding_index(int kind = 0) {
  constexpr std::array<std::string_view, sizeof...(B) + 1> names{std::remove_cvref_t<B>::name...,
                                                                 ""};
  constexpr std::array<int, sizeof...(B) + 1> kinds{std::remove_cvref_t<B>::kind..., -1};
  std::array<bool, sizeof...(B) + 1> match{};
  for (std::size_t i = 0; i < sizeof...(B); ++i)
    match[i] = names[i] == Name.view() && kinds[i] == kind;
  for (std::size_t i = 0; i < sizeof...(B); ++i)
    if (match[i]) return i;
  return sizeof...(B);
}

/// Whether Name has a binding of the given kind among B...
template <fixed_string Name, int Kind, class... B>
inline constexpr bool has_binding = binding_index<Name, B...>(Kind) < sizeof...(B);

/// The binding of kind Kind for Name (which must exist).
template <fixed_string Name, int Kind, class... B>
constexpr const auto& binding_of(const B&... bindings) {
  return std::get<binding_index<Name, B...>(Kind)>(std::tie(bindings...));
}

template <fixed_string Name, class... B>
constexpr const auto& bound_value(const B&... bindings) {
  constexpr std::size_t index = binding_index<Name, B...>();
  if constexpr (index == sizeof...(B)) {
    using missing = decltype(spelled_out<Name>(std::make_index_sequence<Name.size()>{}));
    return missing::index;
  } else {
    return std::get<index>(std::tie(bindings...)).value;
  }
}

template <class... B>
consteval bool names_are_distinct() {
  constexpr std::array<std::string_view, sizeof...(B) + 1> names{std::remove_cvref_t<B>::name...,
                                                                 ""};
  constexpr std::array<int, sizeof...(B) + 1> kinds{std::remove_cvref_t<B>::kind..., -1};
  for (std::size_t i = 0; i < sizeof...(B); ++i)
    for (std::size_t j = i + 1; j < sizeof...(B); ++j)
      if (names[i] == names[j] && kinds[i] == kinds[j]) return false;
  return true;
}

template <class T>
inline constexpr bool holds_a_number = true;
template <fixed_string N, class T>
inline constexpr bool holds_a_number<binding<N, T>> = !std::is_same_v<T, not_a_number>;

/// Checks the bindings of one evaluation, each mistake with its own message. Returns whether
/// they are fine, so that the caller can stop before errors that would only repeat it.
template <class... B>
consteval bool check_bindings() {
  constexpr bool all_bindings = (BindingLike<B> && ...);
  static_assert(all_bindings,
                "leibniz: evaluate an expression with bindings, e.g. e(x = 2.0, y = 3.0)");
  if constexpr (all_bindings) {
    constexpr bool distinct = names_are_distinct<B...>();
    static_assert(distinct,
                  "leibniz: a variable is bound twice in one evaluation; bind each variable once");
    return distinct && (holds_a_number<std::remove_cvref_t<B>> && ...);
  } else {
    return false;
  }
}

template <class T>
struct bound_type {
  using type = void;
};
template <fixed_string N, class T>
struct bound_type<binding<N, T>> {
  using type = std::conditional_t<std::is_integral_v<T>, double, std::remove_cvref_t<T>>;
};
template <fixed_string N, class T>
struct bound_type<vector_binding<N, T>> {
  using type = std::conditional_t<std::is_integral_v<T>, double, T>;
};
template <fixed_string N, class A>
struct bound_type<vector_handle_binding<N, A>> {
  using type = double;
};

/// The scalar type of an evaluation: the common type of the bound values (integers count as
/// double), or the bound number-like type (a tape variable) if there is one.
template <class... B>
struct scalar_of {
  template <class Acc, class Next>
  static consteval auto join() {
    if constexpr (std::is_void_v<Acc>)
      return std::type_identity<Next>{};
    else if constexpr (std::is_same_v<Acc, Next>)
      return std::type_identity<Acc>{};
    else if constexpr (Number<Acc> && Number<Next>)
      return std::type_identity<std::common_type_t<Acc, Next>>{};
    else if constexpr (Number<Acc>)
      return std::type_identity<Next>{};
    else
      return std::type_identity<Acc>{};
  }
  template <class Acc>
  static consteval auto fold() {
    return std::type_identity<Acc>{};
  }
  template <class Acc, class First, class... Rest>
  static consteval auto fold() {
    return fold<typename decltype(join<Acc, First>())::type, Rest...>();
  }
  using joined =
      typename decltype(fold<void, typename bound_type<std::remove_cvref_t<B>>::type...>())::type;
  using type = std::conditional_t<std::is_void_v<joined>, double, joined>;
};

}  // namespace detail
}  // namespace leibniz
