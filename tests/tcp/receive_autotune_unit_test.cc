// ReceiveAutotune alone: the receiver's RTT measured once per window, and
// the buffer it asks for once per RTT (Linux tcp_rcv_rtt_measure(),
// tcp_rcv_space_adjust()).
#include <gtest/gtest.h>

#include <chrono>

#include "stack/tcp/receive_autotune.h"

namespace netstack::tcp {
namespace {

using seqnum::Value;
using std::chrono::milliseconds;

constexpr uint32_t kMss = 1000;
const Instant kStart = Instant::from_nanos(1'000'000);

ReceiveAutotune::ReadContext context(bool may_grow = true) {
  return ReceiveAutotune::ReadContext{.initial_space = 10 * kMss,
                                      .advertised_mss = kMss,
                                      .rmem_max = 6291456,
                                      .may_grow = may_grow};
}

// Data up to `rcv_nxt` arrived at `t`, with a 10-segment window offered.
void arrive(ReceiveAutotune& a, Instant t, uint32_t rcv_nxt) {
  a.measure_rtt(t, Value(rcv_nxt), Value(rcv_nxt + 10 * kMss), kMss);
}

// An RTT of 50 ms measured, and the first interval (expecting 10000 bytes)
// begun with a 1000-byte read at kStart.
ReceiveAutotune measured(const ReceiveAutotune::ReadContext& c) {
  ReceiveAutotune a;
  arrive(a, kStart, 0);
  arrive(a, kStart + milliseconds(50), 10000);
  a.on_read(1000, kStart, c);
  return a;
}

TEST(ReceiveAutotune, RttIsTheTimeToReceiveAWindow) {
  ReceiveAutotune a;
  arrive(a, kStart, 0);  // the probe ends one window ahead, at 10000
  EXPECT_EQ(a.rtt(), Duration(0));
  arrive(a, kStart + milliseconds(30), 5000);
  EXPECT_EQ(a.rtt(), Duration(0)) << "the window is not in yet";
  arrive(a, kStart + milliseconds(50), 10000);
  EXPECT_EQ(a.rtt(), milliseconds(50));
  arrive(a, kStart + milliseconds(130), 20000);
  EXPECT_EQ(a.rtt(), milliseconds(50)) << "the smallest bound is kept";
  arrive(a, kStart + milliseconds(150), 30000);
  EXPECT_EQ(a.rtt(), milliseconds(20));
}

TEST(ReceiveAutotune, NothingIsAskedBeforeAnRttSample) {
  ReceiveAutotune a;
  EXPECT_FALSE(a.on_read(50000, kStart, context()).has_value());
  EXPECT_EQ(a.space(), 10 * kMss) << "the first interval expects the initial space";
}

TEST(ReceiveAutotune, ReadingMoreThanLastIntervalAsksForABiggerBuffer) {
  ReceiveAutotune a;
  arrive(a, kStart, 0);
  arrive(a, kStart + milliseconds(50), 10000);  // RTT 50 ms
  EXPECT_FALSE(a.on_read(1000, kStart, context()).has_value());
  const auto buffer = a.on_read(19000, kStart + milliseconds(60), context());
  ASSERT_TRUE(buffer.has_value());
  // Read 20000 against 10000: window 2*20000 + 16 MSS = 56000, plus twice
  // the growth (56000 * 10000 / 10000 * 2) = 168000; the buffer is twice it.
  EXPECT_EQ(*buffer, 336000u);
  EXPECT_EQ(a.space(), 20000u);
}

TEST(ReceiveAutotune, TheBufferIsCappedAtRmemMax) {
  ReceiveAutotune::ReadContext c = context();
  c.rmem_max = 100000;
  ReceiveAutotune a = measured(c);
  EXPECT_EQ(a.on_read(19000, kStart + milliseconds(60), c), 100000u);
}

TEST(ReceiveAutotune, ALockedBufferIsLeftAloneButTheIntervalMovesOn) {
  ReceiveAutotune a = measured(context(false));
  EXPECT_FALSE(a.on_read(19000, kStart + milliseconds(60), context(false)).has_value());
  EXPECT_EQ(a.space(), 20000u);
}

TEST(ReceiveAutotune, ReadingNoMoreThanBeforeAsksForNothing) {
  ReceiveAutotune a = measured(context());
  EXPECT_FALSE(a.on_read(8000, kStart + milliseconds(60), context()).has_value());
  EXPECT_EQ(a.space(), 10 * kMss);
}

}  // namespace
}  // namespace netstack::tcp
