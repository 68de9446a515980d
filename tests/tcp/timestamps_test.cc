// RFC 7323 timestamps: negotiation, TS.Recent, PAWS, and Linux's acceptance
// of segments without TSopt.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

// The peer offers timestamps with TSval 100 on its SYN (and 101 on its ACK).
struct Timestamps : EstablishedFixture {
  Timestamps() { syn_options.timestamps = header::Timestamps{100, 0}; }
  Seg data(uint32_t seq, uint32_t tsval, std::vector<uint8_t> payload = {1}) {
    return Seg{.flags = kAck,
               .seq = seq,
               .ack = iss + 1,
               .options = {.timestamps = header::Timestamps{tsval, 0}},
               .payload = std::move(payload)};
  }
};

TEST_F(Timestamps, NegotiatedAndEchoed) {
  EXPECT_TRUE(ep->info().timestamps);
  h.in(data(1001, 150));
  const Seg ack = h.out();
  ASSERT_TRUE(ack.options.timestamps.has_value());
  EXPECT_EQ(ack.options.timestamps->echo_reply, 150u);  // TS.Recent followed the segment
}

TEST_F(Timestamps, PawsDropsAnOlderTimestampAndAcks) {
  h.in(data(1001, 150));
  h.out();
  // Older by two ticks: an old duplicate (RFC 7323 5.3; Linux lets one
  // tick through, TCP_PAWS_WINDOW).
  h.in(data(1002, 148, {2}));
  const Seg ack = h.out();
  EXPECT_EQ(ack.ack, 1002u);  // the data was not taken
  EXPECT_EQ(ack.options.timestamps->echo_reply, 150u);
  EXPECT_EQ(h.tcp.stats().paws_rejected, 1u);
  EXPECT_EQ(ep->info().readable_bytes, 1u);
}

TEST_F(Timestamps, PawsLetsOneTickBehindThrough) {
  h.in(data(1001, 150));
  h.out();
  h.in(data(1002, 149, {2}));  // Linux tcp_paws_check(): within TCP_PAWS_WINDOW
  EXPECT_EQ(h.tcp.stats().paws_rejected, 0u);
  EXPECT_EQ(ep->info().readable_bytes, 2u);
}

TEST_F(Timestamps, RstIsNotSubjectToPaws) {
  h.in(data(1001, 150));
  h.out();
  h.in(Seg{.flags = kRst, .seq = 1002, .options = {.timestamps = header::Timestamps{1, 0}}});
  EXPECT_EQ(ep->state(), State::kClosed);  // Linux tcp_validate_incoming()
}

TEST_F(Timestamps, SegmentWithoutTimestampIsAcceptedAsLinuxDoes) {
  // RFC 7323 3.2 would drop it; Linux 6.18 takes the data (verified with
  // packetdrill against the kernel).
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1, .payload = {1, 2, 3}});
  EXPECT_EQ(h.out().ack, 1004u);
  EXPECT_EQ(ep->info().readable_bytes, 3u);
}

TEST_F(Timestamps, TsRecentOnlyFollowsSegmentsCoveringLastAckSent) {
  // Out-of-order data (SEG.SEQ > Last.ACK.sent) must not update TS.Recent.
  h.in(data(1101, 500));
  const Seg dup = h.out();
  EXPECT_EQ(dup.options.timestamps->echo_reply, 101u);
}

TEST(TimestampsOff, NotUsedWhenThePeerDoesNotOffer) {
  PeerHarness h;
  Endpoint& ep = h.establish_passive(1000);
  EXPECT_FALSE(ep.info().timestamps);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = h.our_iss + 1, .payload = {1}});
  EXPECT_FALSE(h.out().options.timestamps.has_value());
}

TEST(TimestampsOff, DisabledBySysctl) {
  Config c;
  c.timestamps = false;
  PeerHarness h(c);
  h.connect();
  EXPECT_FALSE(h.out().options.timestamps.has_value());
}

}  // namespace
}  // namespace netstack::tcp::testing

namespace netstack::tcp::testing {
namespace {

TEST_F(Timestamps, TimeWaitIsReusedByASynWithANewerTimestamp) {
  ep->close();
  h.out();
  h.in(Seg{.flags = kFin | kAck,
           .seq = 1001,
           .ack = iss + 2,
           .options = {.timestamps = header::Timestamps{200, 0}}});
  h.out();
  ASSERT_EQ(ep->state(), State::kTimeWait);
  // An old sequence number, but a newer timestamp: Linux accepts the SYN.
  h.in(Seg{.flags = kSyn,
           .seq = 10,
           .options = {.mss = 1460, .timestamps = header::Timestamps{300, 0}}});
  EXPECT_EQ(h.out().flags, kSyn | kAck);
  EXPECT_EQ(ep->state(), State::kClosed);
}

TEST_F(Timestamps, TimeWaitAcksAnOldSynWithAnOlderTimestamp) {
  ep->close();
  h.out();
  h.in(Seg{.flags = kFin | kAck,
           .seq = 1001,
           .ack = iss + 2,
           .options = {.timestamps = header::Timestamps{200, 0}}});
  h.out();
  h.in(Seg{.flags = kSyn,
           .seq = 10,
           .options = {.mss = 1460, .timestamps = header::Timestamps{150, 0}}});
  EXPECT_EQ(h.out().flags, kAck);  // PAWS: re-ACK, stay in TIME-WAIT
  EXPECT_EQ(ep->state(), State::kTimeWait);
}

}  // namespace
}  // namespace netstack::tcp::testing
