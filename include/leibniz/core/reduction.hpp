// leibniz/core/reduction.hpp
// sum(i < size(x), body): a sum whose body is a static expression and whose length is known
// only at run time. Its canonical form takes out of the loop what does not depend on i:
// sum(i, c*a[i] + b) = c*sum(i, a[i]) + n*b.
#pragma once

#include <leibniz/core/canonical.hpp>
#include <leibniz/core/vector.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace leibniz {

namespace detail {

/// "i:x:0:-1", the identity of a sum's index and range, for the total order on types.
template <fixed_string Index, fixed_string Vector, std::intmax_t Lo, std::intmax_t Hi>
struct reduction_key {
  static constexpr auto text = [] {
    std::array<char, 96> out{};
    std::size_t n = 0;
    const auto put = [&](std::string_view s) {
      for (char c : s) out[n++] = c;
    };
    const auto number = [&](std::intmax_t v) {
      if (v < 0) {
        out[n++] = '-';
        v = -v;
      }
      char digits[24]{};
      std::size_t k = 0;
      do {
        digits[k++] = static_cast<char>('0' + v % 10);
        v /= 10;
      } while (v != 0);
      while (k > 0) out[n++] = digits[--k];
    };
    put(Index.view());
    put(":");
    put(Vector.view());
    put(":");
    number(Lo);
    put(":");
    number(Hi);
    return std::pair{out, n};
  }();
  static constexpr std::string_view view{text.first.data(), text.second};
};

}  // namespace detail

/// The op of `sum(i < size(x) + Hi, body)` with i starting at Lo: a sum over
/// i = Lo, ..., size(x) + Hi - 1 of the body, its one argument.
template <fixed_string Index, fixed_string Vector, std::intmax_t Lo, std::intmax_t Hi>
struct sum_over_op {
  static constexpr std::string_view name = "sum";
  static constexpr std::string_view key = detail::reduction_key<Index, Vector, Lo, Hi>::view;
  static constexpr fixed_string index_symbol = Index;
  static constexpr fixed_string vector_symbol = Vector;
  static constexpr std::intmax_t lo = Lo;
  static constexpr std::intmax_t hi = Hi;
};

/// The range of a sum: Lo <= i < size(Vector) + Hi.
template <fixed_string Index, fixed_string Vector, std::intmax_t Lo, std::intmax_t Hi>
struct index_range {};

namespace detail {

template <class T>
struct is_reduction_impl : std::false_type {};
template <fixed_string I, fixed_string V, std::intmax_t Lo, std::intmax_t Hi, class Body>
struct is_reduction_impl<node<sum_over_op<I, V, Lo, Hi>, Body>> : std::true_type {};

/// size(x) + k, read back from its canonical form.
template <class E>
struct size_plus {
  static constexpr bool valid = false;
};
template <fixed_string V>
struct size_plus<size_of<V>> {
  static constexpr bool valid = true;
  static constexpr fixed_string vector = V;
  static constexpr std::intmax_t offset = 0;
};
template <fixed_string V, rational Q>
struct size_plus<node<sum_op, size_of<V>, exact<Q>>> {
  static constexpr bool valid = Q.is_integer();
  static constexpr fixed_string vector = V;
  static constexpr std::intmax_t offset = Q.num;
};

}  // namespace detail

template <class T>
inline constexpr bool is_reduction = detail::is_reduction_impl<std::remove_cvref_t<T>>::value;

/// `i < size(x) - 1_c`: the range 0 <= i < size(x) - 1 of a sum.
template <fixed_string I, class Bound>
requires Expression<Bound>
constexpr auto operator<(index<I>, const Bound&) {
  using bound = detail::size_plus<std::remove_cvref_t<Bound>>;
  static_assert(bound::valid,
                "leibniz: a sum runs over i < size(x) + k for a vector x and an integer k, "
                "e.g. sum(i < size(x) - 1_c, ...)");
  if constexpr (bound::valid)
    return index_range<I, bound::vector, 0, bound::offset>{};
  else
    return index_range<I, "?", 0, 0>{};
}

/// `range(i, 1_c, size(x))`: the range 1 <= i < size(x) of a sum.
template <fixed_string I, rational Lo, class Bound>
constexpr auto range(index<I>, exact<Lo>, const Bound&) {
  using bound = detail::size_plus<std::remove_cvref_t<Bound>>;
  static_assert(Lo.is_integer() && Lo.num >= 0, "leibniz: a sum starts at a whole number");
  static_assert(bound::valid, "leibniz: a sum runs below size(x) + k, e.g. size(x) - 1_c");
  if constexpr (bound::valid)
    return index_range<I, bound::vector, Lo.num, bound::offset>{};
  else
    return index_range<I, "?", 0, 0>{};
}

namespace detail {

/// True when E reads the index named Index: an element x[i + k] or i itself.
template <class E, fixed_string Index>
struct reads_index : std::false_type {};
template <fixed_string I>
struct reads_index<index<I>, I> : std::true_type {};
template <fixed_string V, fixed_string I, std::intmax_t O>
struct reads_index<element<V, I, O>, I> : std::true_type {};
template <class Op, class... A, fixed_string I>
struct reads_index<node<Op, A...>, I> : std::bool_constant<(reads_index<A, I>::value || ...)> {};

template <class E, fixed_string Index>
inline constexpr bool varies_with = reads_index<std::remove_cvref_t<E>, Index>::value;

/// The smallest and largest offset k of the elements V[I + k] in E.
template <fixed_string V, fixed_string I, class E>
consteval std::array<std::intmax_t, 2> offsets_of(E*) {
  if constexpr (is_element<E>) {
    if constexpr (E::vector_symbol == V && E::index_symbol == I)
      return {E::offset, E::offset};
    else
      return {INTMAX_MAX, INTMAX_MIN};
  } else if constexpr (is_node<E>) {
    return []<class Op, class... A>(node<Op, A...>*) {
      std::array<std::intmax_t, 2> r{INTMAX_MAX, INTMAX_MIN};
      ((r =
            std::array<std::intmax_t, 2>{
                std::min(r[0], offsets_of<V, I>(static_cast<A*>(nullptr))[0]),
                std::max(r[1], offsets_of<V, I>(static_cast<A*>(nullptr))[1])}),
       ...);
      return r;
    }(static_cast<E*>(nullptr));
  } else {
    return {INTMAX_MAX, INTMAX_MIN};
  }
}

/// The smallest and largest offset k of the elements x[I + k] in E, over every vector x.
template <fixed_string I, class E>
consteval std::array<std::intmax_t, 2> index_offsets(E*) {
  if constexpr (is_element<E>) {
    if constexpr (E::index_symbol == I)
      return {E::offset, E::offset};
    else
      return {INTMAX_MAX, INTMAX_MIN};
  } else if constexpr (is_node<E>) {
    return []<class Op, class... A>(node<Op, A...>*) {
      std::array<std::intmax_t, 2> r{INTMAX_MAX, INTMAX_MIN};
      ((r =
            std::array<std::intmax_t, 2>{
                std::min(r[0], index_offsets<I>(static_cast<A*>(nullptr))[0]),
                std::max(r[1], index_offsets<I>(static_cast<A*>(nullptr))[1])}),
       ...);
      return r;
    }(static_cast<E*>(nullptr));
  } else {
    return {INTMAX_MAX, INTMAX_MIN};
  }
}

/// The number of terms of a sum over Lo <= i < size(V) + Hi, as an expression.
template <fixed_string V, std::intmax_t Lo, std::intmax_t Hi>
constexpr auto term_count() {
  return make<sum_op>(size_of<V>{}, exact<rational{Hi - Lo}>{});
}

template <class Op, class Body>
constexpr auto make_reduction(const Body& body);

/// The part of a term or factor that does (Varying) or does not vary with the index I;
/// Neutral (0 for terms, 1 for factors) stands for the other part.
template <fixed_string I, bool Varying, class Neutral, class E>
constexpr auto part(const E& e) {
  if constexpr (varies_with<E, I> == Varying)
    return e;
  else
    return Neutral{};
}

/// sum(i, t1 + t2 + ...): the terms free of i leave the loop as n * t.
template <class Op, class... T>
constexpr auto split_sum(const node<sum_op, T...>& body) {
  using zero_t = exact<rational{0}>;
  const auto free = std::apply(
      [](const auto&... t) {
        return fold_add(zero_t{}, part<Op::index_symbol, false, zero_t>(t)...);
      },
      body.args);
  const auto varying = std::apply(
      [](const auto&... t) {
        return fold_add(zero_t{}, part<Op::index_symbol, true, zero_t>(t)...);
      },
      body.args);
  return make<sum_op>(make<product_op>(term_count<Op::vector_symbol, Op::lo, Op::hi>(), free),
                      make_reduction<Op>(varying));
}

/// sum(i, c * a[i]) = c * sum(i, a[i]) for the factors c free of i.
template <class Op, class... F>
constexpr auto split_product(const node<product_op, F...>& body) {
  using one_t = exact<rational{1}>;
  const auto free = std::apply(
      [](const auto&... f) {
        return fold_multiply(one_t{}, part<Op::index_symbol, false, one_t>(f)...);
      },
      body.args);
  const auto varying = std::apply(
      [](const auto&... f) {
        return fold_multiply(one_t{}, part<Op::index_symbol, true, one_t>(f)...);
      },
      body.args);
  return make<product_op>(free, make_reduction<Op>(varying));
}

/// True when some term (of a sum) or factor (of a product) does not vary with I.
template <fixed_string I, class E>
consteval bool has_free_part(E*) {
  return false;
}
template <fixed_string I, class Op, class... A>
consteval bool has_free_part(node<Op, A...>*) {
  return (!varies_with<A, I> || ...);
}

template <class Op, class Body>
constexpr auto make_reduction(const Body& body) {
  if constexpr (!varies_with<Body, Op::index_symbol>) {
    return make<product_op>(term_count<Op::vector_symbol, Op::lo, Op::hi>(), body);
  } else if constexpr (is_sum<Body> &&
                       has_free_part<Op::index_symbol>(static_cast<Body*>(nullptr))) {
    return split_sum<Op>(body);
  } else if constexpr (is_product<Body> &&
                       has_free_part<Op::index_symbol>(static_cast<Body*>(nullptr))) {
    return split_product<Op>(body);
  } else {
    return node<Op, Body>{body};
  }
}

}  // namespace detail

/// The sum of body over a range of its index: `sum(i < size(x), exp(x[i]))`.
/// The body is any static expression of elements x[i + k], the index i, and variables.
template <fixed_string I, fixed_string V, std::intmax_t Lo, std::intmax_t Hi, class Body>
requires(Expression<Body> || Number<Body>) constexpr auto sum(index_range<I, V, Lo, Hi>,
                                                              const Body& body) {
  constexpr auto reach = detail::offsets_of<V, I>(static_cast<Body*>(nullptr));
  static_assert(reach[0] == INTMAX_MAX || Lo + reach[0] >= 0,
                "leibniz: the sum reads an element before the start of the vector: x[i - k] "
                "needs i to start at k or later, e.g. range(i, 1_c, size(x))");
  static_assert(reach[0] == INTMAX_MAX || Hi + reach[1] <= 0,
                "leibniz: the sum reads past the end of the vector: x[i + k] needs i to stop "
                "k earlier, e.g. sum(i < size(x) - 1_c, ...) for x[i + 1_c]");
  return detail::make_reduction<sum_over_op<I, V, Lo, Hi>>(detail::as_expression(body));
}

/// `sum(x, [](auto xi) { return exp(xi); })`: the sum over every element of x of the body,
/// for bodies that read one element at a time.
template <fixed_string V, class F>
requires std::invocable<F, element<V, "i", 0>>
constexpr auto sum(vector<V>, F body) {
  return sum(index<"i">{} < size_of<V>{}, body(element<V, "i", 0>{}));
}

}  // namespace leibniz
