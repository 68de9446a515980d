// The Internet checksum (RFC 1071) with the TCP pseudo-header for IPv4
// (RFC 9293 section 3.1) and IPv6 (RFC 8200 section 8.1), and the
// incremental update of RFC 1624.
#pragma once

#include <cstdint>
#include <span>

#include "stack/header/address.h"

namespace netstack::header {

// Accumulates a ones'-complement sum over any split of the data: an odd
// trailing byte is carried into the next add() as the high byte of a word.
class Checksum {
 public:
  Checksum& add(std::span<const uint8_t> bytes);
  Checksum& add16(uint16_t word);
  Checksum& add32(uint32_t v) {
    return add16(static_cast<uint16_t>(v >> 16)).add16(static_cast<uint16_t>(v));
  }
  // The folded sum, not complemented (0xffff or 0 means "verifies").
  uint16_t folded() const;
  // The value to put in a header's checksum field.
  uint16_t finish() const { return static_cast<uint16_t>(~folded()); }

 private:
  uint64_t sum_ = 0;
  bool odd_ = false;
};

// The pseudo-header of TCP/UDP over IPv4 or IPv6.
Checksum pseudo_header(const IpAddress& src, const IpAddress& dst, uint8_t protocol,
                       uint32_t length);

// RFC 1624 eqn. 3: the new checksum after one 16-bit word changed.
uint16_t checksum_update(uint16_t old_checksum, uint16_t old_word, uint16_t new_word);

}  // namespace netstack::header
