#include "stack/header/checksum.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "stack/header/address.h"

namespace netstack::header {
namespace {

// RFC 1071 section 3 ("Numerical Examples"): the sum of these bytes is
// 0x2ddf0, which folds to 0xddf2; the checksum is its complement.
constexpr std::array<uint8_t, 8> kRfc1071Bytes = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};

TEST(ChecksumTest, Rfc1071WorkedExample) {
  Checksum c;
  c.add(kRfc1071Bytes);
  EXPECT_EQ(c.folded(), 0xddf2);
  EXPECT_EQ(c.finish(), 0x220d);
}

TEST(ChecksumTest, SplitAtOddOffsetsGivesTheSameSum) {
  const std::span<const uint8_t> all(kRfc1071Bytes);
  for (size_t cut1 = 0; cut1 <= all.size(); ++cut1) {
    for (size_t cut2 = cut1; cut2 <= all.size(); ++cut2) {
      Checksum c;
      c.add(all.first(cut1)).add(all.subspan(cut1, cut2 - cut1)).add(all.subspan(cut2));
      EXPECT_EQ(c.folded(), 0xddf2) << "cuts at " << cut1 << " and " << cut2;
    }
  }
}

// RFC 1071's definition, word by word: the reference the word-parallel sum
// must equal for every length and alignment.
uint16_t reference_sum(std::span<const uint8_t> bytes) {
  uint32_t sum = 0;
  for (size_t i = 0; i < bytes.size(); i += 2) {
    sum += uint32_t{bytes[i]} << 8 | (i + 1 < bytes.size() ? bytes[i + 1] : 0);
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<uint16_t>(sum);
}

TEST(ChecksumTest, MatchesTheWordByWordDefinitionAtEveryLengthAndAlignment) {
  std::vector<uint8_t> data(1200);
  uint32_t x = 12345;
  for (uint8_t& b : data) {
    x = x * 1103515245 + 12345;
    b = static_cast<uint8_t>(x >> 16);
  }
  for (size_t offset = 0; offset < 9; ++offset) {
    for (size_t len = 0; len + offset <= 1100; len += (len < 40 ? 1 : 37)) {
      const auto bytes = std::span<const uint8_t>(data).subspan(offset, len);
      Checksum c;
      c.add(bytes);
      EXPECT_EQ(c.folded(), reference_sum(bytes)) << "offset " << offset << " length " << len;
    }
  }
  const std::vector<uint8_t> ones(70000, 0xff);  // carries through every fold
  Checksum c;
  c.add(ones);
  EXPECT_EQ(c.folded(), reference_sum(ones));
}

TEST(ChecksumTest, Add16AfterOddByteContinuesTheByteStream) {
  // 00 | 01f2 | 03 f4f5 f6f7 : words must still pair up as 0001 f203 f4f5 f6f7.
  Checksum c;
  c.add(std::span(kRfc1071Bytes).first(1)).add16(0x01f2).add(std::span(kRfc1071Bytes).subspan(3));
  EXPECT_EQ(c.folded(), 0xddf2);
}

TEST(ChecksumTest, Add32IsTwoWords) {
  Checksum a;
  a.add32(0x0001f203).add32(0xf4f5f6f7);
  EXPECT_EQ(a.folded(), 0xddf2);
}

TEST(ChecksumTest, OddLengthPadsWithZero) {
  // RFC 1071: an odd trailing byte is the high byte of a word padded with zero.
  const std::array<uint8_t, 3> odd = {0x12, 0x34, 0x56};
  Checksum c;
  c.add(odd);
  EXPECT_EQ(c.folded(), 0x1234 + 0x5600);
}

TEST(ChecksumTest, ClassicIpv4HeaderExample) {
  // 4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7: the word sum is 0x2479c,
  // folded 0x479e, complement 0xb861.
  std::array<uint8_t, 20> header = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                    0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(Checksum().add(header).finish(), 0xb861);
  header[10] = 0xb8;
  header[11] = 0x61;
  EXPECT_EQ(Checksum().add(header).folded(), 0xffff) << "a header with its checksum sums to ~0";
}

TEST(ChecksumTest, Ipv4PseudoHeader) {
  // src, dst, zero, protocol, TCP length as 16-bit words (RFC 9293 section 3.1).
  const IpAddress src = *IpAddress::parse("10.0.0.1");
  const IpAddress dst = *IpAddress::parse("10.0.0.2");
  EXPECT_EQ(pseudo_header(src, dst, 6, 20).folded(), 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + 20);
}

TEST(ChecksumTest, Ipv6PseudoHeader) {
  // src, dst, 32-bit length, 24 zero bits, next header (RFC 8200 section 8.1).
  const IpAddress src = *IpAddress::parse("::1");
  const IpAddress dst = *IpAddress::parse("::2");
  EXPECT_EQ(pseudo_header(src, dst, 6, 0x10014).folded(), 1 + 2 + 0x0001 + 0x0014 + 6);
}

TEST(ChecksumTest, Rfc1624Section4Example) {
  // HC = 0xdd2f, m = 0x5555, m' = 0x3285: eqn. 3 gives 0x0000 (eqn. 2 would
  // give the wrong 0xffff).
  EXPECT_EQ(checksum_update(0xdd2f, 0x5555, 0x3285), 0x0000);
}

TEST(ChecksumTest, IncrementalUpdateOfIpv4TtlMatchesRecompute) {
  // Decrementing the TTL of the classic header: the TTL/protocol word goes
  // from 0x4011 to 0x3f11; a full recompute gives 0xb961.
  EXPECT_EQ(checksum_update(0xb861, 0x4011, 0x3f11), 0xb961);
}

}  // namespace
}  // namespace netstack::header
