// Judging an outbound packet against the line that expects it.
#include "fuzz/scenario/outbound_match.h"

#include <gtest/gtest.h>

#include "fuzz/scenario/pkt_parser.h"

namespace tcpfuzz::scenario {
namespace {

Event event(std::string_view text) {
  auto s = parse_script(std::string(text) + "\n", "t.pkt");
  EXPECT_TRUE(s.has_value()) << text;
  return s && !s->events.empty() ? s->events.front() : Event{};
}

const PacketSpec& packet(const Event& e) {
  return std::get<PacketSpec>(e.action);
}

// What the stack sent, as script_outbound_packet() gives it: every field set.
PacketSpec live(uint8_t flags, uint32_t seq, uint32_t payload, uint32_t ack, uint32_t window,
                std::vector<OptionSpec> options = {}) {
  PacketSpec p;
  p.direction = PacketSpec::Direction::kOutbound;
  p.flags = flags;
  p.seq_start = seq;
  p.seq_end = seq + payload;
  p.payload_length = payload;
  p.ack = ack;
  p.window = window;
  p.urgent = 0;
  p.options = std::move(options);
  return p;
}

OptionSpec timestamp(uint32_t value, uint32_t echo) {
  return OptionSpec{OptionSpec::Kind::kTimestamp, value, echo, {}};
}

constexpr uint8_t kAck = 0x10;
constexpr uint8_t kPsh = 0x08;

class OutboundMatchTest : public ::testing::Test {
 protected:
  ScriptOptions options_;
  ScriptTiming timing_{options_};
  OutboundMatch match_{options_, /*compare_windows=*/true, timing_};
};

TEST_F(OutboundMatchTest, AMatchingPacketPasses) {
  const Event e = event("0 > . 1:1(0) ack 11 win 100");
  EXPECT_EQ(match_.mismatch(e, packet(e), live(kAck, 1, 0, 11, 100), 1, 0, {}, 0), std::nullopt);
}

TEST_F(OutboundMatchTest, TheFirstDifferenceIsReportedWithBothPackets) {
  const Event e = event("0 > . 1:1(0) ack 12");
  EXPECT_EQ(match_.mismatch(e, packet(e), live(kAck, 1, 0, 11, 100), 1, 0, {}, 0),
            "ack number differs\n"
            "  expected: > . 1:1(0) ack 12\n"
            "  actual:   > . 1:1(0) ack 11 win 100 at 0.000000 s");
}

TEST_F(OutboundMatchTest, WindowsAreComparedOnlyWhenAskedAndGiven) {
  const Event e = event("0 > . 1:1(0) ack 11 win 200");
  const auto differs = match_.mismatch(e, packet(e), live(kAck, 1, 0, 11, 100), 1, 0, {}, 0);
  ASSERT_TRUE(differs);
  EXPECT_TRUE(differs->starts_with("window differs")) << *differs;
  OutboundMatch lenient(options_, /*compare_windows=*/false, timing_);
  EXPECT_EQ(lenient.mismatch(e, packet(e), live(kAck, 1, 0, 11, 100), 1, 0, {}, 0), std::nullopt);
}

TEST_F(OutboundMatchTest, PshIsNotComparedOnSummedSegments) {
  const Event e = event("0 > P. 1:2001(2000) ack 1");
  const PacketSpec sent = live(kAck, 1, 2000, 1, 100);
  EXPECT_EQ(match_.mismatch(e, packet(e), sent, 2, 0, {}, 0), std::nullopt);
  const auto differs = match_.mismatch(e, packet(e), sent, 1, 0, {}, 0);
  ASSERT_TRUE(differs);
  EXPECT_TRUE(differs->starts_with("flags differ")) << *differs;
  EXPECT_EQ(match_.mismatch(e, packet(e), live(kAck | kPsh, 1, 2000, 1, 100), 1, 0, {}, 0),
            std::nullopt);
}

TEST_F(OutboundMatchTest, LateAndEarlyPacketsAreTimingErrors) {
  const Event e = event("0.100 > . 1:1(0) ack 1");
  const PacketSpec sent = live(kAck, 1, 0, 1, 100);
  // Tolerance: max(4 ms, 12.5% of the 100 ms gap) = 12.5 ms.
  EXPECT_EQ(match_.mismatch(e, packet(e), sent, 1, 100'000, {}, 112'000), std::nullopt);
  const auto late = match_.mismatch(e, packet(e), sent, 1, 100'000, {}, 113'000);
  ASSERT_TRUE(late);
  EXPECT_TRUE(
      late->starts_with("timing error: expected the packet at 0.100000 s (tolerance "
                        "0.012500 s)"))
      << *late;
  EXPECT_TRUE(match_.mismatch(e, packet(e), sent, 1, 100'000, {}, 87'000).has_value());
}

TEST_F(OutboundMatchTest, TimestampsAreMappedNotCompared) {
  const Event e = event("0 > . 1:1(0) ack 1 <nop,nop,TS val 100 ecr 0>");
  OptionSpec nop;
  const PacketSpec sent = live(kAck, 1, 0, 1, 100, {nop, nop, timestamp(5000, 7)});
  EXPECT_EQ(match_.mismatch(e, packet(e), sent, 1, 0, {}, 0), std::nullopt);
  EXPECT_EQ(match_.timestamps().live(100), 5000u);
  EXPECT_EQ(match_.timestamps().live(101), std::nullopt);
}

TEST(TimestampMap, LiveValuesMapFromTheFirstPair) {
  TimestampMap map;
  EXPECT_EQ(map.learn(100, 5000), 100u);
  EXPECT_EQ(map.learn(110, 5013), 113u);  // 13 ticks after the first pair
  EXPECT_EQ(map.live(110), 5013u);
  map.learn_as_is(42);
  EXPECT_EQ(map.live(42), 42u);
}

TEST(OptionsMatch, OrderAndValuesButNotTimestamps) {
  const OptionSpec mss{OptionSpec::Kind::kMss, 1460, 0, {}};
  const OptionSpec other_mss{OptionSpec::Kind::kMss, 1400, 0, {}};
  const OptionSpec nop;
  EXPECT_TRUE(options_match({mss, nop, timestamp(1, 2)}, {mss, nop, timestamp(3, 4)}));
  EXPECT_FALSE(options_match({mss, nop}, {nop, mss}));
  EXPECT_FALSE(options_match({mss}, {other_mss}));
  EXPECT_FALSE(options_match({mss}, {mss, nop}));
}

}  // namespace
}  // namespace tcpfuzz::scenario
