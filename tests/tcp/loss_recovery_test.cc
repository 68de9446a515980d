// Loss recovery as the peer sees it: which segments go again, when, and
// what the congestion window does (stack/tcp/loss_recovery.cc). The expected
// segments follow Linux 6.18, as google/packetdrill's fast_recovery/ and
// sack/ scripts check it (tests/scenario/packetdrill_expected.txt).
#include <array>

#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

constexpr uint32_t kMss = 1000;
constexpr uint32_t kPeerIss = 1000;
constexpr Duration kRtt = 100ms;

std::vector<uint8_t> bytes(size_t n) {
  return std::vector<uint8_t>(n, 0x5a);
}

// A passive connection whose handshake took kRtt (so RACK has a minimum RTT
// to size its reordering window from), MSS 1000, SACK unless a test turns
// it off, no timestamps unless it turns them on.
class Recovery : public ::testing::Test {
 protected:
  void establish(bool sack = true, bool timestamps = false) {
    const EndpointId listener = h.listen();
    header::TcpOptions o{.mss = kMss, .sack_permitted = sack};
    if (timestamps) o.timestamps = header::Timestamps{1, 0};
    h.in(Seg{.flags = kSyn, .seq = kPeerIss, .options = o});
    const Seg synack = h.out();
    h.advance(kRtt);
    Seg ack{.flags = kAck, .seq = kPeerIss + 1, .ack = synack.seq + 1};
    if (timestamps)
      ack.options.timestamps = header::Timestamps{2, synack.options.timestamps->value};
    h.in(ack);
    auto id = h.tcp.find(listener)->accept();
    ASSERT_TRUE(id.has_value());
    ep = h.tcp.find(*id);
    iss = synack.seq;
    mss = ep->info().snd_mss;
    ASSERT_EQ(ep->set_option(SockOpt::kNoDelay, 1), 0);
  }
  // Sequence number of the start of segment n (1-based) of the data sent.
  uint32_t seg(uint32_t n) const { return iss + 1 + (n - 1) * mss; }
  // Writes n full segments and takes them off the wire.
  void send_segments(uint32_t n) {
    ASSERT_EQ(ep->write(bytes(n * mss)).value(), n * mss);
    for (uint32_t i = 0; i < n; ++i) h.out();
  }
  // An ACK from the peer: cumulative `ack`, SACK blocks of whole segments
  // [first, last] numbered as seg().
  void ack(uint32_t ack, std::vector<std::pair<uint32_t, uint32_t>> sacked = {},
           std::optional<header::Timestamps> ts = std::nullopt) {
    Seg s{.flags = kAck, .seq = kPeerIss + 1, .ack = ack};
    for (auto [first, last] : sacked) s.options.add_sack({seg(first), seg(last + 1)});
    s.options.timestamps = ts;
    h.in(s);
  }

  PeerHarness h;
  Endpoint* ep = nullptr;
  uint32_t iss = 0;
  uint32_t mss = 0;  // payload per segment: 1000, or 988 with timestamps
};

TEST_F(Recovery, ThreeSackedSegmentsMarkTheHolesBelowThemLostAndRetransmitTheFirst) {
  establish();
  send_segments(10);
  h.advance(kRtt);
  ack(seg(1), {{3, 3}});
  h.out_nothing();
  ack(seg(1), {{3, 3}, {5, 5}});
  h.out_nothing();
  ack(seg(1), {{3, 3}, {5, 5}, {7, 7}});
  // RACK (reordering window 0 once three segments are SACKed): 1, 2, 4, 6.
  const Seg r = h.out();
  EXPECT_EQ(r.seq, seg(1));
  EXPECT_EQ(r.payload.size(), kMss);
  h.out_nothing();  // PRR: one segment for the one delivered
  const TcpInfo i = ep->info();
  EXPECT_EQ(i.ca_state, CaState::kRecovery);
  EXPECT_EQ(i.lost, 4u);
  EXPECT_EQ(i.sacked, 3u);
  EXPECT_EQ(i.retrans, 1u);
  EXPECT_EQ(i.ssthresh, 7u);  // CUBIC: 10 * 0.7
}

TEST_F(Recovery, OneSackedSegmentWaitsOutTheReorderingWindowBeforeRetransmitting) {
  establish();
  send_segments(4);
  h.advance(kRtt);
  ack(seg(1), {{4, 4}});
  h.out_nothing();
  // RFC 8985: a quarter of the minimum RTT (25 ms), plus Linux's 2 ms.
  h.advance(26ms);
  h.out_nothing();
  h.advance(2ms);
  // All three holes are lost; recovery starts and PRR lets one go, as if
  // one segment had been delivered (Linux tcp_rack_reo_timeout() with
  // CUBIC; corpus/scripts/recovery/rack-reordering-window.pkt).
  EXPECT_EQ(h.out().seq, seg(1));
  h.out_nothing();
  EXPECT_EQ(ep->info().ca_state, CaState::kRecovery);
  EXPECT_EQ(ep->info().lost, 3u);
  // The ACK of that retransmission lets the other two go.
  h.advance(kRtt);
  ack(seg(2), {{4, 4}});
  EXPECT_EQ(h.out().seq, seg(2));
  EXPECT_EQ(h.out().seq, seg(3));
  h.out_nothing();
}

TEST_F(Recovery, AReorderedSegmentArrivingInTheWindowCausesNoRetransmission) {
  establish();
  send_segments(4);
  h.advance(kRtt);
  ack(seg(1), {{4, 4}});
  h.advance(10ms);
  ack(seg(5));  // segments 1-3 were only late
  h.advance(30ms);
  h.out_nothing();
  EXPECT_EQ(ep->info().ca_state, CaState::kOpen);
  EXPECT_EQ(ep->info().total_retransmits, 0u);
}

TEST_F(Recovery, SackRecoveryResendsEveryHoleAndEndsAtTheRecoveryPoint) {
  establish();
  send_segments(10);
  h.advance(kRtt);
  ack(seg(1), {{2, 2}});
  ack(seg(1), {{2, 3}});
  ack(seg(1), {{2, 4}});
  EXPECT_EQ(h.out().seq, seg(1));
  // Segments 5-10 were lost too: SACKs for nothing new leave them to RACK,
  // and the cumulative ACK of segment 1 (retransmitted; later than the
  // minimum RTT, so not ambiguous) marks them lost.
  h.advance(kRtt + 1ms);
  ack(seg(5));
  std::vector<uint32_t> resent;
  while (h.pending_out() > 0) resent.push_back(h.out().seq);
  ASSERT_FALSE(resent.empty());
  EXPECT_EQ(resent.front(), seg(5));
  for (int round = 0; round < 10 && ep->info().snd_una != seg(11); ++round) {
    h.advance(kRtt);
    const uint32_t next = ep->info().snd_una;
    ack(std::min(next + 2 * kMss, seg(11)));
    while (h.pending_out() > 0) h.out();
  }
  EXPECT_EQ(ep->info().snd_una, seg(11));
  EXPECT_EQ(ep->info().ca_state, CaState::kOpen);
  // Recovery ends on the window PRR brought down to ssthresh.
  EXPECT_EQ(ep->info().cwnd, ep->info().ssthresh);
}

TEST_F(Recovery, WithoutSackThreeDuplicateAcksTriggerFastRetransmit) {
  establish(/*sack=*/false);
  send_segments(5);
  h.advance(kRtt);
  for (int i = 0; i < 2; ++i) {
    ack(seg(1));
    h.out_nothing();
  }
  ack(seg(1));
  const Seg r = h.out();
  EXPECT_EQ(r.seq, seg(1));
  EXPECT_EQ(r.payload.size(), kMss);
  EXPECT_EQ(ep->info().ca_state, CaState::kRecovery);
}

TEST_F(Recovery, WithoutSackAPartialAckRetransmitsTheNextHoleAtOnce) {
  // RFC 6582 3.2 (NewReno): segments 1 and 3 lost.
  establish(/*sack=*/false);
  send_segments(6);
  h.advance(kRtt);
  for (int i = 0; i < 3; ++i) ack(seg(1));
  EXPECT_EQ(h.out().seq, seg(1));
  h.advance(kRtt);
  ack(seg(3));  // partial: below the recovery point
  EXPECT_EQ(h.out().seq, seg(3));
  EXPECT_EQ(ep->info().ca_state, CaState::kRecovery);
  h.advance(kRtt);
  ack(seg(7));
  EXPECT_EQ(ep->info().ca_state, CaState::kOpen);
}

TEST_F(Recovery, ATimeoutMarksEverythingLostAndSkipsWhatWasSacked) {
  establish();
  send_segments(4);
  h.advance(kRtt);
  ack(seg(1), {{3, 3}});  // one SACK: not enough for recovery
  // No ACK for anything else: the loss probe, then the RTO.
  std::vector<uint32_t> sent;
  for (int i = 0; i < 40 && ep->info().ca_state != CaState::kLoss; ++i) {
    h.advance(50ms);
    while (h.pending_out() > 0) sent.push_back(h.out().seq);
  }
  ASSERT_EQ(ep->info().ca_state, CaState::kLoss);
  EXPECT_EQ(ep->info().cwnd, 1u);
  EXPECT_EQ(sent.back(), seg(1));
  // Slow start from one: the ACK of segment 1 lets two go, skipping the
  // SACKed segment 3.
  ack(seg(2), {{3, 3}});
  std::vector<uint32_t> after;
  while (h.pending_out() > 0) after.push_back(h.out().seq);
  EXPECT_EQ(after, (std::vector<uint32_t>{seg(2), seg(4)}));
}

TEST_F(Recovery, ADsackForEveryRetransmissionUndoesTheReduction) {
  establish();
  send_segments(6);
  h.advance(kRtt);
  ack(seg(1), {{2, 2}});
  ack(seg(1), {{2, 3}});
  ack(seg(1), {{2, 4}});
  EXPECT_EQ(h.out().seq, seg(1));
  ASSERT_EQ(ep->info().ca_state, CaState::kRecovery);
  // The original segment 1 was only delayed: it fills the hole sooner than
  // the retransmission could have (an RTT sample RACK ignores), then the
  // peer reports the retransmission as a duplicate (RFC 2883).
  h.advance(kRtt / 2);
  ack(seg(5));
  h.out_nothing();
  ASSERT_EQ(ep->info().ca_state, CaState::kRecovery);
  h.advance(kRtt / 2);
  Seg s{.flags = kAck, .seq = kPeerIss + 1, .ack = seg(5)};
  s.options.add_sack({seg(1), seg(2)});
  h.in(s);
  const TcpInfo i = ep->info();
  EXPECT_EQ(i.ca_state, CaState::kOpen);
  EXPECT_EQ(i.ssthresh, UINT32_MAX) << "ssthresh back to its value before the episode";
  EXPECT_GE(i.cwnd, 10u);
  EXPECT_EQ(h.tcp.stats().spurious_recoveries, 1u);
  EXPECT_EQ(h.tcp.stats().dsacks_received, 1u);
}

TEST_F(Recovery, ADsackArrivingAfterRecoveryEndedStillUndoesIt) {
  // The common spurious case: the original fills the hole and everything is
  // ACKed (recovery over), then the retransmission comes back as a D-SACK.
  establish();
  send_segments(4);
  h.advance(kRtt);
  ack(seg(1), {{2, 2}});
  ack(seg(1), {{2, 3}});
  ack(seg(1), {{2, 4}});
  EXPECT_EQ(h.out().seq, seg(1));
  h.advance(kRtt / 2);
  ack(seg(5));
  ASSERT_EQ(ep->info().ca_state, CaState::kOpen);
  ASSERT_EQ(ep->info().ssthresh, 7u);
  h.advance(kRtt / 2);
  Seg s{.flags = kAck, .seq = kPeerIss + 1, .ack = seg(5)};
  s.options.add_sack({seg(1), seg(2)});
  h.in(s);
  EXPECT_EQ(ep->info().ssthresh, UINT32_MAX);
  EXPECT_GE(ep->info().cwnd, 10u);
  EXPECT_EQ(h.tcp.stats().spurious_recoveries, 1u);
}

TEST_F(Recovery, WindowUpdatesAreNotDuplicateAcks) {
  // Without SACK, three ACKs at SND.UNA that each open the window further
  // are window updates (Linux FLAG_WIN_UPDATE), not a loss signal.
  establish(/*sack=*/false);
  // A byte from the peer shrinks the window it offers to 10000.
  h.in(Seg{.flags = kAck, .seq = kPeerIss + 1, .ack = seg(1), .win = 10000, .payload = {1}});
  h.out();
  send_segments(5);
  h.advance(kRtt);
  for (const uint16_t win : std::array<uint16_t, 3>{20000, 30000, 40000}) {
    h.in(Seg{.flags = kAck, .seq = kPeerIss + 2, .ack = seg(1), .win = win});
  }
  // The larger window lets more data go, but nothing is resent.
  while (h.pending_out() > 0) EXPECT_GT(h.out().seq, seg(5));
  EXPECT_EQ(ep->info().ca_state, CaState::kOpen);
}

TEST_F(Recovery, AnAckEchoingATimestampOlderThanTheRetransmissionUndoesTheReduction) {
  // RFC 3522 (Eifel), Linux tcp_packet_delayed().
  establish(/*sack=*/true, /*timestamps=*/true);
  ASSERT_EQ(ep->write(bytes(10 * mss)).value(), 10 * mss);
  uint32_t original_tsval = 0;
  for (int i = 0; i < 10; ++i) original_tsval = h.out().options.timestamps->value;
  h.advance(kRtt);
  const header::Timestamps echo_original{3, original_tsval};
  ack(seg(1), {{2, 2}}, echo_original);
  ack(seg(1), {{2, 3}}, echo_original);
  ack(seg(1), {{2, 4}}, echo_original);
  const Seg r = h.out();
  ASSERT_EQ(r.seq, seg(1));
  ASSERT_GT(r.options.timestamps->value, original_tsval);
  h.advance(kRtt);
  ack(seg(11), {}, echo_original);  // everything, echoing the original's TSval
  EXPECT_EQ(ep->info().ca_state, CaState::kOpen);
  EXPECT_EQ(ep->info().ssthresh, UINT32_MAX);
  EXPECT_EQ(h.tcp.stats().spurious_recoveries, 1u);
}

TEST_F(Recovery, ReorderingSeenRaisesTheDuplicateThreshold) {
  // Linux tcp_check_sack_reordering(): a hole filled without a
  // retransmission, 6 segments below the highest SACK (as in google/
  // packetdrill's sack-shift-sacked-2-6-8-3-9-nofack.pkt).
  establish();
  send_segments(10);
  h.advance(kRtt);
  ack(seg(1), {{9, 9}});
  ack(seg(1), {{4, 4}, {9, 9}});
  EXPECT_EQ(ep->info().reordering, 6u);
}

TEST_F(Recovery, AfterAnIdleRtoTheWindowRestartsFromTheInitialWindow) {
  establish();
  // Grow the window past IW10 with two rounds of ACKed flights.
  for (int round = 0; round < 2; ++round) {
    const uint32_t n = ep->info().cwnd;
    send_segments(n);
    h.advance(kRtt);
    ack(ep->info().snd_nxt);
  }
  ASSERT_GT(ep->info().cwnd, 20u);
  // RFC 7661 / Linux tcp_slow_start_after_idle: idle for several RTOs.
  h.advance(10s);
  ASSERT_EQ(ep->write(bytes(20 * mss)).value(), 20 * mss);
  EXPECT_EQ(ep->info().cwnd, 10u);
  for (int i = 0; i < 10; ++i) h.out();
  h.out_nothing();
}

TEST_F(Recovery, TcpCongestionSelectsTheAlgorithmPerEndpoint) {
  establish();
  EXPECT_EQ(ep->congestion_control(), CongestionAlgorithm::kCubic);  // Linux's default
  ASSERT_EQ(ep->set_congestion_control(CongestionAlgorithm::kReno), 0);
  send_segments(10);
  h.advance(kRtt);
  ack(seg(1), {{2, 2}});
  ack(seg(1), {{2, 3}});
  ack(seg(1), {{2, 4}});
  EXPECT_EQ(ep->info().ssthresh, 5u);  // Reno halves
}

}  // namespace
}  // namespace netstack::tcp::testing
