#include "stack/header/tcp_packet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "stack/header/ip.h"
#include "stack/header/tcp.h"

namespace netstack::header {
namespace {

TEST(TcpPacketTest, MinimalIpv4SynMatchesHandComputedBytes) {
  // IPv4 checksum: ~(4500+0028+4000+4006+0a00+0001+0a00+0002) = 0x26ce.
  // TCP checksum: ~(pseudo 0a00+0001+0a00+0002+0006+0014 + 0001+0002+5002) = 0x9bdd.
  TcpPacketSpec spec;
  spec.src = *IpAddress::parse("10.0.0.1");
  spec.dst = *IpAddress::parse("10.0.0.2");
  spec.tcp.src_port = 1;
  spec.tcp.dst_port = 2;
  spec.tcp.flags = tcp_flag::kSyn;
  const std::vector<uint8_t> expected = {
      0x45, 0x00, 0x00, 0x28, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0x26, 0xce, 0x0a, 0x00,
      0x00, 0x01, 0x0a, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0x00, 0x00, 0x9b, 0xdd, 0x00, 0x00};
  const View packet = build_tcp_packet(spec);
  EXPECT_TRUE(std::ranges::equal(packet.bytes(), expected));
}

TEST(TcpPacketTest, MinimalIpv6SynHasHandComputedChecksum) {
  // ~(pseudo 0001+0002+0014+0006 + 0001+0002+5002) = 0xafdd.
  TcpPacketSpec spec;
  spec.src = *IpAddress::parse("::1");
  spec.dst = *IpAddress::parse("::2");
  spec.tcp.src_port = 1;
  spec.tcp.dst_port = 2;
  spec.tcp.flags = tcp_flag::kSyn;
  const View packet = build_tcp_packet(spec);
  const auto b = packet.bytes();
  ASSERT_EQ(b.size(), 60u);
  EXPECT_EQ(b[0], 0x60);
  EXPECT_EQ(b[4] << 8 | b[5], 20) << "payload length";
  EXPECT_EQ(b[6], kProtocolTcp);
  EXPECT_EQ(b[7], 64) << "hop limit";
  EXPECT_EQ(b[40 + 16], 0xaf);
  EXPECT_EQ(b[40 + 17], 0xdd);
}

TcpPacketSpec data_segment_spec(const char* src, const char* dst) {
  static constexpr std::array<uint8_t, 5> kPayload = {'h', 'e', 'l', 'l', 'o'};
  TcpPacketSpec spec;
  spec.src = *IpAddress::parse(src);
  spec.dst = *IpAddress::parse(dst);
  spec.ttl = 17;
  spec.tos = 0x28;
  spec.ip_id = 0x4242;
  spec.tcp.src_port = 40000;
  spec.tcp.dst_port = 443;
  spec.tcp.seq = 0xfffffffe;
  spec.tcp.ack = 7;
  spec.tcp.flags = tcp_flag::kPsh | tcp_flag::kAck;
  spec.tcp.window = 512;
  spec.options.timestamps = Timestamps{10, 20};
  spec.payload = kPayload;
  return spec;
}

TEST(TcpPacketTest, Ipv4DataSegmentParsesBack) {
  const TcpPacketSpec spec = data_segment_spec("192.0.2.1", "198.51.100.2");
  const View packet = build_tcp_packet(spec);
  auto ip = parse_ipv4(packet.bytes());
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->header.total_length, 20 + 32 + 5);
  EXPECT_EQ(ip->header.ttl, 17);
  EXPECT_EQ(ip->header.tos, 0x28);
  EXPECT_EQ(ip->header.id, 0x4242);
  EXPECT_TRUE(ip->header.dont_fragment);
  EXPECT_EQ(ip->header.protocol, kProtocolTcp);
  EXPECT_EQ(ip->header.src, spec.src);
  EXPECT_EQ(ip->header.dst, spec.dst);
  EXPECT_TRUE(verify_tcp_checksum(ip->payload, spec.src, spec.dst));

  auto tcp = parse_tcp(ip->payload);
  ASSERT_TRUE(tcp);
  EXPECT_EQ(tcp->header.src_port, 40000);
  EXPECT_EQ(tcp->header.dst_port, 443);
  EXPECT_EQ(tcp->header.seq, 0xfffffffeu);
  EXPECT_EQ(tcp->header.ack, 7u);
  EXPECT_EQ(tcp->header.flags, tcp_flag::kPsh | tcp_flag::kAck);
  EXPECT_EQ(tcp->header.window, 512);
  EXPECT_EQ(tcp->header.header_length(), 32u);
  EXPECT_EQ(parse_tcp_options(tcp->header.options), spec.options);
  EXPECT_TRUE(std::ranges::equal(tcp->payload, spec.payload));
}

TEST(TcpPacketTest, Ipv6DataSegmentParsesBack) {
  const TcpPacketSpec spec = data_segment_spec("2001:db8::1", "2001:db8::2");
  const View packet = build_tcp_packet(spec);
  auto ip = parse_ipv6(packet.bytes());
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->header.payload_length, 32 + 5);
  EXPECT_EQ(ip->header.hop_limit, 17);
  EXPECT_EQ(ip->header.traffic_class, 0x28);
  EXPECT_EQ(ip->header.next_header, kProtocolTcp);
  EXPECT_TRUE(verify_tcp_checksum(ip->payload, spec.src, spec.dst));
  auto tcp = parse_tcp(ip->payload);
  ASSERT_TRUE(tcp);
  EXPECT_EQ(parse_tcp_options(tcp->header.options), spec.options);
  EXPECT_TRUE(std::ranges::equal(tcp->payload, spec.payload));
}

TEST(TcpPacketTest, OddPayloadChecksumVerifies) {
  static constexpr std::array<uint8_t, 3> kOdd = {0xff, 0xfe, 0xfd};
  TcpPacketSpec spec = data_segment_spec("10.0.0.1", "10.0.0.2");
  spec.payload = kOdd;
  const View packet = build_tcp_packet(spec);
  EXPECT_TRUE(verify_tcp_checksum(packet.bytes().subspan(20), spec.src, spec.dst));
}

TEST(TcpPacketTest, CorruptChecksumFailsVerification) {
  TcpPacketSpec spec = data_segment_spec("10.0.0.1", "10.0.0.2");
  spec.corrupt_checksum = true;
  const View packet = build_tcp_packet(spec);
  auto ip = parse_ipv4(packet.bytes());
  ASSERT_TRUE(ip) << "only the TCP checksum is wrong";
  EXPECT_FALSE(verify_tcp_checksum(ip->payload, spec.src, spec.dst));
}

TEST(TcpPacketTest, ChecksumDependsOnPseudoHeaderAddresses) {
  const TcpPacketSpec spec = data_segment_spec("10.0.0.1", "10.0.0.2");
  const View packet = build_tcp_packet(spec);
  EXPECT_FALSE(
      verify_tcp_checksum(packet.bytes().subspan(20), spec.src, *IpAddress::parse("10.0.0.3")));
}

TEST(TcpPacketTest, RawOptionsPaddedWithEolToAWord) {
  static constexpr std::array<uint8_t, 3> kRaw = {0x01, 0x01, 0x01};
  TcpPacketSpec spec = data_segment_spec("10.0.0.1", "10.0.0.2");
  spec.payload = {};
  spec.raw_options = kRaw;
  const View packet = build_tcp_packet(spec);
  auto tcp = parse_tcp(packet.bytes().subspan(20));
  ASSERT_TRUE(tcp);
  EXPECT_TRUE(std::ranges::equal(tcp->header.options, std::array<uint8_t, 4>{1, 1, 1, 0}));
}

TEST(TcpPacketTest, RawOptionsCutAt40Bytes) {
  std::array<uint8_t, 44> raw{};
  raw.fill(0x01);
  TcpPacketSpec spec = data_segment_spec("10.0.0.1", "10.0.0.2");
  spec.raw_options = raw;
  const View packet = build_tcp_packet(spec);
  auto tcp = parse_tcp(packet.bytes().subspan(20));
  ASSERT_TRUE(tcp);
  EXPECT_EQ(tcp->header.options.size(), 40u);
  EXPECT_EQ(tcp->header.header_length(), 60u);
  EXPECT_TRUE(std::ranges::equal(tcp->payload, spec.payload));
}

TEST(TcpPacketTest, MalformedRawOptionsAreSentAsGiven) {
  // A zero-length option: the receiver's parser stops there.
  static constexpr std::array<uint8_t, 8> kRaw = {0x02, 0x04, 0x05, 0xb4, 0x08, 0x00, 0x00, 0x00};
  TcpPacketSpec spec = data_segment_spec("10.0.0.1", "10.0.0.2");
  spec.raw_options = kRaw;
  const View packet = build_tcp_packet(spec);
  auto tcp = parse_tcp(packet.bytes().subspan(20));
  ASSERT_TRUE(tcp);
  EXPECT_TRUE(std::ranges::equal(tcp->header.options, kRaw));
}

}  // namespace
}  // namespace netstack::header
