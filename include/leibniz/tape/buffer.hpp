// leibniz/tape/buffer.hpp
// The values of an array: one block of doubles shared by the handles that see it (copies,
// slices, detached arrays), freed with the last of them.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

namespace leibniz::tape::detail {

/// A reference-counted block of doubles, its header and values in one allocation.
struct buffer {
  static constexpr std::size_t header = 64;  // keeps the values 64-byte aligned
  static constexpr std::align_val_t alignment{64};

  std::atomic<std::uint32_t> refs{1};
  std::size_t length = 0;

  double* data() noexcept {
    return reinterpret_cast<double*>(reinterpret_cast<char*>(this) + header);
  }

  /// A new block of n doubles, uninitialized.
  static buffer* make(std::size_t n) {
    void* memory = ::operator new(header + n * sizeof(double), alignment);
    buffer* b = ::new (memory) buffer;
    b->length = n;
    return b;
  }
  static void acquire(buffer* b) noexcept {
    if (b != nullptr) b->refs.fetch_add(1, std::memory_order_relaxed);
  }
  static void release(buffer* b) noexcept {
    if (b != nullptr && b->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      b->~buffer();
      ::operator delete(static_cast<void*>(b), alignment);
    }
  }
};
static_assert(sizeof(buffer) <= buffer::header);

/// Shared ownership of a buffer (an intrusive pointer: one word, no control block).
class buffer_ref {
 public:
  buffer_ref() noexcept = default;
  explicit buffer_ref(buffer* adopted) noexcept : p_(adopted) {}
  buffer_ref(const buffer_ref& other) noexcept : p_(other.p_) { buffer::acquire(p_); }
  buffer_ref(buffer_ref&& other) noexcept : p_(std::exchange(other.p_, nullptr)) {}
  buffer_ref& operator=(buffer_ref other) noexcept {
    std::swap(p_, other.p_);
    return *this;
  }
  ~buffer_ref() { buffer::release(p_); }

  static buffer_ref make(std::size_t n) { return buffer_ref(buffer::make(n)); }

  double* data() const noexcept { return p_ != nullptr ? p_->data() : nullptr; }
  std::size_t length() const noexcept { return p_ != nullptr ? p_->length : 0; }
  bool unique() const noexcept {
    return p_ != nullptr && p_->refs.load(std::memory_order_acquire) == 1;
  }
  explicit operator bool() const noexcept { return p_ != nullptr; }

 private:
  buffer* p_ = nullptr;
};

}  // namespace leibniz::tape::detail
