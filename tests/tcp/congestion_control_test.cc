// Reno and CUBIC window arithmetic, driven ACK by ACK on a fake timeline.
#include <gtest/gtest.h>

#include <cmath>

#include "stack/tcp/cubic.h"
#include "stack/tcp/reno.h"

namespace netstack::tcp {
namespace {

using namespace std::chrono_literals;

// One round trip: an ACK per segment of the window, spread over the RTT.
void run_round(CongestionControl& cc, CongestionWindow& w, Instant& now, Duration rtt) {
  const uint32_t n = w.cwnd;
  for (uint32_t i = 0; i < n; ++i) {
    now += rtt / n;
    cc.on_ack(w, 1, now, rtt);
  }
}

TEST(Reno, SlowStartDoublesPerRoundThenAddsOneSegmentPerRound) {
  Reno reno;
  CongestionWindow w{.cwnd = 10, .ssthresh = 40};
  Instant now;
  run_round(reno, w, now, 100ms);
  EXPECT_EQ(w.cwnd, 20u);
  run_round(reno, w, now, 100ms);
  EXPECT_EQ(w.cwnd, 40u);  // capped at ssthresh
  run_round(reno, w, now, 100ms);
  EXPECT_EQ(w.cwnd, 41u);
  run_round(reno, w, now, 100ms);
  EXPECT_EQ(w.cwnd, 42u);
  EXPECT_EQ(reno.ssthresh_after_loss(w), 21u);
}

TEST(Reno, SlowStartStopsAtSsthreshAndCarriesTheRestIntoAvoidance) {
  CongestionWindow w{.cwnd = 9, .ssthresh = 10};
  EXPECT_EQ(w.slow_start(3), 2u);
  EXPECT_EQ(w.cwnd, 10u);
}

TEST(Cubic, ReductionIsBetaAndTheCurveReturnsToTheOldMaximumAfterK) {
  Cubic cubic;
  CongestionWindow w{.cwnd = 100, .ssthresh = 50};
  const uint32_t ssthresh = cubic.ssthresh_after_loss(w);
  EXPECT_EQ(ssthresh, 70u);  // RFC 9438 4.6: beta 0.7
  w.cwnd = w.ssthresh = ssthresh;
  Instant now;
  const Duration rtt = 100ms;
  // RFC 9438 4.2 eq. 2: K = cbrt(W_max * (1 - beta) / C) = cbrt(30 / 0.4).
  const double k = std::cbrt(30 / 0.4);
  while (now < Instant() + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(k))) {
    run_round(cubic, w, now, rtt);
  }
  EXPECT_NEAR(cubic.k_seconds(), k, 0.01);
  EXPECT_NEAR(double(w.cwnd), 100.0, 3.0) << "the plateau around W_max";
  const uint32_t plateau = w.cwnd;
  // Concave before K, convex after: growth speeds up again.
  for (int i = 0; i < 30; ++i) run_round(cubic, w, now, rtt);
  EXPECT_GT(w.cwnd, plateau + 10);
}

TEST(Cubic, GrowsFasterThanRenoAfterALossOnALongPath) {
  Cubic cubic;
  Reno reno;
  CongestionWindow wc{.cwnd = 200, .ssthresh = 100};
  CongestionWindow wr = wc;
  wc.cwnd = wc.ssthresh = cubic.ssthresh_after_loss(wc);
  wr.cwnd = wr.ssthresh = reno.ssthresh_after_loss(wr);
  Instant tc;
  Instant tr;
  for (int i = 0; i < 50; ++i) {
    run_round(cubic, wc, tc, 200ms);
    run_round(reno, wr, tr, 200ms);
  }
  EXPECT_GT(wc.cwnd, wr.cwnd + 50);
}

TEST(Cubic, FastConvergenceLowersTheTargetWhenLossComesBelowTheLastMaximum) {
  Cubic cubic;
  CongestionWindow w{.cwnd = 100, .ssthresh = 50};
  (void)cubic.ssthresh_after_loss(w);
  EXPECT_DOUBLE_EQ(cubic.w_max(), 100.0);
  w.cwnd = 90;
  (void)cubic.ssthresh_after_loss(w);
  // RFC 9438 4.7: W_max = cwnd * (1 + beta) / 2.
  EXPECT_NEAR(cubic.w_max(), 90 * 1.7 / 2, 0.1);
}

TEST(Cubic, TheReductionIsUndoneToThePriorWindow) {
  Cubic cubic;
  const CongestionWindow w{.cwnd = 7, .ssthresh = 7};
  EXPECT_EQ(cubic.undo_cwnd(w, 10), 10u);
}

}  // namespace
}  // namespace netstack::tcp
