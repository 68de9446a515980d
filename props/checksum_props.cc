#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "gen/wire_gen.h"
#include "stack/header/checksum.h"
#include "stack/header/ip.h"
#include "stack/header/tcp.h"
#include "stack/header/tcp_packet.h"

namespace netstack::header {
namespace {

struct BuiltPacket {
  TcpPacketSpec spec;
  std::vector<uint8_t> payload;  // spec.payload points here
  View packet;
  size_t ip_header_length = 0;
};

BuiltPacket arbitrary_packet() {
  BuiltPacket b;
  const auto family = *rc::gen::element(IpAddress::Family::kV4, IpAddress::Family::kV6);
  b.spec.src = *gen::specified_address(family);
  b.spec.dst = *gen::specified_address(family);
  b.spec.tcp = *gen::tcp_header_fields();
  b.spec.options = *rc::gen::arbitrary<TcpOptions>();
  b.payload = *rc::gen::container<std::vector<uint8_t>>(rc::gen::arbitrary<uint8_t>());
  b.spec.payload = b.payload;
  b.packet = build_tcp_packet(b.spec);
  b.ip_header_length = family == IpAddress::Family::kV4 ? kIpv4MinHeaderLength : kIpv6HeaderLength;
  return b;
}

RC_GTEST_PROP(ChecksumProps, EveryBuiltPacketVerifies, ()) {
  const BuiltPacket b = arbitrary_packet();
  if (b.spec.src.is_v4()) RC_ASSERT(parse_ipv4(b.packet.bytes()).has_value());
  RC_ASSERT(
      verify_tcp_checksum(b.packet.bytes().subspan(b.ip_header_length), b.spec.src, b.spec.dst));
}

RC_GTEST_PROP(ChecksumProps, FlippingAnySegmentBitFailsVerification, ()) {
  BuiltPacket b = arbitrary_packet();
  std::span<uint8_t> segment = b.packet.mutable_bytes().subspan(b.ip_header_length);
  const size_t bit = *rc::gen::inRange<size_t>(0, segment.size() * 8);
  segment[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  RC_ASSERT(!verify_tcp_checksum(segment, b.spec.src, b.spec.dst));
}

RC_GTEST_PROP(ChecksumProps, FlippingAnyIpv4HeaderBitFailsParsing, ()) {
  TcpPacketSpec spec;
  spec.src = *gen::specified_address(IpAddress::Family::kV4);
  spec.dst = *gen::specified_address(IpAddress::Family::kV4);
  spec.tcp = *gen::tcp_header_fields();
  View packet = build_tcp_packet(spec);
  // Byte 0 is left out: a flipped IHL bit can make the header swallow TCP
  // bytes, whose sum then verifies by chance about once in 2^16.
  const size_t bit = *rc::gen::inRange<size_t>(8, kIpv4MinHeaderLength * 8);
  packet.mutable_bytes()[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  RC_ASSERT(!parse_ipv4(packet.bytes()).has_value());
}

RC_GTEST_PROP(ChecksumProps, IncrementalUpdateEqualsRecompute, ()) {
  auto data = *rc::gen::container<std::vector<uint8_t>>(*rc::gen::inRange<size_t>(1, 40) * 2,
                                                        rc::gen::arbitrary<uint8_t>());
  const uint16_t old_checksum = Checksum().add(data).finish();
  const size_t word = *rc::gen::inRange<size_t>(0, data.size() / 2);
  const auto new_word = *rc::gen::arbitrary<uint16_t>();
  const auto old_word = static_cast<uint16_t>(data[2 * word] << 8 | data[2 * word + 1]);
  data[2 * word] = static_cast<uint8_t>(new_word >> 8);
  data[2 * word + 1] = static_cast<uint8_t>(new_word);
  // RFC 1624 section 3: over all-zero data eqn. 3 yields 0x0000 where a
  // recompute yields 0xffff (the other zero); real headers are never all zero.
  RC_PRE(std::ranges::any_of(data, [](uint8_t v) { return v != 0; }));
  RC_ASSERT(checksum_update(old_checksum, old_word, new_word) == Checksum().add(data).finish());
}

RC_GTEST_PROP(ChecksumProps, SumIndependentOfHowTheDataIsSplit, ()) {
  const auto data = *rc::gen::container<std::vector<uint8_t>>(rc::gen::arbitrary<uint8_t>());
  const size_t cut = *rc::gen::inRange<size_t>(0, data.size() + 1);
  const std::span<const uint8_t> all(data);
  RC_ASSERT(Checksum().add(all.first(cut)).add(all.subspan(cut)).folded() ==
            Checksum().add(all).folded());
}

RC_GTEST_PROP(ChecksumProps, RecomputeRepairsAnyChecksumDamage, ()) {
  BuiltPacket b = arbitrary_packet();
  std::vector<uint8_t> bytes(b.packet.bytes().begin(), b.packet.bytes().end());
  // Scribble over the IPv4 header checksum and the TCP checksum.
  const size_t tcp_checksum = b.ip_header_length + 16;
  bytes[tcp_checksum] ^= *rc::gen::inRange<uint8_t>(1, 255);
  if (b.spec.src.is_v4()) bytes[10] ^= *rc::gen::inRange<uint8_t>(1, 255);
  recompute_checksums(bytes);
  RC_ASSERT(std::ranges::equal(bytes, b.packet.bytes()));
}

// RFC 1071's definition, one big-endian 16-bit word at a time with the
// end-around carry, odd byte padded with zero: the reference the optimised
// summation must agree with.
uint16_t rfc1071_folded_sum(const std::vector<uint8_t>& data) {
  uint32_t sum = 0;
  for (size_t i = 0; i < data.size(); i += 2) {
    sum += static_cast<uint32_t>(data[i] << 8) | (i + 1 < data.size() ? data[i + 1] : 0);
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<uint16_t>(sum);
}

RC_GTEST_PROP(ChecksumProps, SumMatchesTheRfc1071Definition, ()) {
  const auto data = *rc::gen::container<std::vector<uint8_t>>(rc::gen::arbitrary<uint8_t>());
  RC_ASSERT(Checksum().add(data).folded() == rfc1071_folded_sum(data));
}

}  // namespace
}  // namespace netstack::header
