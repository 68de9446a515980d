#include "stack/tcp/isn.h"

#include <cstring>

namespace netstack::tcp {

namespace {

constexpr uint64_t rotl(uint64_t x, int b) {
  return (x << b) | (x >> (64 - b));
}

struct SipState {
  uint64_t v0, v1, v2, v3;
  void round() {
    v0 += v1;
    v1 = rotl(v1, 13);
    v1 ^= v0;
    v0 = rotl(v0, 32);
    v2 += v3;
    v3 = rotl(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = rotl(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = rotl(v1, 17);
    v1 ^= v2;
    v2 = rotl(v2, 32);
  }
};

}  // namespace

uint64_t siphash24(uint64_t k0, uint64_t k1, const uint8_t* data, size_t len) {
  SipState s{k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL, k0 ^ 0x6c7967656e657261ULL,
             k1 ^ 0x7465646279746573ULL};
  const size_t full = len / 8 * 8;
  for (size_t i = 0; i < full; i += 8) {
    uint64_t m = 0;
    for (int b = 7; b >= 0; --b) m = m << 8 | data[i + static_cast<size_t>(b)];
    s.v3 ^= m;
    s.round();
    s.round();
    s.v0 ^= m;
  }
  uint64_t last = uint64_t{len & 0xff} << 56;
  for (size_t i = full; i < len; ++i) last |= uint64_t{data[i]} << (8 * (i - full));
  s.v3 ^= last;
  s.round();
  s.round();
  s.v0 ^= last;
  s.v2 ^= 0xff;
  for (int i = 0; i < 4; ++i) s.round();
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

IsnGenerator::IsnGenerator(uint64_t seed) {
  // Derive the 128-bit key from the seed; distinct constants keep the ISN key
  // independent of other uses of the same seed.
  k0_ = siphash24(seed, 0x69736e2d6b657930ULL, nullptr, 0);
  k1_ = siphash24(seed, 0x69736e2d6b657931ULL, nullptr, 0);
}

uint32_t IsnGenerator::keyed_hash(const FourTuple& t, uint32_t extra) const {
  uint8_t buf[16 + 16 + 2 + 2 + 4];
  size_t n = 0;
  for (uint8_t b : t.local_address.bytes()) buf[n++] = b;
  for (uint8_t b : t.remote_address.bytes()) buf[n++] = b;
  buf[n++] = static_cast<uint8_t>(t.local_port >> 8);
  buf[n++] = static_cast<uint8_t>(t.local_port);
  buf[n++] = static_cast<uint8_t>(t.remote_port >> 8);
  buf[n++] = static_cast<uint8_t>(t.remote_port);
  std::memcpy(&buf[n], &extra, 4);
  n += 4;
  return static_cast<uint32_t>(siphash24(k0_, k1_, buf, n));
}

seqnum::Value IsnGenerator::isn(const FourTuple& t, Instant now) const {
  const auto tick = static_cast<uint32_t>(static_cast<uint64_t>(now.nanos()) >> 6);
  return seqnum::Value(keyed_hash(t, 0) + tick);
}

}  // namespace netstack::tcp
