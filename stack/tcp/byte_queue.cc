#include "stack/tcp/byte_queue.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <utility>

namespace netstack::tcp {

namespace {
// User writes are packed into chunks of this size so that many small writes
// do not become many tiny Views.
constexpr size_t kChunk = 16384;
}  // namespace

void ByteQueue::append(View v) {
  if (v.empty()) return;
  size_ += v.size();
  views_.push_back(std::move(v));
}

void ByteQueue::append_copy(std::span<const uint8_t> bytes) {
  while (!bytes.empty()) {
    const size_t n = std::min(bytes.size(), kChunk);
    append(View::copy_of(bytes.first(n)));
    bytes = bytes.subspan(n);
  }
}

size_t ByteQueue::copy_out(size_t offset, std::span<uint8_t> out) const {
  size_t copied = 0;
  for (const View& v : views_) {
    if (copied == out.size()) break;
    if (offset >= v.size()) {
      offset -= v.size();
      continue;
    }
    const auto src = v.bytes().subspan(offset);
    const size_t n = std::min(src.size(), out.size() - copied);
    std::memcpy(out.data() + copied, src.data(), n);
    copied += n;
    offset = 0;
  }
  return copied;
}

View ByteQueue::slice(size_t offset, size_t len) const {
  len = offset >= size_ ? 0 : std::min(len, size_ - offset);
  size_t skip = offset;
  for (const View& v : views_) {
    if (skip >= v.size()) {
      skip -= v.size();
      continue;
    }
    if (skip + len <= v.size()) return v.slice(skip, len);
    break;
  }
  View copy = View::allocate(len);
  copy_out(offset, copy.mutable_bytes());
  return copy;
}

void ByteQueue::pop_front(size_t n) {
  assert(n <= size_);
  size_ -= n;
  while (n > 0) {
    View& front = views_.front();
    if (n < front.size()) {
      front.remove_prefix(n);
      return;
    }
    n -= front.size();
    views_.pop_front();
  }
}

void ByteQueue::clear() {
  views_.clear();
  size_ = 0;
}

}  // namespace netstack::tcp
