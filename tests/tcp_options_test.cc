#include "stack/header/tcp_options.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace netstack::header {
namespace {

using Bytes = std::vector<uint8_t>;

// <mss 1460,sackOK,TS val 123456 ecr 0,nop,wscale 7>: what Linux puts on a SYN.
const Bytes kLinuxSynOptions = {0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x01,
                                0xe2, 0x40, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07};

TcpOptions linux_syn_options() {
  TcpOptions o;
  o.mss = 1460;
  o.sack_permitted = true;
  o.timestamps = Timestamps{123456, 0};
  o.window_scale = 7;
  return o;
}

Bytes write(const TcpOptions& o) {
  std::array<uint8_t, 40> out{};
  const std::optional<size_t> n = write_tcp_options(out, o);
  if (!n) return {};
  return Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(*n));
}

TEST(TcpOptionsTest, ParsesLinuxSyn) {
  const TcpOptions o = parse_tcp_options(kLinuxSynOptions);
  EXPECT_EQ(o.mss, 1460);
  EXPECT_TRUE(o.sack_permitted);
  ASSERT_TRUE(o.timestamps);
  EXPECT_EQ(o.timestamps->value, 123456u);
  EXPECT_EQ(o.timestamps->echo_reply, 0u);
  EXPECT_EQ(o.window_scale, 7);
  EXPECT_TRUE(o.sacks().empty());
}

TEST(TcpOptionsTest, WritesLinuxSynLayout) {
  EXPECT_EQ(tcp_options_size(linux_syn_options()), 20u);
  EXPECT_EQ(write(linux_syn_options()), kLinuxSynOptions);
}

TEST(TcpOptionsTest, WritesLinuxSynAckWithoutTimestamps) {
  // <mss 1460,nop,nop,sackOK,nop,wscale 7>
  TcpOptions o;
  o.mss = 1460;
  o.sack_permitted = true;
  o.window_scale = 7;
  EXPECT_EQ(write(o),
            (Bytes{0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02, 0x01, 0x03, 0x03, 0x07}));
}

TEST(TcpOptionsTest, WritesTimestampsOnDataSegment) {
  // <nop,nop,TS val 0x01020304 ecr 0x0a0b0c0d>
  TcpOptions o;
  o.timestamps = Timestamps{0x01020304, 0x0a0b0c0d};
  EXPECT_EQ(write(o),
            (Bytes{0x01, 0x01, 0x08, 0x0a, 0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x0c, 0x0d}));
}

TEST(TcpOptionsTest, WritesTimestampsAndSackBlocks) {
  // <nop,nop,TS val 1 ecr 2,nop,nop,sack 100:200>
  TcpOptions o;
  o.timestamps = Timestamps{1, 2};
  o.add_sack({100, 200});
  const Bytes expected = {0x01, 0x01, 0x08, 0x0a, 0, 0, 0, 1,    0, 0, 0, 2,
                          0x01, 0x01, 0x05, 0x0a, 0, 0, 0, 0x64, 0, 0, 0, 0xc8};
  EXPECT_EQ(tcp_options_size(o), 24u);
  EXPECT_EQ(write(o), expected);
  EXPECT_EQ(parse_tcp_options(expected), o);
}

TEST(TcpOptionsTest, EmptyOptionsWriteNothing) {
  EXPECT_EQ(tcp_options_size(TcpOptions{}), 0u);
  std::array<uint8_t, 1> out{};
  EXPECT_EQ(write_tcp_options(std::span(out).first(0), TcpOptions{}), 0u);
}

TEST(TcpOptionsTest, RefusesWhatDoesNotFitIn40Bytes) {
  // MSS 4 + TS 12 + WS 4 + three SACK blocks 28 = 48 bytes.
  TcpOptions o = linux_syn_options();
  o.sack_permitted = false;
  o.add_sack({1, 2});
  o.add_sack({3, 4});
  o.add_sack({5, 6});
  EXPECT_EQ(tcp_options_size(o), 48u);
  std::array<uint8_t, 64> out{};
  out.fill(0xee);
  EXPECT_EQ(write_tcp_options(out, o), std::nullopt);
  EXPECT_EQ(out[0], 0xee) << "nothing written";
}

TEST(TcpOptionsTest, RefusesWhatDoesNotFitInTheBuffer) {
  std::array<uint8_t, 19> out{};
  out.fill(0xee);
  EXPECT_EQ(write_tcp_options(out, linux_syn_options()), std::nullopt);
  EXPECT_EQ(out[0], 0xee) << "nothing written";
}

TEST(TcpOptionsTest, FourSackBlocksFitWithNoOtherOption) {
  TcpOptions o;
  for (uint32_t i = 0; i < 4; ++i) o.add_sack({0xfffffff0u + i * 8, 0xfffffff4u + i * 8});
  o.add_sack({1, 2});  // a fifth is not kept
  EXPECT_EQ(o.sacks().size(), 4u);
  EXPECT_EQ(tcp_options_size(o), 36u);
  const Bytes bytes = write(o);
  ASSERT_EQ(bytes.size(), 36u);
  EXPECT_EQ(bytes[3], 2 + 4 * 8);
  EXPECT_EQ(parse_tcp_options(bytes), o);
}

TEST(TcpOptionsTest, EolEndsParsing) {
  const TcpOptions o = parse_tcp_options(Bytes{0x00, 0x01, 0x03, 0x03, 0x07});
  EXPECT_EQ(o, TcpOptions{});
}

TEST(TcpOptionsTest, UnknownKindSkippedByLength) {
  const TcpOptions o = parse_tcp_options(Bytes{0xfe, 0x04, 0xaa, 0xbb, 0x01, 0x03, 0x03, 0x07});
  EXPECT_EQ(o.window_scale, 7);
}

TEST(TcpOptionsTest, LengthZeroStopsParsingKeepsEarlierOptions) {
  const TcpOptions o =
      parse_tcp_options(Bytes{0x02, 0x04, 0x05, 0xb4, 0x08, 0x00, 0x01, 0x03, 0x03, 0x07});
  EXPECT_EQ(o.mss, 1460);
  EXPECT_FALSE(o.window_scale) << "parsing stopped at the length-0 option";
}

TEST(TcpOptionsTest, LengthOneStopsParsingKeepsEarlierOptions) {
  const TcpOptions o =
      parse_tcp_options(Bytes{0x02, 0x04, 0x05, 0xb4, 0xfe, 0x01, 0x01, 0x03, 0x03, 0x07});
  EXPECT_EQ(o.mss, 1460);
  EXPECT_FALSE(o.window_scale);
}

TEST(TcpOptionsTest, LengthBeyondEndStopsParsing) {
  // The window scale claims 5 bytes, 3 remain.
  const TcpOptions o = parse_tcp_options(Bytes{0x02, 0x04, 0x05, 0xb4, 0x03, 0x05, 0x07});
  EXPECT_EQ(o.mss, 1460);
  EXPECT_FALSE(o.window_scale);
}

TEST(TcpOptionsTest, KindWithoutRoomForLengthStopsParsing) {
  const TcpOptions o = parse_tcp_options(Bytes{0x02, 0x04, 0x05, 0xb4, 0x03});
  EXPECT_EQ(o.mss, 1460);
  EXPECT_FALSE(o.window_scale);
}

TEST(TcpOptionsTest, TruncatedLinuxSynKeepsWhatWasComplete) {
  // Cut in the middle of the timestamps: MSS and SACK-permitted survive.
  const TcpOptions o = parse_tcp_options(std::span(kLinuxSynOptions).first(12));
  EXPECT_EQ(o.mss, 1460);
  EXPECT_TRUE(o.sack_permitted);
  EXPECT_FALSE(o.timestamps);
  EXPECT_FALSE(o.window_scale);
}

TEST(TcpOptionsTest, WrongLengthMssSkipped) {
  const TcpOptions o = parse_tcp_options(Bytes{0x02, 0x03, 0x05, 0x01, 0x03, 0x03, 0x07});
  EXPECT_FALSE(o.mss);
  EXPECT_EQ(o.window_scale, 7) << "parsing continued after the skipped option";
}

TEST(TcpOptionsTest, WrongLengthTimestampsSkipped) {
  const TcpOptions o = parse_tcp_options(
      Bytes{0x08, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07});
  EXPECT_FALSE(o.timestamps);
  EXPECT_EQ(o.window_scale, 7);
}

TEST(TcpOptionsTest, WrongLengthWindowScaleAndSackPermittedSkipped) {
  const TcpOptions o =
      parse_tcp_options(Bytes{0x03, 0x04, 0x07, 0x07, 0x04, 0x03, 0x00, 0x02, 0x04, 0x05, 0xb4});
  EXPECT_FALSE(o.window_scale);
  EXPECT_FALSE(o.sack_permitted);
  EXPECT_EQ(o.mss, 1460);
}

TEST(TcpOptionsTest, ZeroMssIgnored) {
  EXPECT_FALSE(parse_tcp_options(Bytes{0x02, 0x04, 0x00, 0x00}).mss);
  EXPECT_EQ(parse_tcp_options(Bytes{0x02, 0x04, 0x00, 0x01}).mss, 1);
}

TEST(TcpOptionsTest, WindowScaleAbove14ClampedTo14) {
  EXPECT_EQ(parse_tcp_options(Bytes{0x03, 0x03, 14}).window_scale, 14);
  EXPECT_EQ(parse_tcp_options(Bytes{0x03, 0x03, 15}).window_scale, 14);
  EXPECT_EQ(parse_tcp_options(Bytes{0x03, 0x03, 255}).window_scale, 14);
  EXPECT_EQ(parse_tcp_options(Bytes{0x03, 0x03, 0}).window_scale, 0);
}

Bytes sack_option(uint8_t blocks) {
  Bytes b = {0x05, static_cast<uint8_t>(2 + 8 * blocks)};
  for (uint8_t i = 0; i < blocks; ++i) {
    // Blocks 16 apart from 0xfffffff0: all but the first lie past the 2^32 wrap.
    const uint32_t start = 0xfffffff0u + 16u * i;
    const uint32_t end = start + 8;
    for (uint32_t v : {start, end}) {
      b.insert(b.end(), {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                         static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)});
    }
  }
  return b;
}

TEST(TcpOptionsTest, SackWithOneToFourBlocks) {
  for (uint8_t n = 1; n <= 4; ++n) {
    const TcpOptions o = parse_tcp_options(sack_option(n));
    ASSERT_EQ(o.sacks().size(), n);
    for (uint8_t i = 0; i < n; ++i) {
      EXPECT_EQ(o.sacks()[i].start, 0xfffffff0u + 16u * i);
      EXPECT_EQ(o.sacks()[i].end, 0xfffffff0u + 16u * i + 8);
    }
  }
  EXPECT_EQ(parse_tcp_options(sack_option(1)).sacks()[0], (SackBlock{0xfffffff0u, 0xfffffff8u}));
  EXPECT_EQ(parse_tcp_options(sack_option(2)).sacks()[1], (SackBlock{0x00000000u, 0x00000008u}));
}

TEST(TcpOptionsTest, SackWithBadLengthSkipped) {
  for (uint8_t length : std::array<uint8_t, 6>{2, 3, 9, 11, 17, 33}) {
    Bytes b(length, 0x00);
    b[0] = 0x05;
    b[1] = length;
    b.insert(b.end(), {0x01, 0x03, 0x03, 0x07});
    const TcpOptions o = parse_tcp_options(b);
    EXPECT_TRUE(o.sacks().empty()) << "length " << int{length};
    EXPECT_EQ(o.window_scale, 7) << "skipped by its length " << int{length};
  }
}

TEST(TcpOptionsTest, LaterSackOptionReplacesEarlier) {
  // Linux remembers only the last SACK option's offset.
  Bytes b = sack_option(2);
  const Bytes second = sack_option(1);
  b.insert(b.end(), second.begin(), second.end());
  const TcpOptions o = parse_tcp_options(b);
  ASSERT_EQ(o.sacks().size(), 1u);
  EXPECT_EQ(o.sacks()[0], (SackBlock{0xfffffff0u, 0xfffffff8u}));
}

TEST(TcpOptionsTest, NopsAnywhere) {
  const TcpOptions o =
      parse_tcp_options(Bytes{0x01, 0x01, 0x01, 0x02, 0x04, 0x05, 0xb4, 0x01, 0x04, 0x02});
  EXPECT_EQ(o.mss, 1460);
  EXPECT_TRUE(o.sack_permitted);
}

// ---- Fast Open (RFC 7413; Linux tcp_parse_fastopen_option()) ----

TEST(TcpOptionsTest, FastOpenCookieRequestAndCookie) {
  const TcpOptions request = parse_tcp_options(Bytes{34, 2, 1, 1});
  ASSERT_TRUE(request.fast_open.has_value());
  EXPECT_EQ(request.fast_open->length, 0);
  EXPECT_FALSE(request.fast_open->experimental);
  const TcpOptions cookie = parse_tcp_options(Bytes{34, 6, 0xab, 0xcd, 0x12, 0x34, 1, 1});
  ASSERT_TRUE(cookie.fast_open.has_value());
  EXPECT_EQ(cookie.fast_open->length, 4);
  EXPECT_EQ(cookie.fast_open->bytes[0], 0xab);
  EXPECT_EQ(cookie.fast_open->bytes[3], 0x34);
}

TEST(TcpOptionsTest, FastOpenExperimentalNeedsTheMagic) {
  const TcpOptions exp = parse_tcp_options(Bytes{254, 8, 0xf9, 0x89, 1, 2, 3, 4});
  ASSERT_TRUE(exp.fast_open.has_value());
  EXPECT_TRUE(exp.fast_open->experimental);
  EXPECT_EQ(exp.fast_open->length, 4);
  EXPECT_FALSE(parse_tcp_options(Bytes{254, 8, 0xf9, 0x88, 1, 2, 3, 4}).fast_open.has_value());
  // Too short to hold the magic: another experiment, skipped.
  EXPECT_FALSE(parse_tcp_options(Bytes{254, 2, 1, 1}).fast_open.has_value());
  const TcpOptions request = parse_tcp_options(Bytes{254, 4, 0xf9, 0x89});
  ASSERT_TRUE(request.fast_open.has_value());
  EXPECT_EQ(request.fast_open->length, 0);
}

TEST(TcpOptionsTest, FastOpenMalformedLengths) {
  // Odd cookie lengths are ignored: the option after them still counts.
  for (uint8_t length : std::array<uint8_t, 3>{3, 7, 9}) {
    Bytes b(length, 0xaa);
    b[0] = 34;
    b[1] = length;
    b.insert(b.end(), {0x01, 0x03, 0x03, 0x07});
    const TcpOptions o = parse_tcp_options(b);
    EXPECT_FALSE(o.fast_open.has_value()) << "length " << int{length};
    EXPECT_EQ(o.window_scale, 7) << "skipped by its length " << int{length};
  }
  // Even but outside 4..16 bytes of cookie (option length 4 or 20): no cookie.
  EXPECT_FALSE(parse_tcp_options(Bytes{34, 4, 1, 2}).fast_open.has_value());
  Bytes long_cookie(20, 0x11);
  long_cookie[0] = 34;
  long_cookie[1] = 20;
  EXPECT_FALSE(parse_tcp_options(long_cookie).fast_open.has_value());
  // Sixteen bytes is the longest cookie.
  Bytes longest(18, 0x22);
  longest[0] = 34;
  longest[1] = 18;
  ASSERT_TRUE(parse_tcp_options(longest).fast_open.has_value());
  EXPECT_EQ(parse_tcp_options(longest).fast_open->length, 16);
}

TEST(TcpOptionsTest, FastOpenBadEvenLengthClearsAnEarlierCookie) {
  // Linux sets the cookie length to -1: no cookie, not the first one.
  const TcpOptions o = parse_tcp_options(Bytes{34, 6, 1, 2, 3, 4, 34, 4, 5, 6, 0, 0});
  EXPECT_FALSE(o.fast_open.has_value());
  // An odd one leaves it alone.
  const TcpOptions kept = parse_tcp_options(Bytes{34, 6, 1, 2, 3, 4, 34, 3, 5, 0});
  ASSERT_TRUE(kept.fast_open.has_value());
  EXPECT_EQ(kept.fast_open->length, 4);
}

TEST(TcpOptionsTest, FastOpenWrittenAfterWindowScaleWithPadding) {
  TcpOptions o;
  o.mss = 1460;
  o.window_scale = 8;
  o.fast_open = FastOpenCookie{};
  Bytes out(40);
  // Linux: <mss 1460,nop,wscale 8,FO,nop,nop>
  ASSERT_EQ(write_tcp_options(out, o), 12u);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 12),
            (Bytes{2, 4, 0x05, 0xb4, 1, 3, 3, 8, 34, 2, 1, 1}));
  o.fast_open->experimental = true;
  o.fast_open->length = 8;
  o.fast_open->bytes = {1, 2, 3, 4, 5, 6, 7, 8};
  ASSERT_EQ(write_tcp_options(out, o), 20u);
  EXPECT_EQ(Bytes(out.begin() + 8, out.begin() + 20),
            (Bytes{254, 12, 0xf9, 0x89, 1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(parse_tcp_options(std::span(out).first(20)), o);
}

}  // namespace
}  // namespace netstack::header
