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
  std::uint32_t size_class = 0;  // capacity 2^size_class doubles
  std::size_t length = 0;
  buffer* next = nullptr;     // in a free list
  std::uint32_t version = 0;  // counts in-place updates (array statements check it)

  double* data() noexcept {
    return reinterpret_cast<double*>(reinterpret_cast<char*>(this) + header);
  }

  /// A new block of n doubles, uninitialized: from this thread's cache of freed blocks of
  /// the same size class if it has one (an array op makes one per result: malloc and free
  /// would cost as much as the op on a thousand elements).
  static buffer* make(std::size_t n);
  static void acquire(buffer* b) noexcept {
    if (b != nullptr) b->refs.fetch_add(1, std::memory_order_relaxed);
  }
  static void release(buffer* b) noexcept;
};
static_assert(sizeof(buffer) <= buffer::header);

/// Freed blocks kept by a thread for reuse, a few per size class. Trivially destructible (a
/// constinit thread_local needs no guard); buffer_cache_owner empties it at thread exit.
struct buffer_cache {
  static constexpr std::size_t classes = 48;
  static constexpr std::size_t kept_per_class = 16;
  buffer* free[classes] = {};
  std::size_t count[classes] = {};
  bool closed = false;  // the thread is exiting: free blocks at once
};

inline constinit thread_local buffer_cache buffers{};

struct buffer_cache_owner {
  bool armed = false;
  buffer_cache_owner() = default;
  buffer_cache_owner(const buffer_cache_owner&) = delete;
  buffer_cache_owner& operator=(const buffer_cache_owner&) = delete;
  ~buffer_cache_owner() {
    buffer_cache& cache = buffers;
    cache.closed = true;
    for (buffer*& head : cache.free)
      while (head != nullptr) {
        buffer* b = head;
        head = b->next;
        b->~buffer();
        ::operator delete(static_cast<void*>(b), buffer::alignment);
      }
  }
};

inline thread_local buffer_cache_owner buffer_owner;

inline std::uint32_t size_class_of(std::size_t n) noexcept {
  std::uint32_t c = 0;
  while ((std::size_t{1} << c) < n) ++c;
  return c;
}

inline buffer* buffer::make(std::size_t n) {
  const std::uint32_t c = size_class_of(n);
  buffer_cache& cache = buffers;
  if (c < buffer_cache::classes && cache.free[c] != nullptr) {
    buffer* b = cache.free[c];
    cache.free[c] = b->next;
    --cache.count[c];
    b->refs.store(1, std::memory_order_relaxed);
    b->length = n;
    b->next = nullptr;
    return b;
  }
  void* memory = ::operator new(header + (std::size_t{1} << c) * sizeof(double), alignment);
  buffer* b = ::new (memory) buffer;
  b->size_class = c;
  b->length = n;
  return b;
}

inline void buffer::release(buffer* b) noexcept {
  if (b == nullptr || b->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  buffer_cache& cache = buffers;
  const std::uint32_t c = b->size_class;
  if (!cache.closed && c < buffer_cache::classes && cache.count[c] < buffer_cache::kept_per_class) {
    buffer_owner.armed = true;  // registers the cleanup at thread exit
    b->next = cache.free[c];
    cache.free[c] = b;
    ++cache.count[c];
    return;
  }
  b->~buffer();
  ::operator delete(static_cast<void*>(b), alignment);
}

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
  std::uint32_t version() const noexcept { return p_ != nullptr ? p_->version : 0; }
  void touch() const noexcept {
    if (p_ != nullptr) ++p_->version;
  }
  bool unique() const noexcept {
    return p_ != nullptr && p_->refs.load(std::memory_order_acquire) == 1;
  }
  explicit operator bool() const noexcept { return p_ != nullptr; }

 private:
  buffer* p_ = nullptr;
};

}  // namespace leibniz::tape::detail
