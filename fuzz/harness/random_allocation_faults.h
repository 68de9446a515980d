// Memory pressure from a fuzz input: each allocation the TCP layer asks
// about fails with probability rate/64, from a seeded generator, until the
// rate goes back to 0.
#pragma once

#include <cstdint>

#include "stack/tcp/allocation_faults.h"

namespace tcpfuzz::harness {

class RandomAllocationFaults final : public netstack::tcp::AllocationFaults {
 public:
  explicit RandomAllocationFaults(uint64_t seed) : state_(seed * 0x9e3779b97f4a7c15ULL | 1) {}
  // 0 (no failures) to 63.
  void set_rate(uint8_t per_64) { per_64_ = per_64 & 63; }

  bool fail(netstack::tcp::AllocationSite /*site*/) override {
    if (per_64_ == 0) return false;
    // xorshift64: cheap, and the same sequence on every run of an input.
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return (state_ & 63) < per_64_;
  }

 private:
  uint64_t state_;
  uint8_t per_64_ = 0;
};

}  // namespace tcpfuzz::harness
