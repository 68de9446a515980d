// The RTO as Linux's tcp_rtt_estimator() and tcp_set_rto() compute it; the
// expected values are worked by hand from Linux's rules.
#include "stack/tcp/rtt_estimator.h"

#include <gtest/gtest.h>

namespace netstack::tcp {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

seqnum::Value at(uint32_t v) {
  return seqnum::Value(v);
}

TEST(RttEstimator, TheFirstSampleGivesThreeRttsAtLeastRtoMin) {
  RttEstimator slow;
  slow.add_sample(milliseconds(100), at(1), at(1001));
  EXPECT_EQ(slow.srtt(), milliseconds(100));
  EXPECT_EQ(slow.rttvar(), milliseconds(50));
  EXPECT_EQ(slow.rto(), milliseconds(300));
  RttEstimator fast;
  fast.add_sample(milliseconds(10), at(1), at(1001));
  EXPECT_EQ(fast.rto(), milliseconds(210));  // 10 ms + TCP_RTO_MIN
}

TEST(RttEstimator, AFallingRttMovesTheDeviationAnEighthAsFast) {
  RttEstimator r;
  r.add_sample(milliseconds(100), at(1), at(1001));
  r.add_sample(milliseconds(0), at(1), at(1001));
  // SRTT 87.5 ms; the deviation grows by (100 - 50) / 8 to 206.25 ms.
  EXPECT_EQ(r.srtt(), microseconds(87500));
  EXPECT_EQ(r.rto(), microseconds(87500 + 206250));
}

TEST(RttEstimator, ARisingRttMovesItAtOnce) {
  RttEstimator r;
  r.add_sample(milliseconds(100), at(1), at(1001));
  r.add_sample(milliseconds(300), at(1), at(1001));
  // SRTT 125 ms; the deviation 200 + (200 - 50) = 350 ms.
  EXPECT_EQ(r.srtt(), milliseconds(125));
  EXPECT_EQ(r.rto(), milliseconds(475));
}

TEST(RttEstimator, TheRtosDeviationDecaysOncePerWindowOfData) {
  RttEstimator r;
  r.add_sample(milliseconds(100), at(1), at(1001));  // the window ends at 1001
  r.add_sample(milliseconds(300), at(500), at(1001));
  ASSERT_EQ(r.rto(), milliseconds(475));
  // SND.UNA passes 1001: the window's largest deviation (350 ms) is kept,
  // and the next window starts at 2001.
  r.add_sample(milliseconds(100), at(1002), at(2001));
  EXPECT_EQ(r.rto(), microseconds(121875 + 350000));
  // This window's largest is 237.5 ms: a quarter of the way down to it.
  r.add_sample(milliseconds(100), at(2002), at(3001));
  EXPECT_EQ(r.srtt(), microseconds(119140) + std::chrono::nanoseconds(625));
  EXPECT_EQ(r.rto(), microseconds(119140 + 321875) + std::chrono::nanoseconds(625));
}

TEST(RttEstimator, BackoffDoublesUpToTheCeiling) {
  RttEstimator r;
  EXPECT_EQ(r.rto(), std::chrono::seconds(1));  // no sample: the initial RTO
  r.add_sample(milliseconds(100), at(1), at(1001));
  r.backoff();
  r.backoff();
  EXPECT_EQ(r.rto(), milliseconds(1200));
  for (int i = 0; i < 20; ++i) r.backoff();
  EXPECT_EQ(r.rto(), std::chrono::seconds(120));
  r.reset_backoff();
  EXPECT_EQ(r.rto(), milliseconds(300));
}

TEST(RttEstimator, ProbesBackOffTheProbeTimerFromTheDoubledRto) {
  // Linux: a timeout doubles icsk_rto; a zero-window probe only counts
  // icsk_backoff, and tcp_probe0_when() shifts icsk_rto by it.
  RttEstimator r;
  r.add_sample(milliseconds(100), at(1), at(1001));
  r.backoff();  // a retransmission timeout
  EXPECT_EQ(r.rto(), milliseconds(600));
  EXPECT_EQ(r.probe_timeout(), milliseconds(1200));  // backoff 1 from the timeout
  r.end_probe_backoff();                             // the window opened: icsk_rto stays doubled
  EXPECT_EQ(r.rto(), milliseconds(600));
  EXPECT_EQ(r.probe_timeout(), milliseconds(600));
  r.probe_backoff();
  r.probe_backoff();
  EXPECT_EQ(r.rto(), milliseconds(600));
  EXPECT_EQ(r.probe_timeout(), milliseconds(2400));
  EXPECT_EQ(r.backoffs(), 2u);
}

}  // namespace
}  // namespace netstack::tcp
