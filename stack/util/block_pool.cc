#include "stack/util/block_pool.h"

#include <sanitizer/asan_interface.h>

#include <array>
#include <bit>
#include <cstdint>

namespace netstack::block_pool {

namespace {

// Size classes 64, 128, ..., kLargestPooledBlock bytes.
constexpr size_t kSmallestClass = 64;
constexpr size_t kClasses = std::countr_zero(kLargestPooledBlock / kSmallestClass) + 1;
// Free blocks kept per class (at most 128 KiB of 2 KiB packet buffers).
constexpr size_t kKeptPerClass = 64;

struct FreeBlock {
  FreeBlock* next;
};

struct FreeList {
  FreeBlock* head = nullptr;
  size_t count = 0;
};

// Trivially destructible, so it still works while static objects that
// hold views or queues are destroyed at exit. What it holds then stays
// reachable from thread-local storage (not a leak to LeakSanitizer).
thread_local std::array<FreeList, kClasses> free_lists;

size_t class_of(size_t bytes) {
  const size_t rounded = std::bit_ceil(bytes < kSmallestClass ? kSmallestClass : bytes);
  return static_cast<size_t>(std::countr_zero(rounded / kSmallestClass));
}

size_t class_bytes(size_t c) {
  return kSmallestClass << c;
}

}  // namespace

void* take(size_t bytes) {
  if (bytes > kLargestPooledBlock) return ::operator new(bytes);
  const size_t c = class_of(bytes);
  FreeList& list = free_lists[c];
  void* block = list.head;
  if (block == nullptr) {
    block = ::operator new(class_bytes(c));
  } else {
    ASAN_UNPOISON_MEMORY_REGION(block, sizeof(FreeBlock));
    list.head = list.head->next;
    --list.count;
  }
  ASAN_UNPOISON_MEMORY_REGION(block, bytes);
  ASAN_POISON_MEMORY_REGION(static_cast<uint8_t*>(block) + bytes, class_bytes(c) - bytes);
  return block;
}

void give(void* block, size_t bytes) {
  if (bytes > kLargestPooledBlock) {
    ::operator delete(block);
    return;
  }
  const size_t c = class_of(bytes);
  FreeList& list = free_lists[c];
  if (list.count == kKeptPerClass) {
    ASAN_UNPOISON_MEMORY_REGION(block, class_bytes(c));
    ::operator delete(block);
    return;
  }
  ASAN_UNPOISON_MEMORY_REGION(block, sizeof(FreeBlock));
  auto* b = static_cast<FreeBlock*>(block);
  b->next = list.head;
  list.head = b;
  ++list.count;
  ASAN_POISON_MEMORY_REGION(static_cast<uint8_t*>(block) + sizeof(FreeBlock),
                            class_bytes(c) - sizeof(FreeBlock));
}

}  // namespace netstack::block_pool
