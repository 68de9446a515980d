// What the oracle reads off a packet: the SACK option's highest block that
// is no D-SACK, and whether the option was full.
#include "oracle/wire_segment.h"

#include <gtest/gtest.h>

#include <initializer_list>

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

}  // namespace
}  // namespace tcpfuzz::oracle
