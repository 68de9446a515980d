// RFC 5961 and the RST rules in synchronized states.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

using Resets = EstablishedFixture;

TEST_F(Resets, ExactRstResetsTheConnection) {
  h.in(Seg{.flags = kRst, .seq = 1001});
  EXPECT_EQ(ep->state(), State::kClosed);
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(ep->read(buf).error(), ECONNRESET);
  h.out_nothing();
}

TEST_F(Resets, InWindowInexactRstDrawsAChallengeAck) {
  h.in(Seg{.flags = kRst, .seq = 1002});
  const Seg ack = h.out();
  EXPECT_EQ(ack.flags, kAck);
  EXPECT_EQ(ack.seq, iss + 1);
  EXPECT_EQ(ack.ack, 1001u);
  EXPECT_EQ(ep->state(), State::kEstablished);
}

TEST_F(Resets, OutOfWindowRstIsIgnoredSilently) {
  h.in(Seg{.flags = kRst, .seq = 1001 + 10'000'000});
  h.out_nothing();
  EXPECT_EQ(ep->state(), State::kEstablished);
}

TEST_F(Resets, SynInEstablishedDrawsAChallengeAck) {
  h.in(Seg{.flags = kSyn, .seq = 1001 + 5});
  const Seg ack = h.out();
  EXPECT_EQ(ack.flags, kAck);
  EXPECT_EQ(ack.ack, 1001u);
  EXPECT_EQ(ep->state(), State::kEstablished);
}

TEST_F(Resets, ChallengeAcksAreRateLimited) {
  h.in(Seg{.flags = kRst, .seq = 1002});
  h.out();
  h.in(Seg{.flags = kRst, .seq = 1003});
  h.out_nothing();  // within 500 ms of the first
  h.advance(500ms);
  h.in(Seg{.flags = kRst, .seq = 1004});
  EXPECT_EQ(h.out().flags, kAck);
  EXPECT_EQ(h.tcp.stats().challenge_acks_limited, 1u);
}

TEST_F(Resets, RstInCloseWaitReportsEpipe) {
  h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = iss + 1});
  h.out();
  h.in(Seg{.flags = kRst, .seq = 1002});
  EXPECT_EQ(ep->state(), State::kClosed);
  EXPECT_EQ(ep->get_option(SockOpt::kError).value(), EPIPE);
}

TEST_F(Resets, AbortUsesSndNxtAsTheRstSequenceNumber) {
  ep->abort();
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst | kAck);
  EXPECT_EQ(rst.seq, iss + 1);
  EXPECT_EQ(rst.ack, 1001u);
}

TEST_F(Resets, SegmentToAClosedPortDrawsRst) {
  h.in(Seg{.flags = kAck, .seq = 5, .ack = 77, .dst_port = 9});
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst);
  EXPECT_EQ(rst.seq, 77u);
  h.in(Seg{.flags = kSyn, .seq = 5, .dst_port = 9});
  const Seg rst2 = h.out();
  EXPECT_EQ(rst2.flags, kRst | kAck);
  EXPECT_EQ(rst2.seq, 0u);
  EXPECT_EQ(rst2.ack, 6u);
  h.in(Seg{.flags = kRst, .seq = 5, .dst_port = 9});
  h.out_nothing();
}

}  // namespace
}  // namespace netstack::tcp::testing

namespace netstack::tcp::testing {
namespace {

TEST_F(Resets, AbortAfterThePeerShrankItsWindowUsesTheWindowEdge) {
  // Linux tcp_acceptable_seq(): SND.NXT lies beyond SND.UNA + SND.WND, so the
  // RST carries the right window edge to stay acceptable to the peer.
  ASSERT_EQ(ep->set_option(SockOpt::kNoDelay, 1), 0);
  ASSERT_EQ(ep->write(std::vector<uint8_t>(1000, 1)).value(), 1000u);
  h.out();
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1, .win = 0});  // zero window, nothing acked
  ep->abort();
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst | kAck);
  EXPECT_EQ(rst.seq, iss + 1);  // SND.UNA + 0, not SND.NXT = iss + 1001
}

}  // namespace
}  // namespace netstack::tcp::testing
