// ByteQueue: a FIFO of bytes kept as a list of Views. Received payload is
// appended without copying (the View shares the packet); the sender copies
// user data in once and slices segments out of it by offset.
#pragma once

#include <cstdint>
#include <deque>
#include <span>

#include "stack/buffer/view.h"
#include "stack/util/block_pool.h"

namespace netstack::tcp {

class ByteQueue {
 public:
  void append(View v);
  void append_copy(std::span<const uint8_t> bytes);
  // Copies up to out.size() bytes starting `offset` bytes from the front;
  // returns how many were copied.
  size_t copy_out(size_t offset, std::span<uint8_t> out) const;
  // The bytes [offset, offset + len), clamped to the end: a view sharing the
  // queue's storage when they lie in one piece (no copy), else a copy.
  View slice(size_t offset, size_t len) const;
  // Drops n bytes from the front (n <= size()).
  void pop_front(size_t n);
  void clear();
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  RecycledDeque<View> views_;
  size_t size_ = 0;
};

}  // namespace netstack::tcp
