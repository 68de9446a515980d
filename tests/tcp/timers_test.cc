// Keepalive, user timeout and retransmission give-up.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

using Timers = EstablishedFixture;

TEST_F(Timers, KeepaliveProbesAfterIdleThenTimesOutWithRst) {
  ASSERT_EQ(ep->set_option(SockOpt::kKeepIdle, 10), 0);
  ASSERT_EQ(ep->set_option(SockOpt::kKeepIntvl, 2), 0);
  ASSERT_EQ(ep->set_option(SockOpt::kKeepCnt, 3), 0);
  ASSERT_EQ(ep->set_option(SockOpt::kKeepAlive, 1), 0);
  h.advance(9999ms);
  h.out_nothing();
  h.advance(1ms);
  for (int i = 0; i < 3; ++i) {
    const Seg probe = h.out();
    EXPECT_EQ(probe.flags, kAck);
    EXPECT_EQ(probe.seq, iss);  // RFC 1122: SND.NXT - 1
    EXPECT_TRUE(probe.payload.empty());
    h.advance(2s);
  }
  // idle + intvl * cnt = 16 s: the connection is dropped with a RST (Linux).
  EXPECT_EQ(h.out().flags, kRst | kAck);
  EXPECT_EQ(ep->state(), State::kClosed);
  EXPECT_EQ(ep->get_option(SockOpt::kError).value(), ETIMEDOUT);
}

TEST_F(Timers, KeepaliveAnswerResetsTheProbeCount) {
  ASSERT_EQ(ep->set_option(SockOpt::kKeepIdle, 10), 0);
  ASSERT_EQ(ep->set_option(SockOpt::kKeepIntvl, 2), 0);
  ASSERT_EQ(ep->set_option(SockOpt::kKeepCnt, 1), 0);
  ASSERT_EQ(ep->set_option(SockOpt::kKeepAlive, 1), 0);
  h.advance(10s);
  h.out();
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1});
  h.advance(2s);
  h.out_nothing();
  EXPECT_EQ(ep->state(), State::kEstablished);
}

TEST_F(Timers, UserTimeoutAbortsUnacknowledgedData) {
  // Linux counts TCP_USER_TIMEOUT from the first RTO retransmission (here at
  // 200 ms: the handshake measured a zero RTT) and clamps the RTO so the
  // abort comes on time: at 3.2 s, without a RST.
  ASSERT_EQ(ep->set_option(SockOpt::kUserTimeout, 3000), 0);
  ASSERT_EQ(ep->write(std::vector<uint8_t>(10, 1)).value(), 10u);
  h.out();
  h.advance(200ms);
  h.out();  // the first RTO retransmission
  h.advance(2999ms);
  while (h.pending_out() > 0) EXPECT_EQ(h.out().flags & kRst, 0);
  EXPECT_EQ(ep->state(), State::kEstablished);
  h.advance(1ms);
  h.out_nothing();
  EXPECT_EQ(ep->state(), State::kClosed);
  EXPECT_EQ(ep->get_option(SockOpt::kError).value(), ETIMEDOUT);
}

TEST_F(Timers, RetransmissionGivesUpAfterRetries2) {
  ASSERT_EQ(ep->write(std::vector<uint8_t>(10, 1)).value(), 10u);
  h.out();
  // Linux's model with retries2 = 15 and a 200 ms base: 924.6 s; our first
  // RTO is 1 s (no RTT sample), so the connection outlives 900 s and ends
  // before 2000 s.
  h.advance(900s);
  EXPECT_EQ(ep->state(), State::kEstablished);
  h.advance(1100s);
  EXPECT_EQ(ep->state(), State::kClosed);
  EXPECT_EQ(ep->get_option(SockOpt::kError).value(), ETIMEDOUT);
}

}  // namespace
}  // namespace netstack::tcp::testing
