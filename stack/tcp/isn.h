// Initial sequence numbers per RFC 6528: ISN = M + F(4-tuple, secret), with
// F = SipHash-2-4 keyed from the stack's seed (so runs replay exactly) and M
// a 64 ns tick of the stack's clock, as Linux's secure_tcp_seq() does.
#pragma once

#include <cstddef>
#include <cstdint>

#include "stack/seqnum/seqnum.h"
#include "stack/tcp_demuxer.h"
#include "stack/time/clock.h"

namespace netstack::tcp {

// SipHash-2-4 (Aumasson & Bernstein) over a short message, the key as two
// little-endian 64-bit words (Linux siphash_key_t).
uint64_t siphash24(uint64_t k0, uint64_t k1, const uint8_t* data, size_t len);

class IsnGenerator {
 public:
  explicit IsnGenerator(uint64_t seed);
  seqnum::Value isn(const FourTuple& t, Instant now) const;
  // The keyed hash alone (also used for SYN cookies).
  uint32_t keyed_hash(const FourTuple& t, uint32_t extra) const;

 private:
  uint64_t k0_;
  uint64_t k1_;
};

}  // namespace netstack::tcp
