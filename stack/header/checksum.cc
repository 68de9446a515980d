#include "stack/header/checksum.h"

namespace netstack::header {

Checksum& Checksum::add(std::span<const uint8_t> bytes) {
  size_t i = 0;
  if (odd_ && !bytes.empty()) {
    sum_ += bytes[0];
    odd_ = false;
    i = 1;
  }
  // Big-endian 32-bit words: since 2^16 = 1 (mod 2^16 - 1), they fold to
  // the same one's-complement sum as 16-bit words (RFC 1071), at half the
  // additions; the 64-bit accumulator cannot overflow below 16 GiB.
  for (; i + 3 < bytes.size(); i += 4) {
    sum_ += uint64_t{bytes[i]} << 24 | uint64_t{bytes[i + 1]} << 16 | uint64_t{bytes[i + 2]} << 8 |
            bytes[i + 3];
  }
  for (; i + 1 < bytes.size(); i += 2) sum_ += uint32_t{bytes[i]} << 8 | bytes[i + 1];
  if (i < bytes.size()) {
    sum_ += uint32_t{bytes[i]} << 8;
    odd_ = true;
  }
  return *this;
}

Checksum& Checksum::add16(uint16_t word) {
  // A word that follows an odd byte straddles the boundary: byte-swap it.
  if (odd_) word = static_cast<uint16_t>(word << 8 | word >> 8);
  sum_ += word;
  return *this;
}

uint16_t Checksum::folded() const {
  uint64_t s = sum_;
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return static_cast<uint16_t>(s);
}

Checksum pseudo_header(const IpAddress& src, const IpAddress& dst, uint8_t protocol,
                       uint32_t length) {
  Checksum c;
  c.add(src.bytes()).add(dst.bytes());
  if (src.is_v4()) {
    c.add16(protocol).add16(static_cast<uint16_t>(length));
  } else {
    c.add32(length).add16(0).add16(protocol);
  }
  return c;
}

uint16_t checksum_update(uint16_t old_checksum, uint16_t old_word, uint16_t new_word) {
  // HC' = ~(~HC + ~m + m')
  uint32_t sum = static_cast<uint16_t>(~old_checksum);
  sum += static_cast<uint16_t>(~old_word);
  sum += new_word;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

}  // namespace netstack::header
