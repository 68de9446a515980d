// What the oracle reads off a packet with its own decoder: the fields, the
// packets the stack's receive path would drop, the options as Linux
// tcp_parse_options() walks them, the SACK option's highest block that is
// no D-SACK, and whether the option was full.
#include "oracle/wire_segment.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

#include "stack/header/byte_order.h"
#include "stack/header/checksum.h"
#include "stack/header/tcp_packet.h"

namespace tcpfuzz::oracle {
namespace {

namespace header = netstack::header;

WireSegment decoded(uint32_t ack, std::initializer_list<header::SackBlock> blocks,
                    bool timestamps) {
  header::TcpPacketSpec spec;
  spec.src = *netstack::IpAddress::parse("192.168.0.1");
  spec.dst = *netstack::IpAddress::parse("192.0.2.1");
  spec.tcp.src_port = 80;
  spec.tcp.dst_port = 5000;
  spec.tcp.seq = 5001;
  spec.tcp.ack = ack;
  spec.tcp.flags = header::tcp_flag::kAck;
  spec.tcp.window = 502;
  if (timestamps) spec.options.timestamps = header::Timestamps{1, 2};
  for (const header::SackBlock& b : blocks) spec.options.add_sack(b);
  const netstack::View packet = header::build_tcp_packet(spec);
  return *decode_wire_segment(packet.bytes());
}

TEST(WireSegment, SackEdgeIsTheHighestBlockEnd) {
  const WireSegment s = decoded(1001, {{3001, 4001}, {5001, 6001}, {2001, 2501}}, false);
  EXPECT_TRUE(s.sack);
  EXPECT_EQ(s.sack_edge, 6001u);
  EXPECT_FALSE(s.sack_full);
}

TEST(WireSegment, SackEdgeWrapsWithTheSequenceSpace) {
  const WireSegment s = decoded(0xfffff000, {{0xfffff800, 0xffffff00}, {0x100, 0x200}}, false);
  EXPECT_EQ(s.sack_edge, 0x200u);
}

TEST(WireSegment, ADsackBlockIsNoEdge) {
  // RFC 2883 4: below the ACK, or inside the second block.
  EXPECT_EQ(decoded(1001, {{501, 1001}, {2001, 3001}}, false).sack_edge, 3001u);
  EXPECT_EQ(decoded(1001, {{2201, 2301}, {2001, 3001}}, false).sack_edge, 3001u);
  EXPECT_FALSE(decoded(1001, {{501, 1001}}, false).sack_edge.has_value());
  EXPECT_EQ(decoded(1001, {{4001, 5001}, {2001, 3001}}, false).sack_edge, 5001u);
}

TEST(WireSegment, AFullOptionMayLeaveABlockOut) {
  EXPECT_TRUE(decoded(1001, {{2001, 2101}, {2201, 2301}, {2401, 2501}}, true).sack_full);
  EXPECT_FALSE(decoded(1001, {{2001, 2101}, {2201, 2301}}, true).sack_full);
  EXPECT_TRUE(
      decoded(1001, {{2001, 2101}, {2201, 2301}, {2401, 2501}, {2601, 2701}}, false).sack_full);
}

// An IPv4 packet from 192.168.0.1:80 to 192.0.2.1:5000, seq 5001, ACK
// 1001, ACK flag, window 502, with `options` (a multiple of 4 bytes) and
// `payload` bytes, both checksums right.
std::vector<uint8_t> raw_packet(std::vector<uint8_t> options, size_t payload = 0) {
  const size_t tcp_length = 20 + options.size() + payload;
  std::vector<uint8_t> p(20 + tcp_length, 0);
  p[0] = 0x45;
  header::store_be16(&p[2], static_cast<uint16_t>(p.size()));
  header::store_be16(&p[6], 0x4000);  // DF
  p[8] = 64;
  p[9] = 6;
  const uint8_t addresses[] = {192, 168, 0, 1, 192, 0, 2, 1};
  std::copy(std::begin(addresses), std::end(addresses), &p[12]);
  header::store_be16(&p[10], header::Checksum().add({p.data(), 20}).finish());
  uint8_t* t = &p[20];
  header::store_be16(&t[0], 80);
  header::store_be16(&t[2], 5000);
  header::store_be32(&t[4], 5001);
  header::store_be32(&t[8], 1001);
  t[12] = static_cast<uint8_t>((20 + options.size()) / 4 << 4);
  t[13] = header::tcp_flag::kAck;
  header::store_be16(&t[14], 502);
  std::copy(options.begin(), options.end(), &t[20]);
  const auto src = *netstack::IpAddress::parse("192.168.0.1");
  const auto dst = *netstack::IpAddress::parse("192.0.2.1");
  header::store_be16(&t[16], header::pseudo_header(src, dst, 6, static_cast<uint32_t>(tcp_length))
                                 .add({t, tcp_length})
                                 .finish());
  return p;
}

TEST(WireSegment, ReadsTheHeaderFields) {
  const auto p = raw_packet({1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9}, 100);
  const auto s = decode_wire_segment(p);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->src, *netstack::IpAddress::parse("192.168.0.1"));
  EXPECT_EQ(s->dst, *netstack::IpAddress::parse("192.0.2.1"));
  EXPECT_EQ(s->src_port, 80);
  EXPECT_EQ(s->dst_port, 5000);
  EXPECT_EQ(s->seq, 5001u);
  EXPECT_EQ(s->ack, 1001u);
  EXPECT_EQ(s->flags, header::tcp_flag::kAck);
  EXPECT_EQ(s->window, 502);
  EXPECT_EQ(s->payload, 100u);
  EXPECT_EQ(s->payload_at, 20u + 32u);
  EXPECT_EQ(s->ts_val, 7u);
  EXPECT_EQ(s->ts_ecr, 9u);
  EXPECT_FALSE(s->window_scale.has_value());
  EXPECT_FALSE(s->sack);
}

TEST(WireSegment, WhatTheReceivePathDropsIsNoSegment) {
  auto bad_ip_checksum = raw_packet({});
  bad_ip_checksum[10] ^= 1;
  EXPECT_FALSE(decode_wire_segment(bad_ip_checksum).has_value());

  auto bad_tcp_checksum = raw_packet({});
  bad_tcp_checksum[36] ^= 1;
  EXPECT_FALSE(decode_wire_segment(bad_tcp_checksum).has_value());
  // A host's own packets are read without their TCP checksum.
  EXPECT_TRUE(decode_wire_segment(bad_tcp_checksum, /*verify_checksum=*/false).has_value());

  auto truncated = raw_packet({});
  truncated.pop_back();  // shorter than the IPv4 total length
  EXPECT_FALSE(decode_wire_segment(truncated).has_value());

  auto data_offset_too_small = raw_packet({});
  data_offset_too_small[32] = 4 << 4;
  EXPECT_FALSE(decode_wire_segment(data_offset_too_small, false).has_value());

  auto data_offset_past_the_end = raw_packet({});
  data_offset_past_the_end[32] = 6 << 4;
  EXPECT_FALSE(decode_wire_segment(data_offset_past_the_end, false).has_value());
}

TEST(WireSegment, AFragmentIsNoSegment) {
  // No reassembly: the stack drops fragments (stack.cc), first or later.
  for (const uint16_t frag : std::initializer_list<uint16_t>{0x2000, 0x0001}) {
    auto p = raw_packet({});
    header::store_be16(&p[6], frag);
    header::store_be16(&p[10], 0);
    header::store_be16(&p[10], header::Checksum().add({p.data(), 20}).finish());
    EXPECT_FALSE(decode_wire_segment(p).has_value()) << frag;
  }
}

TEST(WireSegment, OptionsAreWalkedAsLinuxWalksThem) {
  // A length below 2 stops the walk; what came before it counts.
  const auto stopped = decode_wire_segment(raw_packet({8, 10, 0, 0, 0, 7, 0, 0, 0, 9, 3, 1}));
  ASSERT_TRUE(stopped.has_value());
  EXPECT_EQ(stopped->ts_val, 7u);
  // A length past the option space stops it too.
  const auto past = decode_wire_segment(raw_packet({1, 1, 1, 3, 3, 14, 3, 7}));
  EXPECT_EQ(past->window_scale, 14);
  EXPECT_FALSE(decode_wire_segment(raw_packet({1, 3, 9, 7}))->window_scale.has_value());
  // An option of the wrong length is skipped by it, and the walk goes on.
  const auto skipped = decode_wire_segment(raw_packet({3, 4, 7, 0, 1, 3, 3, 5}));
  EXPECT_EQ(skipped->window_scale, 5);
  // EOL ends the options.
  EXPECT_FALSE(decode_wire_segment(raw_packet({0, 3, 3, 5}))->window_scale.has_value());
  // RFC 7323 2.3: a shift above 14 is taken as 14.
  EXPECT_EQ(decode_wire_segment(raw_packet({1, 3, 3, 15}))->window_scale, 14);
}

TEST(WireSegment, Md5AndSackNeedTheirExactLengths) {
  std::vector<uint8_t> md5{19, 18};
  md5.resize(18, 0xab);
  md5.insert(md5.begin(), {1, 1});
  EXPECT_TRUE(decode_wire_segment(raw_packet(md5))->md5);
  // A SACK option of 2 + 8n bytes, n at least 1; otherwise none.
  EXPECT_FALSE(decode_wire_segment(raw_packet({1, 1, 5, 2}))->sack);
  const auto sack = decode_wire_segment(raw_packet({1, 1, 5, 10, 0, 0, 7, 0xd1, 0, 0, 8, 0x01}));
  EXPECT_TRUE(sack->sack);
  EXPECT_EQ(sack->sack_edge, 2049u);
}

}  // namespace
}  // namespace tcpfuzz::oracle
