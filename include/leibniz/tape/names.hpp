// leibniz/tape/names.hpp
// Op names as 16-bit codes, so that each tape entry says which op made it (grad_fn(), to_dot)
// in two bytes: the op table's names are numbered at compile time, other names (static blocks
// named at run time) are interned on first use.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>

namespace leibniz::tape::detail {

using op_code_t = std::uint16_t;

/// Every name the op table and the tape use. Order is the code; new names go at the end.
/// The size is deduced: a declared size larger than the list left empty names at the end,
/// and g++ 12 rejected the constant search below over them ("modification of known_names is
/// not a constant expression"), so that no op outside this list could be recorded.
inline constexpr auto known_names = std::to_array<std::string_view>({
    "",      // 0: no op (a constant)
    "leaf",  // 1: an input: a leaf var or array, or an input of tape::gradient
    "add",   "sub",  "neg",   "mul", "div",     "pow",   "sqrt",  "cbrt", "exp",
    "expm1", "log",  "log1p", "sin", "cos",     "tan",   "asin",  "acos", "atan",
    "sinh",  "cosh", "tanh",  "erf", "sigmoid", "abs",   "sign",  "step", "min",
    "max",   "sum",  "mean",  "dot", "select",  "slice", "block",
});

inline constexpr op_code_t no_op = 0;
inline constexpr op_code_t leaf_op = 1;
inline constexpr op_code_t unknown_name = 0xFFFF;

/// The code of a name of the table, or unknown_name.
constexpr op_code_t known_code(std::string_view name) {
  for (std::size_t i = 0; i < known_names.size(); ++i)
    if (known_names[i] == name) return static_cast<op_code_t>(i);
  return unknown_name;
}

inline constexpr op_code_t sum_code = known_code("sum");
inline constexpr op_code_t mean_code = known_code("mean");
inline constexpr op_code_t dot_code = known_code("dot");
inline constexpr op_code_t select_code = known_code("select");
inline constexpr op_code_t slice_code = known_code("slice");
inline constexpr op_code_t block_code = known_code("block");

/// The names interned at run time, shared by all threads (a name is interned once).
struct name_registry {
  std::mutex mutex;
  std::deque<std::string> names;  // a deque: interned strings never move
};

inline name_registry& registry() {
  static name_registry r;
  return r;
}

/// The code of any name: the table's, or a new one for a name first seen now.
inline op_code_t intern(std::string_view name) {
  if (const op_code_t c = known_code(name); c != unknown_name) return c;
  name_registry& r = registry();
  const std::scoped_lock lock(r.mutex);
  for (std::size_t i = 0; i < r.names.size(); ++i)
    if (r.names[i] == name) return static_cast<op_code_t>(known_names.size() + i);
  if (known_names.size() + r.names.size() >= unknown_name)
    return known_code("block");  // 65,000 distinct names: later ones share a generic name
  r.names.emplace_back(name);
  return static_cast<op_code_t>(known_names.size() + r.names.size() - 1);
}

/// The name of a code.
inline std::string_view name_of(op_code_t code) {
  if (code < known_names.size()) return known_names[code];
  name_registry& r = registry();
  const std::scoped_lock lock(r.mutex);
  const std::size_t i = code - known_names.size();
  return i < r.names.size() ? std::string_view(r.names[i]) : std::string_view("block");
}

/// The code of an op of the op table (from its `name`), computed once.
template <class Op>
op_code_t op_code() {
  constexpr op_code_t known = known_code(Op::name);
  if constexpr (known != unknown_name) {
    return known;
  } else {
    static const op_code_t code = intern(Op::name);
    return code;
  }
}

}  // namespace leibniz::tape::detail
