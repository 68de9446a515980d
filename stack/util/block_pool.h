// Recycled heap blocks for what the stack allocates and frees all the time:
// packet buffers (View chunks) and its small queues (RecycledDeque). A fuzz
// target runs thousands of connections per second, each opening and closing
// a dozen queues and sending hundreds of packets; a heap allocation for each
// is what sanitizers charge most for. Blocks of up to kLargestPooledBlock
// bytes come back to per-thread free lists by size class (a bounded number
// each); bigger ones go to the heap.
//
// Under ASan a free block is poisoned past its free-list link, and a block
// in use past the bytes asked for, so a use after free or a read past the
// end is still reported (as use-after-poison).
#pragma once

#include <cstddef>
#include <deque>
#include <new>

namespace netstack {

inline constexpr size_t kLargestPooledBlock = 2048;

namespace block_pool {
// At least `bytes` bytes, aligned as operator new aligns.
void* take(size_t bytes);
// Gives back a block taken with the same `bytes`.
void give(void* block, size_t bytes);
}  // namespace block_pool

// A standard allocator over block_pool.
template <class T>
struct RecyclingAllocator {
  using value_type = T;
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);

  RecyclingAllocator() = default;
  // Implicit, as allocators convert (std::deque rebinds to T* for its map).
  template <class U>
  RecyclingAllocator(const RecyclingAllocator<U>& /*other*/) {}

  // (T is a pointer for the deque's map: sizeof(T*) is meant there.)
  T* allocate(size_t n) {
    return static_cast<T*>(block_pool::take(n * sizeof(T)));  // NOLINT(bugprone-sizeof-expression)
  }
  void deallocate(T* p, size_t n) {
    block_pool::give(p, n * sizeof(T));  // NOLINT(bugprone-sizeof-expression)
  }

  template <class U>
  bool operator==(const RecyclingAllocator<U>& /*other*/) const {
    return true;
  }
};

// libstdc++'s std::deque allocates as soon as it is constructed (its map
// and a first node): on recycled blocks, an endpoint's queues cost no heap
// allocation once the process has warmed up.
template <class T>
using RecycledDeque = std::deque<T, RecyclingAllocator<T>>;

}  // namespace netstack
