#include "stack/header/ip.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "stack/header/checksum.h"

namespace netstack::header {
namespace {

// The classic example header (UDP, 192.168.0.1 -> 192.168.0.199, DF, TTL 64,
// total length 0x73 = 115), checksum 0xb861 computed by hand.
std::vector<uint8_t> classic_ipv4_packet() {
  std::vector<uint8_t> p = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                            0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  p.resize(115, 0xab);
  return p;
}

void refill_ipv4_checksum(std::span<uint8_t> packet) {
  const size_t header_length = size_t{packet[0] & 0x0fu} * 4;
  packet[10] = packet[11] = 0;
  const uint16_t c = Checksum().add(packet.first(header_length)).finish();
  packet[10] = static_cast<uint8_t>(c >> 8);
  packet[11] = static_cast<uint8_t>(c);
}

TEST(Ipv4Test, ParsesClassicHeader) {
  const std::vector<uint8_t> p = classic_ipv4_packet();
  auto parsed = parse_ipv4(p);
  ASSERT_TRUE(parsed);
  const Ipv4Header& h = parsed->header;
  EXPECT_EQ(h.tos, 0);
  EXPECT_EQ(h.total_length, 115);
  EXPECT_EQ(h.id, 0);
  EXPECT_TRUE(h.dont_fragment);
  EXPECT_FALSE(h.more_fragments);
  EXPECT_EQ(h.fragment_offset, 0);
  EXPECT_FALSE(h.is_fragment());
  EXPECT_EQ(h.ttl, 64);
  EXPECT_EQ(h.protocol, 17);
  EXPECT_EQ(h.checksum, 0xb861);
  EXPECT_EQ(h.src, *IpAddress::parse("192.168.0.1"));
  EXPECT_EQ(h.dst, *IpAddress::parse("192.168.0.199"));
  EXPECT_TRUE(h.options.empty());
  EXPECT_EQ(parsed->payload.size(), 95u);
  EXPECT_EQ(parsed->payload.data(), p.data() + 20) << "payload points into the packet";
}

TEST(Ipv4Test, WritesClassicHeader) {
  Ipv4Header h;
  h.total_length = 115;
  h.dont_fragment = true;
  h.ttl = 64;
  h.protocol = 17;
  h.src = *IpAddress::parse("192.168.0.1");
  h.dst = *IpAddress::parse("192.168.0.199");
  std::array<uint8_t, 20> out{};
  EXPECT_EQ(write_ipv4(out, h), 20u);
  const std::vector<uint8_t> expected = classic_ipv4_packet();
  EXPECT_TRUE(std::ranges::equal(out, std::span(expected).first(20)));
}

TEST(Ipv4Test, LinkPaddingIsNotPayload) {
  std::vector<uint8_t> p = classic_ipv4_packet();
  p.resize(200, 0);  // e.g. Ethernet minimum-frame padding
  auto parsed = parse_ipv4(p);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->payload.size(), 95u);
}

TEST(Ipv4Test, FragmentFields) {
  std::vector<uint8_t> p = classic_ipv4_packet();
  p[6] = 0x3f;  // MF, offset 0x1fff
  p[7] = 0xff;
  refill_ipv4_checksum(p);
  auto parsed = parse_ipv4(p);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->header.dont_fragment);
  EXPECT_TRUE(parsed->header.more_fragments);
  EXPECT_EQ(parsed->header.fragment_offset, 0x1fff);
  EXPECT_TRUE(parsed->header.is_fragment());

  p[6] = 0x00;  // last fragment: only the offset says so
  p[7] = 0x01;
  refill_ipv4_checksum(p);
  parsed = parse_ipv4(p);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->header.more_fragments);
  EXPECT_TRUE(parsed->header.is_fragment());
}

TEST(Ipv4Test, OptionsRoundTrip) {
  // IHL 6: one word of options (three NOPs and an EOL).
  const std::array<uint8_t, 4> options = {0x01, 0x01, 0x01, 0x00};
  Ipv4Header h;
  h.total_length = 24;
  h.id = 0x1234;
  h.src = *IpAddress::parse("10.1.2.3");
  h.dst = *IpAddress::parse("10.4.5.6");
  h.options = options;
  std::array<uint8_t, 24> out{};
  EXPECT_EQ(write_ipv4(out, h), 24u);
  EXPECT_EQ(out[0], 0x46);
  auto parsed = parse_ipv4(out);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(std::ranges::equal(parsed->header.options, options));
  EXPECT_EQ(parsed->header.header_length(), 24u);
  EXPECT_TRUE(parsed->payload.empty());
  h.checksum = parsed->header.checksum;
  EXPECT_EQ(parsed->header, h);
}

TEST(Ipv4Test, RejectsTruncated) {
  const std::vector<uint8_t> p = classic_ipv4_packet();
  auto parsed = parse_ipv4(std::span(p).first(19));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), IpError::kTruncated);
}

TEST(Ipv4Test, RejectsBadVersion) {
  std::vector<uint8_t> p = classic_ipv4_packet();
  p[0] = 0x65;
  auto parsed = parse_ipv4(p);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), IpError::kBadVersion);
}

TEST(Ipv4Test, RejectsHeaderLengthBelowFiveWords) {
  std::vector<uint8_t> p = classic_ipv4_packet();
  for (uint8_t ihl = 0; ihl < 5; ++ihl) {
    p[0] = static_cast<uint8_t>(0x40 | ihl);
    auto parsed = parse_ipv4(p);
    ASSERT_FALSE(parsed) << "IHL " << int{ihl};
    EXPECT_EQ(parsed.error(), IpError::kBadHeaderLength);
  }
}

TEST(Ipv4Test, RejectsHeaderLengthBeyondPacket) {
  std::vector<uint8_t> p = classic_ipv4_packet();
  p.resize(56);
  p[2] = 0;
  p[3] = 56;
  p[0] = 0x4f;  // 60 bytes of header in a 56-byte packet
  auto parsed = parse_ipv4(p);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), IpError::kBadHeaderLength);
}

TEST(Ipv4Test, RejectsTotalLengthBelowHeader) {
  std::vector<uint8_t> p = classic_ipv4_packet();
  p[2] = 0;
  p[3] = 19;
  refill_ipv4_checksum(p);
  auto parsed = parse_ipv4(p);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), IpError::kBadTotalLength);
}

TEST(Ipv4Test, RejectsTotalLengthBeyondBuffer) {
  std::vector<uint8_t> p = classic_ipv4_packet();
  auto parsed = parse_ipv4(std::span(p).first(114));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), IpError::kBadTotalLength);
}

TEST(Ipv4Test, RejectsBadChecksum) {
  std::vector<uint8_t> p = classic_ipv4_packet();
  p[11] ^= 0x01;
  auto parsed = parse_ipv4(p);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), IpError::kBadChecksum);
}

TEST(Ipv4Test, ChecksumCoversOptions) {
  std::vector<uint8_t> p(24, 0);
  p[0] = 0x46;
  p[3] = 24;
  p[8] = 64;
  p[9] = 6;
  refill_ipv4_checksum(p);
  ASSERT_TRUE(parse_ipv4(p));
  p[22] = 0x01;
  auto parsed = parse_ipv4(p);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), IpError::kBadChecksum);
}

// 6 | traffic class 0xab | flow label 0xcdef1, payload 4, next header TCP,
// hop limit 64, 2001:db8::1 -> 2001:db8::2.
std::vector<uint8_t> sample_ipv6_packet() {
  std::vector<uint8_t> p = {0x6a, 0xbc, 0xde, 0xf1, 0x00, 0x04, 0x06, 0x40};
  const std::array<uint8_t, 16> src = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  std::array<uint8_t, 16> dst = src;
  dst[15] = 2;
  p.insert(p.end(), src.begin(), src.end());
  p.insert(p.end(), dst.begin(), dst.end());
  p.insert(p.end(), {0xde, 0xad, 0xbe, 0xef});
  return p;
}

TEST(Ipv6Test, ParsesHeader) {
  const std::vector<uint8_t> p = sample_ipv6_packet();
  auto parsed = parse_ipv6(p);
  ASSERT_TRUE(parsed);
  const Ipv6Header& h = parsed->header;
  EXPECT_EQ(h.traffic_class, 0xab);
  EXPECT_EQ(h.flow_label, 0xcdef1u);
  EXPECT_EQ(h.payload_length, 4);
  EXPECT_EQ(h.next_header, kProtocolTcp);
  EXPECT_EQ(h.hop_limit, 64);
  EXPECT_EQ(h.src, *IpAddress::parse("2001:db8::1"));
  EXPECT_EQ(h.dst, *IpAddress::parse("2001:db8::2"));
  EXPECT_TRUE(std::ranges::equal(parsed->payload, std::array<uint8_t, 4>{0xde, 0xad, 0xbe, 0xef}));
}

TEST(Ipv6Test, WritesHeader) {
  Ipv6Header h;
  h.traffic_class = 0xab;
  h.flow_label = 0xcdef1;
  h.payload_length = 4;
  h.src = *IpAddress::parse("2001:db8::1");
  h.dst = *IpAddress::parse("2001:db8::2");
  std::array<uint8_t, 40> out{};
  write_ipv6(out, h);
  const std::vector<uint8_t> expected = sample_ipv6_packet();
  EXPECT_TRUE(std::ranges::equal(out, std::span(expected).first(40)));
}

TEST(Ipv6Test, PaddingBeyondPayloadLengthIsNotPayload) {
  std::vector<uint8_t> p = sample_ipv6_packet();
  p.push_back(0);
  auto parsed = parse_ipv6(p);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->payload.size(), 4u);
}

TEST(Ipv6Test, RejectsTruncated) {
  const std::vector<uint8_t> p = sample_ipv6_packet();
  auto parsed = parse_ipv6(std::span(p).first(39));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), IpError::kTruncated);
}

TEST(Ipv6Test, RejectsBadVersion) {
  std::vector<uint8_t> p = sample_ipv6_packet();
  p[0] = 0x4a;
  auto parsed = parse_ipv6(p);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), IpError::kBadVersion);
}

TEST(Ipv6Test, RejectsPayloadLengthBeyondPacket) {
  std::vector<uint8_t> p = sample_ipv6_packet();
  p[5] = 5;
  auto parsed = parse_ipv6(p);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), IpError::kBadTotalLength);
}

TEST(Ipv6Test, ExtensionHeadersPerIanaRegistry) {
  // IANA "IPv6 Extension Header Types": Hop-by-Hop, Routing, Fragment, ESP,
  // AH, Destination Options, Mobility, HIP, Shim6, and the two experimental
  // values of RFC 3692/4727.
  for (int n : {0, 43, 44, 50, 51, 60, 135, 139, 140, 253, 254}) {
    EXPECT_TRUE(is_ipv6_extension_header(static_cast<uint8_t>(n))) << n;
  }
  // Upper-layer protocols and "No Next Header" (59, which ends the chain).
  for (int n : {6, 17, 58, 59, 41, 255}) {
    EXPECT_FALSE(is_ipv6_extension_header(static_cast<uint8_t>(n))) << n;
  }
}

}  // namespace
}  // namespace netstack::header
