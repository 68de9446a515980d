// The invariant checker must notice each kind of corruption it claims to
// guard against; a checker that never fires proves nothing.
#include "stack/tcp/invariants.h"

#include "tests/tcp/endpoint_peer.h"
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

using Invariants = EstablishedFixture;

TEST_F(Invariants, HoldOnAHealthyConnection) {
  EXPECT_EQ(check_invariants(*ep), std::nullopt);
}

TEST_F(Invariants, SndNxtBeforeSndUnaIsReported) {
  EndpointPeer::set_snd_nxt(*ep, seqnum::Value(iss));  // one before SND.UNA
  const auto report = check_invariants(*ep);
  ASSERT_TRUE(report.has_value());
  EXPECT_NE(report->find("snd_una > snd_nxt"), std::string::npos);
  EXPECT_NE(report->find("ESTABLISHED"), std::string::npos);  // the report names the state
}

TEST_F(Invariants, RcvNxtMovingBackwardsIsReported) {
  ASSERT_EQ(check_invariants(*ep), std::nullopt);  // remembers rcv_nxt
  EndpointPeer::set_rcv_nxt(*ep, seqnum::Value(1000));
  const auto report = check_invariants(*ep);
  ASSERT_TRUE(report.has_value());
  EXPECT_NE(report->find("rcv_nxt moved backwards"), std::string::npos);
}

TEST_F(Invariants, DataInFlightWithoutATimerIsReported) {
  ASSERT_EQ(ep->write(std::vector<uint8_t>{1}).value(), 1u);
  EndpointPeer::cancel_retransmit_timer(*ep);
  const auto report = check_invariants(*ep);
  ASSERT_TRUE(report.has_value());
  EXPECT_NE(report->find("without a retransmission timer"), std::string::npos);
}

TEST_F(Invariants, SackBlocksWithNothingOutOfOrderAreReported) {
  EndpointPeer::add_sack_block(*ep, seqnum::Value(2001), seqnum::Value(2101));
  const auto report = check_invariants(*ep);
  ASSERT_TRUE(report.has_value());
  EXPECT_NE(report->find("SACK blocks with nothing out of order"), std::string::npos);
}

TEST_F(Invariants, TimeWaitTimerOutsideTimeWaitIsReported) {
  EndpointPeer::arm_time_wait_timer(*ep);
  const auto report = check_invariants(*ep);
  ASSERT_TRUE(report.has_value());
  EXPECT_NE(report->find("TIME-WAIT timer outside TIME-WAIT"), std::string::npos);
}

TEST_F(Invariants, AViolationAfterAnEventReachesTheFailureHandler) {
#ifndef TCPFUZZ_INVARIANTS
  GTEST_SKIP() << "built without TCPFUZZ_INVARIANTS: the stack runs no checker after events";
#endif
  std::string reported;
  h.tcp.set_invariant_failure_handler([&](const std::string& r) { reported = r; });
  EndpointPeer::cancel_retransmit_timer(*ep);
  ASSERT_EQ(ep->write(std::vector<uint8_t>{1}).value(), 1u);  // arms it again: fine
  EXPECT_TRUE(reported.empty());
  EndpointPeer::cancel_retransmit_timer(*ep);
  ep->set_option(SockOpt::kNoDelay, 1);  // any API call runs the checker
  EXPECT_NE(reported.find("without a retransmission timer"), std::string::npos);
}

}  // namespace
}  // namespace netstack::tcp::testing
