#include "stack/header/checksum.h"

#include <bit>
#include <cstring>

namespace netstack::header {

namespace {

// The one's-complement sum of [p, p + n) (n even) as 16-bit words in host
// order, folded to 16 bits. RFC 1071 1.2(B): the sum is byte-order
// independent, so a little-endian host sums little-endian words and swaps
// the result; and since 2^16 = 1 (mod 2^16 - 1), 32-bit words summed into
// 64 bits and folded afterwards (RFC 1071 4.1's deferred carries) sum the
// same. 64-bit accumulators cannot overflow below 2^32 words, and two of
// them keep the additions independent (both compilers vectorise the loop).
uint16_t host_order_sum(const uint8_t* p, size_t n) {
  uint64_t even = 0;
  uint64_t odd = 0;
  for (; n >= 8; p += 8, n -= 8) {
    uint32_t a = 0;
    uint32_t b = 0;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + 4, 4);
    even += a;
    odd += b;
  }
  uint64_t total = even + odd;
  for (; n >= 2; p += 2, n -= 2) {
    uint16_t w = 0;
    std::memcpy(&w, p, 2);
    total += w;
  }
  while (total >> 16) total = (total & 0xffff) + (total >> 16);
  return static_cast<uint16_t>(total);
}

}  // namespace

Checksum& Checksum::add(std::span<const uint8_t> bytes) {
  size_t i = 0;
  if (odd_ && !bytes.empty()) {
    sum_ += bytes[0];
    odd_ = false;
    i = 1;
  }
  const size_t words = (bytes.size() - i) & ~size_t{1};
  uint16_t sum = host_order_sum(bytes.data() + i, words);
  if constexpr (std::endian::native == std::endian::little) {
    sum = static_cast<uint16_t>(sum << 8 | sum >> 8);
  }
  sum_ += sum;
  i += words;
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
