// leibniz/core/vector.hpp
// Variables of run-time length: vector<"x"> bound to a span of numbers, indexed x[i + 1]
// inside a sum over the index i, and size(x).
#pragma once

#include <leibniz/core/constant.hpp>
#include <leibniz/core/expression.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

namespace leibniz {

/// An index of a sum: `constexpr leibniz::index<"i"> i;`. Inside the body of a sum over i it
/// is a leaf whose value is the current index.
template <fixed_string Name>
struct index : expression_base<index<Name>> {
  static constexpr std::string_view name = Name.view();
  static constexpr fixed_string symbol = Name;
};

/// i + k for an integer k known at compile time: what subscripts a vector.
template <fixed_string Index, std::intmax_t Offset>
struct shifted_index {};

template <fixed_string I, rational Q>
constexpr auto operator+(index<I>, exact<Q>) {
  static_assert(Q.is_integer(), "leibniz: an index is shifted by an integer, e.g. x[i + 1_c]");
  return shifted_index<I, Q.num>{};
}
template <fixed_string I, rational Q>
constexpr auto operator-(index<I>, exact<Q>) {
  static_assert(Q.is_integer(), "leibniz: an index is shifted by an integer, e.g. x[i - 1_c]");
  return shifted_index<I, -Q.num>{};
}

/// x[i + Offset]: one element of a vector variable, a scalar leaf inside a sum over i.
template <fixed_string Vector, fixed_string Index, std::intmax_t Offset>
struct element : expression_base<element<Vector, Index, Offset>> {
  static constexpr std::string_view vector_name = Vector.view();
  static constexpr std::string_view index_name = Index.view();
  static constexpr fixed_string vector_symbol = Vector;
  static constexpr fixed_string index_symbol = Index;
  static constexpr std::intmax_t offset = Offset;
};

/// size(x): the length of the vector bound to x, a leaf whose value is a whole number.
template <fixed_string Vector>
struct size_of : expression_base<size_of<Vector>> {
  static constexpr std::string_view vector_name = Vector.view();
  static constexpr fixed_string vector_symbol = Vector;
};

/// The current value of a sum's index, bound while its body is evaluated.
template <fixed_string Name>
struct index_value {
  static constexpr std::string_view name = Name.view();
  static constexpr int kind = 2;  // an index
  std::size_t value = 0;
};

/// `x = values`: the numbers a vector variable stands for in one evaluation.
template <fixed_string Name, class T>
struct vector_binding {
  static constexpr std::string_view name = Name.view();
  static constexpr int kind = 0;  // a value
  std::span<const T> value;
};

/// `into(x) = g`: where the gradient with respect to the vector x is written (g has
/// size(x) entries), so that computing it allocates nothing.
template <fixed_string Name, class T>
struct gradient_output {
  static constexpr std::string_view name = Name.view();
  static constexpr int kind = 1;  // where a result goes
  std::span<T> value;
};

/// Types that a vector variable binds by handle, not as a bare span of numbers: a tape::array,
/// so that tape::apply records the gradient with respect to it (tape/sum_block.hpp).
template <class T>
inline constexpr bool binds_vector_by_handle = false;

/// The object such a binding keeps for a value of type T: the value itself, or the object it
/// stands for (a tape array statement, `x = 2.0 * a`, keeps the array it records).
template <class T>
struct vector_handle {
  static constexpr const T& of(const T& value) { return value; }
};

/// `x = a` for such a type: a vector binding (its numbers, for evaluation) that also keeps the
/// object bound.
template <fixed_string Name, class A>
struct vector_handle_binding : vector_binding<Name, double> {
  const A* handle;
};

template <fixed_string Name>
struct output_slot {
  template <class Range>
  constexpr auto operator=(Range&& range) const {  // NOLINT(misc-unconventional-assign-operator)
    std::span out{range};
    return gradient_output<Name, std::remove_cv_t<typename decltype(out)::element_type>>{out};
  }
};

/// A variable that stands for a vector of run-time length: `constexpr leibniz::vector<"x"> x;`,
/// bound with `x = some_vector`, read as x[i] inside `sum(i < size(x), ...)`.
template <fixed_string Name>
struct vector {
  static constexpr std::string_view name = Name.view();
  static constexpr fixed_string symbol = Name;

  /// Binds the vector to a contiguous range of numbers (std::vector, std::array, std::span).
  template <class Range>
  constexpr auto operator=(
      const Range& range) const {  // NOLINT(misc-unconventional-assign-operator)
    std::span values{range};
    using T = std::remove_cv_t<typename decltype(values)::element_type>;
    return vector_binding<Name, T>{std::span<const T>(values)};
  }
  /// Binds the vector to an object that keeps its identity in the binding (a tape::array).
  template <class A>
  requires binds_vector_by_handle<A>
  constexpr auto operator=(const A& a) const {  // NOLINT(misc-unconventional-assign-operator)
    const auto& handle = vector_handle<A>::of(a);
    return vector_handle_binding<Name, std::remove_cvref_t<decltype(handle)>>{{handle.values()},
                                                                              &handle};
  }

  template <fixed_string I>
  constexpr element<Name, I, 0> operator[](index<I>) const {
    return {};
  }
  template <fixed_string I, std::intmax_t Offset>
  constexpr element<Name, I, Offset> operator[](shifted_index<I, Offset>) const {
    return {};
  }
};

template <fixed_string Name>
constexpr size_of<Name> size(vector<Name>) {
  return {};
}

/// `into(x) = g`: see gradient_output.
template <fixed_string Name>
constexpr output_slot<Name> into(vector<Name>) {
  return {};
}

namespace detail {
template <class T>
struct is_vector_impl : std::false_type {};
template <fixed_string N>
struct is_vector_impl<vector<N>> : std::true_type {};
template <class T>
struct is_vector_binding_impl : std::false_type {};
template <fixed_string N, class T>
struct is_vector_binding_impl<vector_binding<N, T>> : std::true_type {};
template <fixed_string N, class A>
struct is_vector_binding_impl<vector_handle_binding<N, A>> : std::true_type {};
template <class T>
struct is_vector_handle_binding_impl : std::false_type {};
template <fixed_string N, class A>
struct is_vector_handle_binding_impl<vector_handle_binding<N, A>> : std::true_type {};
template <class T>
struct is_gradient_output_impl : std::false_type {};
template <fixed_string N, class T>
struct is_gradient_output_impl<gradient_output<N, T>> : std::true_type {};
}  // namespace detail

template <class T>
inline constexpr bool is_vector = detail::is_vector_impl<std::remove_cvref_t<T>>::value;
template <class T>
concept BindingLike = requires {
  std::remove_cvref_t<T>::name;
  std::remove_cvref_t<T>::kind;
};
template <class T>
inline constexpr bool is_vector_binding =
    detail::is_vector_binding_impl<std::remove_cvref_t<T>>::value;
template <class T>
inline constexpr bool is_vector_handle_binding =
    detail::is_vector_handle_binding_impl<std::remove_cvref_t<T>>::value;
template <class T>
inline constexpr bool is_gradient_output =
    detail::is_gradient_output_impl<std::remove_cvref_t<T>>::value;

}  // namespace leibniz
