// View: a slice of a reference-counted byte chunk.
//
// A received frame is allocated once; the IP and TCP layers narrow the view
// (remove_prefix/truncate) instead of copying, and the payload view is what
// lands in the receive queue. Copies of a View share the chunk. Writing goes
// through mutable_bytes(), which copies first if the chunk is shared, so a
// writer can never change bytes another view still sees.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace netstack {

class View {
 public:
  View() = default;
  ~View() { release(); }
  View(const View& o) : chunk_(o.chunk_), offset_(o.offset_), size_(o.size_) { retain(); }
  View(View&& o) noexcept : chunk_(o.chunk_), offset_(o.offset_), size_(o.size_) {
    o.chunk_ = nullptr;
    o.offset_ = o.size_ = 0;
  }
  View& operator=(const View& o);
  View& operator=(View&& o) noexcept;

  // A new, zero-filled chunk of n bytes.
  static View allocate(size_t n);
  static View copy_of(std::span<const uint8_t> bytes);

  std::span<const uint8_t> bytes() const;
  // Writable bytes of this view; copies the slice into a fresh chunk first if
  // any other view shares the chunk.
  std::span<uint8_t> mutable_bytes();
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // A view of [offset, offset+len) of this one (clamped to its end).
  View slice(size_t offset, size_t len) const;
  void remove_prefix(size_t n);
  void truncate(size_t n);

  // The segment size of a packet that arrived as several TCP segments in
  // one (Linux skb_shinfo()->gso_size: a GSO packet from a tun device with
  // a virtio-net header, or a GRO aggregate); 0 for a plain packet. It
  // belongs to the allocation, so every slice of the packet reads it.
  uint16_t gso_size() const;
  void set_gso_size(uint16_t size);

  // Whether both views look into the same allocation (tests use it to prove
  // a path did not copy).
  bool shares_storage_with(const View& o) const { return chunk_ != nullptr && chunk_ == o.chunk_; }

 private:
  struct Chunk;
  void retain();
  void release();

  Chunk* chunk_ = nullptr;
  uint32_t offset_ = 0;
  uint32_t size_ = 0;
};

}  // namespace netstack
