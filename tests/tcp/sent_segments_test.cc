// The sender's scoreboard: counts kept in step with the flags, SACK blocks
// covering whole segments only, retransmissions splitting to match.
#include "stack/tcp/sent_segments.h"

#include <gtest/gtest.h>

namespace netstack::tcp {
namespace {

using seqnum::Size;
using seqnum::Value;

// Ten 100-byte segments from sequence number 1000 (near the wrap when base
// is chosen so).
SentSegments ten_segments(uint32_t base) {
  SentSegments s;
  for (uint32_t i = 0; i < 10; ++i) {
    s.on_transmit(Value(base + i * 100), Value(base + (i + 1) * 100), false, Instant());
  }
  return s;
}

TEST(SentSegments, SackMarksOnlySegmentsTheBlockCoversWhole) {
  for (const uint32_t base : {1000u, 0xffffff00u}) {
    SentSegments s = ten_segments(base);
    Delivery d;
    s.sack(Value(base + 250), Value(base + 500), d);  // covers 300-400 and 400-500 whole
    EXPECT_EQ(d.segments, 2u);
    EXPECT_EQ(s.sacked_out(), 2u);
    ASSERT_TRUE(s.highest_sacked());
    EXPECT_EQ(*s.highest_sacked(), Value(base + 500));
    Delivery again;
    s.sack(Value(base + 300), Value(base + 500), again);
    EXPECT_EQ(again.segments, 0u) << "a segment is delivered once";
  }
}

TEST(SentSegments, InFlightIsPacketsOutLessSackedAndLostPlusRetransmitted) {
  SentSegments s = ten_segments(1000);
  Delivery d;
  s.sack(Value(1500), Value(1700), d);
  s.mark_lost(s.entries()[0]);
  s.mark_lost(s.entries()[1]);
  EXPECT_EQ(s.in_flight(), 10u - (2 + 2));
  s.on_retransmit(Value(1000), Value(1100), Instant() + std::chrono::seconds(1));
  EXPECT_EQ(s.retrans_out(), 1u);
  EXPECT_EQ(s.in_flight(), 10u - (2 + 2) + 1);
  ASSERT_NE(s.next_lost(), nullptr);
  EXPECT_EQ(s.next_lost()->start, Value(1100));
}

TEST(SentSegments, ARetransmissionOfPartOfASegmentSplitsIt) {
  SentSegments s = ten_segments(1000);
  s.on_retransmit(Value(1000), Value(1050), Instant());
  EXPECT_EQ(s.packets_out(), 11u);
  EXPECT_EQ(s.entries()[0].end, Value(1050));
  EXPECT_TRUE(s.entries()[0].retrans);
  EXPECT_FALSE(s.entries()[1].retrans);
}

TEST(SentSegments, ACumulativeAckRemovesSegmentsAndTrimsAPartlyAckedOne) {
  SentSegments s = ten_segments(1000);
  Delivery sacked;
  s.sack(Value(1300), Value(1400), sacked);
  s.mark_lost(s.entries()[0]);
  Delivery d;
  s.acknowledge(Value(1450), d);
  EXPECT_EQ(d.segments, 3u) << "the SACKed one was delivered before";
  EXPECT_EQ(d.lost_delivered, 1u);
  EXPECT_EQ(s.packets_out(), 6u);
  EXPECT_EQ(s.entries()[0].start, Value(1450));
  EXPECT_EQ(s.sacked_out(), 0u);
  EXPECT_EQ(s.lost_out(), 0u);
  ASSERT_TRUE(d.reordered_low);
  EXPECT_EQ(*d.reordered_low, Value(1000)) << "filled below the SACKed segment unretransmitted";
}

TEST(SentSegments, ATimeoutMarksAllButTheSackedLostAndForgetsRetransmissions) {
  SentSegments s = ten_segments(1000);
  Delivery d;
  s.sack(Value(1200), Value(1300), d);
  s.mark_lost(s.entries()[0]);
  s.on_retransmit(Value(1000), Value(1100), Instant());
  s.mark_timed_out(Instant() + std::chrono::seconds(1), std::chrono::milliseconds(100));
  EXPECT_EQ(s.lost_out(), 9u);
  EXPECT_EQ(s.retrans_out(), 0u);
  EXPECT_EQ(s.in_flight(), 0u);
  EXPECT_EQ(s.next_lost()->start, Value(1000));
}

TEST(SentSegments, ATimeoutLeavesSegmentsSentWithinRacksRttInFlightButTheFirst) {
  SentSegments s;
  const Instant t0 = Instant() + std::chrono::seconds(1);
  for (uint32_t i = 0; i < 4; ++i) {
    // Sent at t0, t0+40 ms, t0+80 ms, t0+120 ms.
    s.on_transmit(Value(1000 + i * 100), Value(1100 + i * 100), false,
                  t0 + std::chrono::milliseconds(40 * i));
  }
  // At t0+150 ms with an RTT of 100 ms, the last two may still arrive; the
  // first is lost whatever its age.
  s.mark_timed_out(t0 + std::chrono::milliseconds(150), std::chrono::milliseconds(100));
  EXPECT_EQ(s.lost_out(), 2u);
  EXPECT_TRUE(s.entries()[0].lost);
  EXPECT_TRUE(s.entries()[1].lost);
  EXPECT_FALSE(s.entries()[2].lost);
  EXPECT_FALSE(s.entries()[3].lost);
  EXPECT_EQ(s.in_flight(), 2u);
  // With no RTT measured yet, everything is lost.
  s.mark_timed_out(t0 + std::chrono::milliseconds(150), Duration(0));
  EXPECT_EQ(s.lost_out(), 4u);
}

TEST(SentSegments, DeliveryNamesTheLowestOriginalSegmentDelivered) {
  SentSegments s = ten_segments(1000);
  s.on_retransmit(Value(1000), Value(1100), Instant());
  Delivery sacked;
  s.sack(Value(1500), Value(1700), sacked);
  ASSERT_TRUE(sacked.original_end);
  EXPECT_EQ(*sacked.original_end, Value(1600));
  EXPECT_EQ(sacked.sacked, 2u);
  Delivery retransmitted_only;
  s.acknowledge(Value(1100), retransmitted_only);
  EXPECT_FALSE(retransmitted_only.original_end) << "the only segment delivered was resent";
  EXPECT_EQ(retransmitted_only.sacked, 0u);
}

}  // namespace
}  // namespace netstack::tcp
