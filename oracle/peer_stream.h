// PeerStream: the bytes the peer offered, by their offset in its stream
// (sequence number - IRS - 1), to judge what read() returns (RFC 9293
// 3.10.7.4 seventh: the user gets the peer's bytes, in order). A fuzzed
// peer may offer one offset twice with different bytes, and which copy a
// receiver keeps is its choice: such a byte, like one never offered or
// further than kSpan past what was read, is not judged. What was read is
// forgotten, so the record stays as small as the receive queue.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace tcpfuzz::oracle {

class PeerStream {
 public:
  static constexpr uint32_t kSpan = 1u << 18;

  void clear();
  void offer(uint32_t offset, std::span<const uint8_t> bytes);
  // Whether data was, or may have been, offered at `offset`: below what was
  // read, or beyond the record, it may have.
  bool offered(uint32_t offset) const;
  // The first offset where `bytes`, read from `offset` on, differ from the
  // single value the peer offered there.
  std::optional<uint32_t> first_mismatch(uint32_t offset, std::span<const uint8_t> bytes) const;
  // The reader has taken everything before `offset`.
  void consume_to(uint32_t offset);

 private:
  enum Mark : uint8_t { kNever = 0, kOne = 1, kConflicting = 2 };
  uint32_t base_ = 0;  // the offset of bytes_[0]
  std::vector<uint8_t> bytes_;
  std::vector<uint8_t> marks_;
};

}  // namespace tcpfuzz::oracle
