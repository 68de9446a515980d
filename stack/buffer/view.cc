#include "stack/buffer/view.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <new>

#include "stack/util/block_pool.h"

namespace netstack {

// The bytes follow the header in the same allocation.
struct alignas(8) View::Chunk {
  uint32_t refs;
  uint32_t capacity;
  uint16_t gso_size = 0;
  uint8_t* data() { return reinterpret_cast<uint8_t*>(this + 1); }

  static Chunk* create(size_t n, bool zero_fill);
  void destroy();
};

// Chunks come from the block pool (stack/util/block_pool.h): packet-sized
// ones are recycled, with ASan still watching their ends.
View::Chunk* View::Chunk::create(size_t n, bool zero_fill) {
  void* mem = block_pool::take(sizeof(Chunk) + n);
  auto* c = new (mem) Chunk{1, static_cast<uint32_t>(n)};
  if (zero_fill) std::memset(c->data(), 0, n);
  return c;
}

void View::Chunk::destroy() {
  const size_t bytes = sizeof(Chunk) + capacity;
  this->~Chunk();
  block_pool::give(this, bytes);
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
  if (chunk_->refs > 1) {
    const uint16_t gso = chunk_->gso_size;
    *this = copy_of(bytes());
    chunk_->gso_size = gso;
  }
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

uint16_t View::gso_size() const {
  return chunk_ != nullptr ? chunk_->gso_size : 0;
}

void View::set_gso_size(uint16_t size) {
  if (chunk_ != nullptr) chunk_->gso_size = size;
}

}  // namespace netstack
