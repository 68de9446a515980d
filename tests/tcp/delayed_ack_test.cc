// DelayedAck alone: quickack credits, interactive mode, the adaptive
// timeout and its timer, as Linux runs them (tcp_input.c, tcp_output.c,
// tcp_timer.c).
#include "stack/tcp/delayed_ack.h"

#include <gtest/gtest.h>

#include <chrono>

#include "stack/time/fake_clock.h"

namespace netstack::tcp {
namespace {

using std::chrono::milliseconds;

constexpr Duration kRto = milliseconds(1000);  // RFC 6298's initial RTO, no sample yet
constexpr uint32_t kMss = 1000;
// A 4-segment window: quickack mode gives two credits (half the window).
constexpr uint32_t kWindow = 4 * kMss;

class DelayedAckTest : public ::testing::Test {
 protected:
  DelayedAckTest() : ack_(config_, rtt_, clock_, [this] { ++fired_; }) {}

  // Data arrives at the current time.
  void data() { ack_.on_data_received(clock_.now(), kWindow, kMss); }

  Config config_;  // delayed_ack_min 40 ms, delayed_ack_max 200 ms
  RttEstimator rtt_;
  FakeClock clock_;
  int fired_ = 0;
  DelayedAck ack_;
};

TEST_F(DelayedAckTest, QuickackCreditsAreHalfTheWindowBetweenTwoAndSixteen) {
  ack_.enter_quickack_mode(100 * kMss, kMss);
  ack_.on_ack_sent(15);
  EXPECT_TRUE(ack_.has_quickack_credits());
  ack_.on_ack_sent(1);
  EXPECT_FALSE(ack_.has_quickack_credits()) << "at most 16";
  ack_.enter_quickack_mode(kMss, kMss);
  ack_.on_ack_sent(1);
  EXPECT_TRUE(ack_.has_quickack_credits()) << "at least 2";
}

TEST_F(DelayedAckTest, FirstDataEntersQuickackModeUntilTheCreditsAreSpent) {
  EXPECT_FALSE(ack_.ack_due_now());
  data();
  EXPECT_EQ(ack_.ato(), config_.delayed_ack_min);
  EXPECT_TRUE(ack_.ack_due_now());
  ack_.on_ack_sent(1);
  EXPECT_TRUE(ack_.ack_due_now()) << "one credit left";
  ack_.on_ack_sent(1);
  EXPECT_FALSE(ack_.ack_due_now());
  EXPECT_FALSE(ack_.has_quickack_credits());
}

TEST_F(DelayedAckTest, InteractiveModeDelaysDespiteCredits) {
  data();
  ack_.enter_pingpong();
  EXPECT_FALSE(ack_.ack_due_now());
  ack_.enter_quickack_mode(kWindow, kMss);
  EXPECT_FALSE(ack_.pingpong()) << "quickack mode leaves interactive mode";
  EXPECT_TRUE(ack_.ack_due_now());
}

TEST_F(DelayedAckTest, AckNowHoldsUntilAnAckIsSent) {
  ack_.ack_now();
  EXPECT_TRUE(ack_.ack_due_now());
  ack_.on_ack_sent(0);
  EXPECT_FALSE(ack_.ack_due_now());
}

TEST_F(DelayedAckTest, ScheduleArmsTheTimerForAto) {
  data();
  ASSERT_TRUE(ack_.schedule(clock_.now()));
  EXPECT_TRUE(ack_.pending());
  clock_.advance(milliseconds(39));
  EXPECT_EQ(fired_, 0);
  clock_.advance(milliseconds(1));
  EXPECT_EQ(fired_, 1);
  EXPECT_FALSE(ack_.pending());
}

TEST_F(DelayedAckTest, AnEarlierDeadlineStandsAndOneAboutToExpireSendsNow) {
  data();
  const Instant first = clock_.now() + milliseconds(40);
  ASSERT_TRUE(ack_.schedule(clock_.now()));
  clock_.advance(milliseconds(20));
  EXPECT_TRUE(ack_.schedule(clock_.now()));
  clock_.advance_to(first);
  EXPECT_EQ(fired_, 1) << "the first deadline stood";
  ASSERT_TRUE(ack_.schedule(clock_.now()));
  clock_.advance(milliseconds(31));  // 9 ms left, within ato/4
  EXPECT_FALSE(ack_.schedule(clock_.now()));
}

TEST_F(DelayedAckTest, AnAckSentCancelsTheTimer) {
  data();
  ASSERT_TRUE(ack_.schedule(clock_.now()));
  ack_.on_ack_sent(0);
  EXPECT_FALSE(ack_.pending());
  clock_.advance(milliseconds(100));
  EXPECT_EQ(fired_, 0);
}

TEST_F(DelayedAckTest, FiringInflatesAtoUpToTheRto) {
  data();
  ack_.on_timer_fired();
  EXPECT_EQ(ack_.ato(), milliseconds(80));
  for (int i = 0; i < 10; ++i) ack_.on_timer_fired();
  EXPECT_EQ(ack_.ato(), kRto);
}

TEST_F(DelayedAckTest, FiringInInteractiveModeLeavesItAndResetsAto) {
  data();
  ack_.on_timer_fired();
  ack_.enter_pingpong();
  ack_.on_timer_fired();
  EXPECT_FALSE(ack_.pingpong());
  EXPECT_EQ(ack_.ato(), config_.delayed_ack_min);
}

TEST_F(DelayedAckTest, ScheduleBoundsAnInflatedAtoByTheRtt) {
  data();
  for (int i = 0; i < 3; ++i) ack_.on_timer_fired();  // ato 320 ms
  rtt_.add_sample(milliseconds(100), seqnum::Value(1), seqnum::Value(1));
  ASSERT_TRUE(ack_.schedule(clock_.now()));
  clock_.advance(milliseconds(100));
  EXPECT_EQ(fired_, 1) << "bounded by SRTT";
}

TEST_F(DelayedAckTest, AtoFollowsTheInterarrivalTime) {
  data();
  ack_.on_timer_fired();  // ato 80 ms
  clock_.advance(milliseconds(10));
  data();                                   // within delayed_ack_min / 2
  EXPECT_EQ(ack_.ato(), milliseconds(60));  // ato/2 + 20 ms
  clock_.advance(milliseconds(50));
  data();                                   // below ato
  EXPECT_EQ(ack_.ato(), milliseconds(80));  // ato/2 + the gap
}

TEST_F(DelayedAckTest, ALongSilenceGivesQuickackCreditsAgain) {
  data();
  ack_.on_ack_sent(2);
  ASSERT_FALSE(ack_.ack_due_now());
  clock_.advance(milliseconds(1500));
  data();
  EXPECT_TRUE(ack_.ack_due_now());
}

TEST_F(DelayedAckTest, SendingSoonAfterDataMakesTheConnectionInteractive) {
  ack_.on_data_sent(clock_.now());
  EXPECT_FALSE(ack_.pingpong()) << "no data received yet";
  data();
  clock_.advance(milliseconds(39));
  ack_.on_data_sent(clock_.now());
  EXPECT_TRUE(ack_.pingpong());
}

TEST_F(DelayedAckTest, AFailedAckIsRetriedByTheTimer) {
  ack_.retry_failed_ack(clock_.now());
  EXPECT_TRUE(ack_.ack_due_now());
  clock_.advance(config_.delayed_ack_max);
  EXPECT_EQ(fired_, 1);
}

}  // namespace
}  // namespace netstack::tcp
