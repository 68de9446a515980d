#include "stack/buffer/view.h"

#include <sanitizer/asan_interface.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <new>

namespace netstack {

// The bytes follow the header in the same allocation.
struct View::Chunk {
  uint32_t refs;
  uint32_t capacity;
  uint8_t* data() { return reinterpret_cast<uint8_t*>(this + 1); }

  static Chunk* create(size_t n, bool zero_fill);
  void destroy();
};

namespace {

// Packet-sized chunks are recycled through a per-thread free list: a fuzz
// input sends and receives hundreds of packets, and a heap allocation per
// packet is what sanitizers charge most for. Blocks are all kPooledBlock
// bytes; bigger chunks (application writes) go to the heap. Under ASan a
// free block is poisoned past its link and a chunk past its last byte, so
// a use after the last view let go, or a read past a packet's end, is
// still reported (as use-after-poison).
constexpr size_t kPooledBlock = 2048;
// At most this many free blocks are kept (256 KiB); the rest go back.
constexpr size_t kPoolLimit = 128;

struct FreeBlock {
  FreeBlock* next;
};

// Trivially destructible, so it is still usable while static objects
// holding views are destroyed at exit.
struct ChunkPool {
  FreeBlock* head = nullptr;
  size_t count = 0;
};
thread_local ChunkPool pool;

void* take_block() {
  FreeBlock* b = pool.head;
  if (b == nullptr) return ::operator new(kPooledBlock);
  ASAN_UNPOISON_MEMORY_REGION(b, kPooledBlock);
  pool.head = b->next;
  --pool.count;
  return b;
}

void give_block(void* mem) {
  if (pool.count == kPoolLimit) {
    ::operator delete(mem);
    return;
  }
  auto* b = static_cast<FreeBlock*>(mem);
  b->next = pool.head;
  pool.head = b;
  ++pool.count;
  ASAN_POISON_MEMORY_REGION(reinterpret_cast<uint8_t*>(b) + sizeof(FreeBlock),
                            kPooledBlock - sizeof(FreeBlock));
}

}  // namespace

View::Chunk* View::Chunk::create(size_t n, bool zero_fill) {
  const bool pooled = sizeof(Chunk) + n <= kPooledBlock;
  void* mem = pooled ? take_block() : ::operator new(sizeof(Chunk) + n);
  auto* c = new (mem) Chunk{1, static_cast<uint32_t>(n)};
  if (zero_fill) std::memset(c->data(), 0, n);
  // A read past the end of a pooled chunk is still an overflow to ASan.
  if (pooled) ASAN_POISON_MEMORY_REGION(c->data() + n, kPooledBlock - sizeof(Chunk) - n);
  return c;
}

void View::Chunk::destroy() {
  const bool pooled = sizeof(Chunk) + capacity <= kPooledBlock;
  this->~Chunk();
  if (pooled) {
    give_block(this);
  } else {
    ::operator delete(this);
  }
}

View& View::operator=(const View& o) {
  if (this != &o) {
    View copy(o);
    *this = std::move(copy);
  }
  return *this;
}

View& View::operator=(View&& o) noexcept {
  if (this != &o) {
    release();
    chunk_ = o.chunk_;
    offset_ = o.offset_;
    size_ = o.size_;
    o.chunk_ = nullptr;
    o.offset_ = o.size_ = 0;
  }
  return *this;
}

View View::allocate(size_t n) {
  View v;
  v.chunk_ = Chunk::create(n, /*zero_fill=*/true);
  v.size_ = static_cast<uint32_t>(n);
  return v;
}

View View::copy_of(std::span<const uint8_t> bytes) {
  View v;
  v.chunk_ = Chunk::create(bytes.size(), /*zero_fill=*/false);
  v.size_ = static_cast<uint32_t>(bytes.size());
  if (!bytes.empty()) std::memcpy(v.chunk_->data(), bytes.data(), bytes.size());
  return v;
}

std::span<const uint8_t> View::bytes() const {
  if (chunk_ == nullptr) return {};
  return {chunk_->data() + offset_, size_};
}

std::span<uint8_t> View::mutable_bytes() {
  if (chunk_ == nullptr) return {};
  if (chunk_->refs > 1) *this = copy_of(bytes());
  return {chunk_->data() + offset_, size_};
}

View View::slice(size_t offset, size_t len) const {
  View v(*this);
  v.remove_prefix(std::min(offset, static_cast<size_t>(size_)));
  v.truncate(len);
  return v;
}

void View::remove_prefix(size_t n) {
  assert(n <= size_);
  offset_ += static_cast<uint32_t>(n);
  size_ -= static_cast<uint32_t>(n);
}

void View::truncate(size_t n) {
  if (n < size_) size_ = static_cast<uint32_t>(n);
}

void View::retain() {
  if (chunk_ != nullptr) ++chunk_->refs;
}

void View::release() {
  if (chunk_ != nullptr && --chunk_->refs == 0) chunk_->destroy();
  chunk_ = nullptr;
}

}  // namespace netstack
