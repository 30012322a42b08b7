// leibniz/config.hpp
// The version, and the one place for compiler workarounds.
#pragma once

#define LEIBNIZ_VERSION_MAJOR 0
#define LEIBNIZ_VERSION_MINOR 1
#define LEIBNIZ_VERSION_PATCH 0

/// Marks the few entry points of the compiled evaluation and gradient, so that they are
/// inlined into the caller like the hand-written code they replace: the compiler then keeps
/// every intermediate value in a register instead of passing it through memory.
#if defined(__GNUC__) || defined(__clang__)
#define LEIBNIZ_INLINE [[gnu::always_inline]] inline
#else
#define LEIBNIZ_INLINE inline
#endif

/// Marks the rare paths of tape mode (growing the arena, registering a leaf, resetting, and
/// throwing), so that they stay out of the recording code that the compiler inlines into
/// every op: the hot path then keeps the tape's cursors in registers.
#if defined(__GNUC__) || defined(__clang__)
#define LEIBNIZ_COLD [[gnu::noinline, gnu::cold]] inline
#else
#define LEIBNIZ_COLD inline
#endif

/// Marks the paths of tape mode that are out of line but not rare: registering a leaf (once
/// per leaf per recording in a training loop). Out of line so that the recording code stays
/// small, but compiled for speed (a cold function is optimized for size: its loops are not
/// vectorized).
#if defined(__GNUC__) || defined(__clang__)
#define LEIBNIZ_OUT_OF_LINE [[gnu::noinline]] inline
#else
#define LEIBNIZ_OUT_OF_LINE inline
#endif

namespace leibniz {

/// The library's version as "major.minor.patch".
inline constexpr const char* version = "0.1.0";

}  // namespace leibniz

/// Before a loop whose stores never feed its loads (an elementwise entry writes its fresh
/// result and partials from its operands' values): the compiler may vectorize it without
/// proving that. Without it g++ gave up on statements of several arrays (too many pairs of
/// pointers to check at run time) and ran them element by element, 1.6x the instructions.
/// Not for clang: its counterpart, `clang loop vectorize(assume_safety)`, warns where a loop
/// is not vectorized after all (-Wpass-failed: a loop that calls exp), an error with -Werror.
#if defined(__GNUC__) && !defined(__clang__)
#define LEIBNIZ_INDEPENDENT_ITERATIONS _Pragma("GCC ivdep")
#else
#define LEIBNIZ_INDEPENDENT_ITERATIONS
#endif

/// A lambda that runs per element of an array loop, after its parameters: forced inline, as
/// LEIBNIZ_INLINE forces functions (g++ stops inlining lambdas in a large translation unit).
#if defined(__GNUC__) || defined(__clang__)
#define LEIBNIZ_INLINE_LAMBDA __attribute__((always_inline))
#else
#define LEIBNIZ_INLINE_LAMBDA
#endif
