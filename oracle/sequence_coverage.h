// SequenceCoverage: which part of one direction's sequence space has been
// offered to the receiver in segments it could accept, from the initial
// sequence number on. Its contiguous end bounds what the receiver may ever
// acknowledge (RFC 9293 3.10.7.4: RCV.NXT only moves over bytes received
// in order). Offsets are relative to the ISN, so the comparison is modular.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace tcpfuzz::oracle {

class SequenceCoverage {
 public:
  // Starts covering [isn, isn + 1): the SYN.
  void reset(uint32_t isn);
  // The receiver may have taken [seq, seq + length).
  void add(uint32_t seq, uint32_t length);
  uint32_t isn() const { return isn_; }
  // One past the last sequence number covered without a gap from the ISN.
  uint32_t contiguous_end() const { return isn_ + static_cast<uint32_t>(contiguous_); }
  // Whether `ack` acknowledges only covered sequence numbers.
  bool covers_up_to(uint32_t ack) const;

 private:
  // Out-of-order pieces beyond this are merged with their neighbour: the
  // coverage grows (the oracle gets more lenient), never shrinks.
  static constexpr size_t kMaxPieces = 32;
  uint32_t isn_ = 0;
  int64_t contiguous_ = 1;
  std::vector<std::pair<int64_t, int64_t>> pieces_;  // [start, end) offsets, sorted, disjoint
};

}  // namespace tcpfuzz::oracle
