// LossRecovery alone, on a hand-built scoreboard: the recovery state
// machine (Linux tcp_fastretrans_alert()), the window it moves, and undo.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

#include "stack/tcp/loss_recovery.h"
#include "stack/tcp/protocol.h"
#include "stack/time/fake_clock.h"

namespace netstack::tcp {
namespace {

using seqnum::Value;
using std::chrono::milliseconds;

constexpr uint32_t kMss = 1000;
constexpr uint32_t kBase = 1000;

class LossRecoveryTest : public ::testing::Test {
 protected:
  LossRecoveryTest() : recovery_(config_, stats_, sent_, clock_, [this] { ++reorder_fired_; }) {}

  // Ten 1000-byte segments from kBase, sent now.
  void send_ten() {
    for (uint32_t i = 0; i < 10; ++i) {
      sent_.on_transmit(Value(kBase + i * kMss), Value(kBase + (i + 1) * kMss), false,
                        clock_.now());
    }
  }
  LossRecovery::Sender sender(uint32_t una, bool sack) const {
    return LossRecovery::Sender{.now = clock_.now(),
                                .snd_una = Value(una),
                                .snd_nxt = Value(kBase + 10 * kMss),
                                .snd_max = Value(kBase + 10 * kMss),
                                .snd_mss = kMss,
                                .srtt = milliseconds(100),
                                .sack = sack,
                                .timestamps = true};
  }
  // The duplicate threshold without SACK: recovery (RFC 5681 3.2).
  void three_duplicate_acks() {
    LossRecovery::AckEvent dup;
    dup.duplicate = true;
    for (int i = 0; i < 3; ++i) recovery_.on_ack(sender(kBase, false), dup);
  }
  // A timeout (SACK connection, none before it), and its retransmission of
  // the first segment.
  void time_out_and_resend_the_head() {
    recovery_.on_rto(sender(kBase, true), 0);
    sent_.on_retransmit(Value(kBase), Value(kBase + kMss), clock_.now());
    recovery_.on_retransmit(std::nullopt);
  }
  // A cumulative ACK up to `una`.
  LossRecovery::AckEvent ack_to(uint32_t una) {
    LossRecovery::AckEvent e;
    e.una_advanced = true;
    sent_.acknowledge(Value(una), e.delivered);
    return e;
  }

  Config config_;
  TcpStats stats_;
  SentSegments sent_;
  FakeClock clock_;
  int reorder_fired_ = 0;
  LossRecovery recovery_;
};

TEST_F(LossRecoveryTest, ThreeDuplicateAcksWithoutSackEnterRecovery) {
  send_ten();
  LossRecovery::AckEvent dup;
  dup.duplicate = true;
  recovery_.on_ack(sender(kBase, false), dup);
  EXPECT_EQ(recovery_.state(), CaState::kDisorder);
  recovery_.on_ack(sender(kBase, false), dup);
  EXPECT_EQ(recovery_.state(), CaState::kDisorder);
  EXPECT_EQ(sent_.lost_out(), 0u);
  recovery_.on_ack(sender(kBase, false), dup);  // the duplicate threshold (tcp_reordering 3)
  EXPECT_EQ(recovery_.state(), CaState::kRecovery);
  EXPECT_EQ(sent_.lost_out(), 1u);
  EXPECT_TRUE(sent_.entries().front().lost) << "the first segment is the one lost";
  EXPECT_LT(recovery_.window().ssthresh, 10u);
  EXPECT_EQ(stats_.fast_recoveries, 1u);
}

TEST_F(LossRecoveryTest, PartialAckInNewRenoRecoveryMarksTheNextHole) {
  send_ten();
  three_duplicate_acks();
  ASSERT_EQ(recovery_.state(), CaState::kRecovery);
  sent_.next_lost()->retrans = true;  // as if the owner had resent it
  // RFC 6582: an ACK that advances below the recovery point is partial.
  recovery_.on_ack(sender(kBase + kMss, false), ack_to(kBase + kMss));
  EXPECT_EQ(recovery_.state(), CaState::kRecovery);
  EXPECT_TRUE(sent_.entries().front().lost);
  EXPECT_EQ(sent_.entries().front().start, Value(kBase + kMss));
}

TEST_F(LossRecoveryTest, FullAckEndsRecoveryAtSsthresh) {
  send_ten();
  three_duplicate_acks();
  const uint32_t ssthresh = recovery_.window().ssthresh;
  const uint32_t all = kBase + 10 * kMss;
  recovery_.on_ack(sender(all, false), ack_to(all));
  EXPECT_EQ(recovery_.state(), CaState::kOpen);
  EXPECT_EQ(recovery_.window().cwnd, ssthresh);
}

TEST_F(LossRecoveryTest, CanSendWhileInFlightIsBelowTheWindow) {
  send_ten();  // ten in flight, cwnd 10
  EXPECT_FALSE(recovery_.can_send());
  recovery_.set_initial_window(11);
  EXPECT_TRUE(recovery_.can_send());
}

TEST_F(LossRecoveryTest, RtoMarksEverythingLostAndRestartsFromOneSegment) {
  send_ten();
  recovery_.on_rto(sender(kBase, true), 0);
  EXPECT_EQ(recovery_.state(), CaState::kLoss);
  EXPECT_EQ(sent_.lost_out(), 10u);
  EXPECT_EQ(recovery_.window().cwnd, 1u);
  EXPECT_TRUE(recovery_.can_send()) << "the first segment goes again";
  EXPECT_TRUE(recovery_.undo_armed());
}

TEST_F(LossRecoveryTest, DsackOfEveryRetransmissionUndoesTheTimeout) {
  send_ten();
  time_out_and_resend_the_head();
  recovery_.on_ack(sender(kBase + kMss, true), ack_to(kBase + kMss));
  ASSERT_EQ(recovery_.state(), CaState::kLoss);
  // The next ACK reports the retransmission as a duplicate (RFC 2883); in
  // the Loss state only an ACK that moves SND.UNA may undo (Linux
  // tcp_process_loss()).
  const header::SackBlock dsack{kBase, kBase + kMss};
  LossRecovery::AckEvent e;
  recovery_.on_sack_blocks(std::span(&dsack, 1), Value(kBase + kMss), Value(kBase + kMss),
                           Value(kBase + 10 * kMss), e);
  EXPECT_EQ(stats_.dsacks_received, 1u);
  e.duplicate = true;
  recovery_.on_ack(sender(kBase + kMss, true), e);
  EXPECT_EQ(recovery_.state(), CaState::kLoss);
  recovery_.on_ack(sender(kBase + 2 * kMss, true), ack_to(kBase + 2 * kMss));
  EXPECT_EQ(recovery_.state(), CaState::kOpen);
  EXPECT_EQ(recovery_.window().cwnd, 10u) << "back to the window before the timeout";
  EXPECT_EQ(recovery_.window().ssthresh, UINT32_MAX);
  EXPECT_EQ(sent_.lost_out(), 0u);
  EXPECT_EQ(stats_.spurious_recoveries, 1u);
}

TEST_F(LossRecoveryTest, FrtoSendsNewDataAndUndoesWhenOriginalsArrive) {
  send_ten();
  time_out_and_resend_the_head();
  EXPECT_FALSE(recovery_.take_send_new_first()) << "the timeout itself resends the head";
  // RFC 5682 3.1 step 2.b: the retransmission is acknowledged and there is
  // new data the peer's window admits.
  LossRecovery::Sender s = sender(kBase + kMss, true);
  s.new_data_ready = true;
  recovery_.on_ack(s, ack_to(kBase + kMss));
  EXPECT_EQ(recovery_.state(), CaState::kLoss);
  EXPECT_TRUE(recovery_.take_send_new_first());
  EXPECT_FALSE(recovery_.take_send_new_first()) << "once";
  sent_.on_transmit(Value(kBase + 10 * kMss), Value(kBase + 11 * kMss), false, clock_.now());
  // Step 3.b: the next ACK covers segments never retransmitted.
  LossRecovery::Sender after = sender(kBase + 3 * kMss, true);
  after.snd_nxt = after.snd_max = Value(kBase + 11 * kMss);
  recovery_.on_ack(after, ack_to(kBase + 3 * kMss));
  EXPECT_EQ(recovery_.state(), CaState::kOpen);
  EXPECT_EQ(sent_.lost_out(), 0u) << "the lost marks are taken back";
  EXPECT_GE(recovery_.window().cwnd, 10u);
  EXPECT_EQ(recovery_.window().ssthresh, UINT32_MAX);
  EXPECT_EQ(stats_.spurious_recoveries, 1u);
}

TEST_F(LossRecoveryTest, FrtoSackOfTheNewDataMeansTheLossWasReal) {
  send_ten();
  time_out_and_resend_the_head();
  LossRecovery::Sender s = sender(kBase + kMss, true);
  s.new_data_ready = true;
  recovery_.on_ack(s, ack_to(kBase + kMss));
  ASSERT_TRUE(recovery_.take_send_new_first());
  sent_.on_transmit(Value(kBase + 10 * kMss), Value(kBase + 11 * kMss), false, clock_.now());
  LossRecovery::Sender after = sender(kBase + kMss, true);
  after.snd_nxt = after.snd_max = Value(kBase + 11 * kMss);
  // Step 3.a: the peer SACKs the new segment, the originals stay missing.
  const header::SackBlock block{kBase + 10 * kMss, kBase + 11 * kMss};
  LossRecovery::AckEvent e;
  recovery_.on_sack_blocks(std::span(&block, 1), Value(kBase + kMss), Value(kBase + kMss),
                           after.snd_max, e);
  e.duplicate = true;
  recovery_.on_ack(after, e);
  EXPECT_EQ(recovery_.state(), CaState::kLoss);
  EXPECT_FALSE(recovery_.take_send_new_first()) << "the retransmissions go as usual";
  // Originals arriving later no longer undo the timeout.
  after.snd_una = Value(kBase + 3 * kMss);
  recovery_.on_ack(after, ack_to(kBase + 3 * kMss));
  EXPECT_EQ(recovery_.state(), CaState::kLoss);
  EXPECT_EQ(stats_.spurious_recoveries, 0u);
  EXPECT_LT(recovery_.window().ssthresh, 10u);
}

TEST_F(LossRecoveryTest, FrtoWithoutNewDataFallsBackToRetransmitting) {
  send_ten();
  time_out_and_resend_the_head();
  recovery_.on_ack(sender(kBase + kMss, true), ack_to(kBase + kMss));
  EXPECT_FALSE(recovery_.take_send_new_first());
  // The originals still arriving do not undo: F-RTO gave up (RFC 5682 3.1
  // step 2.b: no new data to send).
  recovery_.on_ack(sender(kBase + 3 * kMss, true), ack_to(kBase + 3 * kMss));
  EXPECT_EQ(recovery_.state(), CaState::kLoss);
  EXPECT_EQ(stats_.spurious_recoveries, 0u);
}

TEST_F(LossRecoveryTest, FrtoIsOffWhenATimeoutInterruptsARecovery) {
  send_ten();
  three_duplicate_acks();
  ASSERT_EQ(recovery_.state(), CaState::kRecovery);
  recovery_.on_rto(sender(kBase, false), 0);
  sent_.on_retransmit(Value(kBase), Value(kBase + kMss), clock_.now());
  recovery_.on_retransmit(std::nullopt);
  LossRecovery::Sender s = sender(kBase + kMss, false);
  s.new_data_ready = true;
  recovery_.on_ack(s, ack_to(kBase + kMss));
  EXPECT_FALSE(recovery_.take_send_new_first()) << "RFC 5682 3.1 step 1";
}

TEST_F(LossRecoveryTest, EchoOfATimestampBeforeTheRetransmissionUndoes) {
  send_ten();
  recovery_.on_rto(sender(kBase, true), 0);
  recovery_.on_retransmit(500);  // TSval of the first retransmission
  const uint32_t all = kBase + 10 * kMss;
  LossRecovery::AckEvent e = ack_to(all);
  e.ts_echo = 400;  // RFC 3522: the original got through
  recovery_.on_ack(sender(all, true), e);
  EXPECT_EQ(recovery_.state(), CaState::kOpen);
  EXPECT_EQ(stats_.spurious_recoveries, 1u);
}

TEST_F(LossRecoveryTest, EchoOfTheRetransmissionEndsLossWithoutUndo) {
  config_.frto = false;  // else the originals the ACK covers undo it (F-RTO)
  send_ten();
  recovery_.on_rto(sender(kBase, true), 0);
  recovery_.on_retransmit(500);
  const uint32_t all = kBase + 10 * kMss;
  LossRecovery::AckEvent e = ack_to(all);
  e.ts_echo = 500;
  recovery_.on_ack(sender(all, true), e);
  EXPECT_EQ(recovery_.state(), CaState::kOpen);
  EXPECT_EQ(stats_.spurious_recoveries, 0u);
  EXPECT_LT(recovery_.window().ssthresh, 10u);
}

TEST_F(LossRecoveryTest, RackMarksSegmentsSentBeforeADeliveredOneAfterAnRtt) {
  send_ten();
  clock_.advance(milliseconds(100));
  LossRecovery::AckEvent e;
  e.prior_fack = sent_.highest_sacked();
  // SACK of the last segment: RACK's RTT is 100 ms; with no reordering seen
  // the window is zero, so everything sent before it is lost now.
  const header::SackBlock block{kBase + 9 * kMss, kBase + 10 * kMss};
  recovery_.on_sack_blocks(std::span(&block, 1), Value(kBase), Value(kBase),
                           Value(kBase + 10 * kMss), e);
  recovery_.on_ack(sender(kBase, true), e);
  EXPECT_EQ(sent_.sacked_out(), 1u);
  EXPECT_EQ(sent_.lost_out(), 9u);
  EXPECT_EQ(recovery_.state(), CaState::kRecovery);
  EXPECT_FALSE(recovery_.reorder_timer_armed());
}

TEST_F(LossRecoveryTest, ARetransmissionLostAgainLeavesLossForRecovery) {
  recovery_.on_rtt_sample(milliseconds(50));
  send_ten();
  clock_.advance(milliseconds(300));
  time_out_and_resend_the_head();
  const uint32_t ssthresh = recovery_.window().ssthresh;
  // The first two segments resent together; the second is SACKed an RTT
  // later, so the first is lost again (RACK).
  sent_.on_retransmit(Value(kBase + kMss), Value(kBase + 2 * kMss), clock_.now());
  recovery_.on_retransmit(std::nullopt);
  clock_.advance(milliseconds(60));
  LossRecovery::AckEvent e;
  const header::SackBlock block{kBase + kMss, kBase + 2 * kMss};
  recovery_.on_sack_blocks(std::span(&block, 1), Value(kBase), Value(kBase),
                           Value(kBase + 10 * kMss), e);
  e.duplicate = true;
  recovery_.on_ack(sender(kBase, true), e);
  EXPECT_TRUE(sent_.entries().front().lost);
  EXPECT_FALSE(sent_.entries().front().retrans);
  // Linux FLAG_LOST_RETRANS: Recovery, with the window reduced once more.
  EXPECT_EQ(recovery_.state(), CaState::kRecovery);
  EXPECT_LT(recovery_.window().ssthresh, ssthresh);
}

TEST_F(LossRecoveryTest, ARetransmissionSackedWithinTheMinimumRttDoesNotAdvanceRack) {
  recovery_.on_rtt_sample(milliseconds(50));
  send_ten();
  clock_.advance(milliseconds(100));
  // The last segment, resent and SACKed exactly one minimum RTT later: it
  // may be the original's SACK, so RACK learns nothing from it and marks
  // nothing (Linux tcp_rack_advance(); the tie counts as ambiguous).
  sent_.on_retransmit(Value(kBase + 9 * kMss), Value(kBase + 10 * kMss), clock_.now());
  clock_.advance(milliseconds(50));
  LossRecovery::AckEvent e;
  const header::SackBlock block{kBase + 9 * kMss, kBase + 10 * kMss};
  recovery_.on_sack_blocks(std::span(&block, 1), Value(kBase), Value(kBase),
                           Value(kBase + 10 * kMss), e);
  recovery_.on_ack(sender(kBase, true), e);
  EXPECT_EQ(sent_.lost_out(), 0u);
}

TEST_F(LossRecoveryTest, WindowGrowsOnlyWhileItLimitedSending) {
  send_ten();
  recovery_.on_ack(sender(kBase + kMss, true), ack_to(kBase + kMss));
  EXPECT_EQ(recovery_.window().cwnd, 10u) << "not cwnd-limited: no growth";
  recovery_.validate_cwnd(/*limited=*/true, Value(kBase + kMss), Value(kBase + 10 * kMss));
  recovery_.on_ack(sender(kBase + 2 * kMss, true), ack_to(kBase + 2 * kMss));
  EXPECT_EQ(recovery_.window().cwnd, 11u) << "slow start: one per segment ACKed";
}

TEST_F(LossRecoveryTest, IdleRestartHalvesTheWindowPerRtoDownToTheInitialWindow) {
  recovery_.set_initial_window(80);
  recovery_.on_new_data_sent(clock_.now());
  const Duration rto = milliseconds(200);
  clock_.advance(milliseconds(500));  // 2.5 RTOs idle: halved twice
  recovery_.restart_after_idle(clock_.now(), rto);
  EXPECT_EQ(recovery_.window().cwnd, 20u);
  clock_.advance(milliseconds(10'000));
  recovery_.restart_after_idle(clock_.now(), rto);
  EXPECT_EQ(recovery_.window().cwnd, config_.initial_cwnd) << "never below IW";
}

TEST_F(LossRecoveryTest, MtuReductionPacesInTheLossStateWithoutUndo) {
  send_ten();
  recovery_.on_non_congestion_loss(Value(kBase + 10 * kMss));
  EXPECT_EQ(recovery_.state(), CaState::kLoss);
  EXPECT_FALSE(recovery_.undo_armed());
  EXPECT_EQ(recovery_.window().cwnd, 10u) << "not a congestion signal";
}

TEST_F(LossRecoveryTest, CongestionAlgorithmCanBeSwitched) {
  EXPECT_EQ(recovery_.algorithm(), CongestionAlgorithm::kCubic);
  recovery_.set_algorithm(CongestionAlgorithm::kReno);
  EXPECT_EQ(recovery_.algorithm(), CongestionAlgorithm::kReno);
}

}  // namespace
}  // namespace netstack::tcp
