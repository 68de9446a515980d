#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "stack/header/tcp.h"

namespace netstack::header {
namespace {

// A Linux SYN from port 41668 to 80: seq 0x12345678, data offset 10 words,
// window 64240, checksum field 0xabcd (not checked by parse_tcp), options
// <mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7>.
constexpr std::array<uint8_t, 40> kLinuxSyn = {
    0xa2, 0xc4, 0x00, 0x50, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02,
    0xfa, 0xf0, 0xab, 0xcd, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07};

TEST(TcpHeaderTest, ParsesLinuxSyn) {
  auto parsed = parse_tcp(kLinuxSyn);
  ASSERT_TRUE(parsed);
  const TcpHeader& h = parsed->header;
  EXPECT_EQ(h.src_port, 41668);
  EXPECT_EQ(h.dst_port, 80);
  EXPECT_EQ(h.seq, 0x12345678u);
  EXPECT_EQ(h.ack, 0u);
  EXPECT_EQ(h.flags, tcp_flag::kSyn);
  EXPECT_TRUE(h.has(tcp_flag::kSyn));
  EXPECT_FALSE(h.has(tcp_flag::kAck));
  EXPECT_EQ(h.window, 64240);
  EXPECT_EQ(h.checksum, 0xabcd);
  EXPECT_EQ(h.urgent, 0);
  EXPECT_EQ(h.reserved, 0);
  EXPECT_EQ(h.header_length(), 40u);
  EXPECT_TRUE(std::ranges::equal(h.options, std::span(kLinuxSyn).subspan(20)));
  EXPECT_TRUE(parsed->payload.empty());
}

TEST(TcpHeaderTest, WritesLinuxSyn) {
  TcpHeader h;
  h.src_port = 41668;
  h.dst_port = 80;
  h.seq = 0x12345678;
  h.flags = tcp_flag::kSyn;
  h.window = 64240;
  h.checksum = 0xabcd;
  h.options = std::span(kLinuxSyn).subspan(20);
  std::array<uint8_t, 40> out{};
  EXPECT_EQ(write_tcp(out, h), 40u);
  EXPECT_EQ(out, kLinuxSyn);
}

TEST(TcpHeaderTest, PayloadFollowsOptions) {
  std::vector<uint8_t> seg(kLinuxSyn.begin(), kLinuxSyn.end());
  seg.insert(seg.end(), {'h', 'i'});
  auto parsed = parse_tcp(seg);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->payload.size(), 2u);
  EXPECT_EQ(parsed->payload[0], 'h');
  EXPECT_EQ(parsed->payload.data(), seg.data() + 40);
}

TEST(TcpHeaderTest, ReservedBitsAndAllFlagsRoundTrip) {
  std::array<uint8_t, 20> seg{};
  seg[12] = 0x5f;  // data offset 5, reserved bits all set
  seg[13] = 0xff;
  auto parsed = parse_tcp(seg);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->header.reserved, 0x0f);
  EXPECT_EQ(parsed->header.flags, 0xff);
  std::array<uint8_t, 20> out{};
  write_tcp(out, parsed->header);
  EXPECT_EQ(out, seg);
}

TEST(TcpHeaderTest, RejectsTruncated) {
  auto parsed = parse_tcp(std::span(kLinuxSyn).first(19));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), TcpError::kTruncated);
}

TEST(TcpHeaderTest, RejectsDataOffsetBelowFive) {
  std::array<uint8_t, 40> seg = kLinuxSyn;
  for (uint8_t offset = 0; offset < 5; ++offset) {
    seg[12] = static_cast<uint8_t>(offset << 4);
    auto parsed = parse_tcp(seg);
    ASSERT_FALSE(parsed) << "data offset " << int{offset};
    EXPECT_EQ(parsed.error(), TcpError::kBadDataOffset);
  }
}

TEST(TcpHeaderTest, RejectsDataOffsetBeyondSegment) {
  // 10 words of header claimed, 36 bytes present.
  auto parsed = parse_tcp(std::span(kLinuxSyn).first(36));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), TcpError::kBadDataOffset);
}

TEST(TcpHeaderTest, FlagsInPacketdrillNotation) {
  // packetdrill prints flags in tcpdump's order F S R P . U E W.
  using namespace tcp_flag;
  EXPECT_EQ(flags_to_string(kSyn), "S");
  EXPECT_EQ(flags_to_string(kSyn | kAck), "S.");
  EXPECT_EQ(flags_to_string(kFin | kAck), "F.");
  EXPECT_EQ(flags_to_string(kFin | kPsh | kAck), "FP.");
  EXPECT_EQ(flags_to_string(kRst), "R");
  EXPECT_EQ(flags_to_string(kRst | kAck), "R.");
  EXPECT_EQ(flags_to_string(kPsh | kAck), "P.");
  EXPECT_EQ(flags_to_string(kAck), ".");
  EXPECT_EQ(flags_to_string(kSyn | kEce | kCwr), "SEW");
  EXPECT_EQ(flags_to_string(kSyn | kAck | kEce), "S.E");
  EXPECT_EQ(flags_to_string(kAck | kUrg), ".U");
  EXPECT_EQ(flags_to_string(kFin | kSyn), "FS");
  EXPECT_EQ(flags_to_string(0), "");
}

}  // namespace
}  // namespace netstack::header
