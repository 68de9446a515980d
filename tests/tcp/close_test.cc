// Closing: every path through FIN-WAIT, CLOSING, TIME-WAIT, CLOSE-WAIT and
// LAST-ACK, and the abortive closes.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

using Closing = EstablishedFixture;

TEST_F(Closing, ActiveCloseGoesThroughFinWaitAndTimeWait) {
  ep->close();
  const Seg fin = h.out();
  EXPECT_EQ(fin.flags, kFin | kAck);
  EXPECT_EQ(fin.seq, iss + 1);
  EXPECT_EQ(ep->state(), State::kFinWait1);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 2});
  EXPECT_EQ(ep->state(), State::kFinWait2);
  h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = iss + 2});
  EXPECT_EQ(h.out().ack, 1002u);
  EXPECT_EQ(ep->state(), State::kTimeWait);
  h.advance(59s);
  EXPECT_EQ(ep->state(), State::kTimeWait);
  h.advance(1s);
  EXPECT_EQ(ep->state(), State::kClosed);
  const EndpointId id = ep->id();
  h.tcp.reap();
  EXPECT_EQ(h.tcp.find(id), nullptr);
}

TEST_F(Closing, FinAndAckOfFinTogetherGoStraightToTimeWait) {
  ep->close();
  h.out();
  h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = iss + 2});
  EXPECT_EQ(ep->state(), State::kTimeWait);
  EXPECT_EQ(h.out().ack, 1002u);
}

TEST_F(Closing, SimultaneousCloseGoesThroughClosing) {
  ep->close();
  h.out();
  h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = iss + 1});
  EXPECT_EQ(ep->state(), State::kClosing);
  EXPECT_EQ(h.out().ack, 1002u);
  h.in(Seg{.flags = kAck, .seq = 1002, .ack = iss + 2});
  EXPECT_EQ(ep->state(), State::kTimeWait);
}

TEST_F(Closing, PassiveCloseGoesThroughCloseWaitAndLastAck) {
  h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = iss + 1});
  EXPECT_EQ(h.out().ack, 1002u);
  EXPECT_EQ(ep->state(), State::kCloseWait);
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(ep->read(buf).value(), 0u);  // end of stream
  EXPECT_NE(ep->poll() & poll_event::kRdHup, 0u);
  ep->close();
  const Seg fin = h.out();
  EXPECT_EQ(fin.flags, kFin | kAck);
  EXPECT_EQ(ep->state(), State::kLastAck);
  h.in(Seg{.flags = kAck, .seq = 1002, .ack = iss + 2});
  EXPECT_EQ(ep->state(), State::kClosed);
}

TEST_F(Closing, CloseWithUnreadDataSendsRst) {
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1, .payload = {1, 2, 3}});
  h.out();
  ep->close();
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst | kAck);
  EXPECT_EQ(rst.seq, iss + 1);
  EXPECT_EQ(ep->state(), State::kClosed);
}

TEST_F(Closing, LingerZeroAbortsWithRst) {
  ASSERT_EQ(ep->set_option(SockOpt::kLinger, 0), 0);
  ep->close();
  EXPECT_EQ(h.out().flags, kRst | kAck);
  EXPECT_EQ(ep->state(), State::kClosed);
}

TEST_F(Closing, OrphanedFinWait2EndsAfterLinger2) {
  ASSERT_EQ(ep->set_option(SockOpt::kLinger2, 5), 0);
  ep->close();
  h.out();
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 2});
  EXPECT_EQ(ep->state(), State::kFinWait2);
  h.advance(5s);
  EXPECT_EQ(ep->state(), State::kClosed);
  h.out_nothing();
}

TEST_F(Closing, DataAfterCloseAbortsWithRst) {
  ep->close();
  h.out();
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 2, .payload = {9}});
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst);
  EXPECT_EQ(rst.seq, iss + 2);
  EXPECT_EQ(ep->state(), State::kClosed);
}

TEST_F(Closing, TimeWaitReAcksARetransmittedFinAndRestartsTheTimer) {
  ep->close();
  h.out();
  h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = iss + 2});
  h.out();
  h.advance(30s);
  h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = iss + 2});
  EXPECT_EQ(h.out().ack, 1002u);
  h.advance(59s);
  EXPECT_EQ(ep->state(), State::kTimeWait);
  h.advance(1s);
  EXPECT_EQ(ep->state(), State::kClosed);
}

TEST_F(Closing, NewSynInTimeWaitIsHandedToTheListener) {
  ep->close();
  h.out();
  h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = iss + 2});
  h.out();
  h.in(Seg{.flags = kSyn, .seq = 500000, .options = {.mss = 1460}});
  const Seg synack = h.out();
  EXPECT_EQ(synack.flags, kSyn | kAck);
  EXPECT_EQ(synack.ack, 500001u);
  EXPECT_EQ(synack.seq, iss + 2 + 65537);  // Linux: old SND.NXT + 65535 + 2
  EXPECT_EQ(ep->state(), State::kClosed);
}

TEST_F(Closing, ShutdownWriteSendsFinAndKeepsReceiving) {
  ASSERT_EQ(ep->shutdown(ShutdownHow::kWrite), 0);
  EXPECT_EQ(h.out().flags, kFin | kAck);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 2, .payload = {7, 7}});
  EXPECT_EQ(ep->info().readable_bytes, 2u);
  EXPECT_EQ(ep->write(std::vector<uint8_t>{1}).error(), EPIPE);
}

}  // namespace
}  // namespace netstack::tcp::testing

namespace netstack::tcp::testing {
namespace {

TEST_F(Closing, TimeWaitOutlivesTheUsersCloseAndAbort) {
  // shutdown(SHUT_WR) keeps the socket; both FINs exchanged -> TIME-WAIT.
  ASSERT_EQ(ep->shutdown(ShutdownHow::kWrite), 0);
  h.out();
  h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = iss + 2, .payload = {1}});
  h.out();
  ASSERT_EQ(ep->state(), State::kTimeWait);
  // Linux: the user's socket is already closed; TIME-WAIT belongs to a
  // timewait socket that neither abort() nor close() with unread data ends.
  ep->abort();
  ep->close();
  h.out_nothing();
  EXPECT_EQ(ep->state(), State::kTimeWait);
  h.advance(60s);
  EXPECT_EQ(ep->state(), State::kClosed);
}

}  // namespace
}  // namespace netstack::tcp::testing
