// PeerStream: the bytes the peer offered, by their offset in its stream
// (sequence number - IRS - 1), to judge what read() returns (RFC 9293
// 3.10.7.4 seventh: the user gets the peer's bytes, in order). A fuzzed
// peer may offer one offset twice with different bytes, and which copy a
// receiver keeps is its choice: such a byte, like one never offered or
// beyond the first kLimit bytes, is not judged.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace tcpfuzz::oracle {

class PeerStream {
 public:
  static constexpr uint32_t kLimit = 1u << 20;

  void clear();
  void offer(uint32_t offset, std::span<const uint8_t> bytes);
  // Whether data was offered at `offset` (or may have been: beyond kLimit).
  bool offered(uint32_t offset) const;
  // The first offset where `bytes`, read from `offset` on, differ from the
  // single value the peer offered there.
  std::optional<uint32_t> first_mismatch(uint64_t offset, std::span<const uint8_t> bytes) const;

 private:
  enum Mark : uint8_t { kNever = 0, kOne = 1, kConflicting = 2 };
  std::vector<uint8_t> bytes_;
  std::vector<uint8_t> marks_;
};

}  // namespace tcpfuzz::oracle
