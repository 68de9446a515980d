// Data transfer in ESTABLISHED: in-order and out-of-order data, SACK,
// cumulative ACKs, retransmission, window updates on read.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

std::vector<uint8_t> bytes(size_t n, uint8_t first = 0) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(first + i);
  return v;
}

// The peer offers SACK; no timestamps.
struct Established : EstablishedFixture {
  Established() { syn_options.sack_permitted = true; }
};

TEST_F(Established, InOrderDataIsReadableAndAckedAtOnceInQuickackMode) {
  h.in(Seg{.flags = kAck | kPsh, .seq = 1001, .ack = iss + 1, .payload = bytes(100)});
  const Seg ack = h.out();
  EXPECT_EQ(ack.ack, 1101u);
  std::array<uint8_t, 200> buf{};
  auto n = ep->read(buf);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 100u);
  EXPECT_EQ(buf[99], 99);
  EXPECT_EQ(ep->read(buf).error(), EAGAIN);
}

TEST_F(Established, OutOfOrderDataIsQueuedAndAckedWithSackBlocks) {
  h.in(Seg{.flags = kAck, .seq = 1201, .ack = iss + 1, .payload = bytes(100)});
  Seg dup = h.out();
  EXPECT_EQ(dup.ack, 1001u);
  ASSERT_EQ(dup.options.sack_block_count, 1);
  EXPECT_EQ(dup.options.sack_blocks[0], (header::SackBlock{1201, 1301}));
  h.in(Seg{.flags = kAck, .seq = 1401, .ack = iss + 1, .payload = bytes(100)});
  dup = h.out();
  ASSERT_EQ(dup.options.sack_block_count, 2);
  // RFC 2018: the block with the most recent arrival comes first.
  EXPECT_EQ(dup.options.sack_blocks[0], (header::SackBlock{1401, 1501}));
  EXPECT_EQ(dup.options.sack_blocks[1], (header::SackBlock{1201, 1301}));
  // Filling the first gap: cumulative ACK jumps, one block remains.
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1, .payload = bytes(200)});
  const Seg ack = h.out();
  EXPECT_EQ(ack.ack, 1301u);
  ASSERT_EQ(ack.options.sack_block_count, 1);
  EXPECT_EQ(ack.options.sack_blocks[0], (header::SackBlock{1401, 1501}));
  EXPECT_EQ(ep->info().readable_bytes, 300u);
}

// RFC 5961 3.2 as Linux extends it (tcp_validate_incoming()): a RST at the
// highest SACK block's right edge resets; at a lower block's, as anywhere
// else in the window, it is challenged.
TEST_F(Established, ARstAtTheHighestSackEdgeResets) {
  h.in(Seg{.flags = kAck, .seq = 3001, .ack = iss + 1, .payload = bytes(1000)});
  h.out();
  h.in(Seg{.flags = kAck, .seq = 1501, .ack = iss + 1, .payload = bytes(500)});
  h.out();
  h.in(Seg{.flags = kRst, .seq = 2001});
  EXPECT_EQ(h.out().ack, 1001u);  // the challenge ACK
  EXPECT_EQ(ep->state(), State::kEstablished);
  h.in(Seg{.flags = kRst, .seq = 4001});
  h.out_nothing();
  EXPECT_EQ(ep->state(), State::kClosed);
}

// Found against Linux over a TUN device (an echo server losing inbound
// packets): data segments carrying SACK blocks were a full MSS, so the
// packet exceeded the MTU and the stack dropped it. As Linux
// (tcp_current_mss()), the blocks take their room from the payload.
TEST_F(Established, DataBesideSackBlocksStillFitsTheMtu) {
  h.in(Seg{.flags = kAck, .seq = 1201, .ack = iss + 1, .payload = bytes(100)});
  ASSERT_EQ(h.out().options.sack_block_count, 1);
  const std::vector<uint8_t> data = bytes(3000);
  ASSERT_EQ(ep->write(data).value_or(0), 3000u);
  const Seg first = h.out();
  ASSERT_EQ(first.options.sack_block_count, 1);
  // MSS 1460 less 12 bytes for one SACK block (NOP, NOP, kind, length, 8).
  EXPECT_EQ(first.payload.size(), 1460u - 12u);
  EXPECT_EQ(ep->info().snd_mss, 1460u) << "the MSS itself is unchanged";
  EXPECT_EQ(h.out().payload.size(), 1460u - 12u);
}

// Without SACK there is no tail loss probe: timeouts are plain RTOs.
using NoSack = EstablishedFixture;

TEST_F(NoSack, WrittenDataIsSegmentedByMssAndRetransmittedOnRto) {
  const auto data = bytes(3000);
  ASSERT_EQ(ep->write(data).value(), 3000u);
  const Seg a = h.out();
  const Seg b = h.out();
  const Seg c = h.out();
  EXPECT_EQ(a.seq, iss + 1);
  EXPECT_EQ(a.payload.size(), 1460u);
  EXPECT_EQ(b.seq, iss + 1 + 1460);
  EXPECT_EQ(c.payload.size(), 80u);
  EXPECT_NE(c.flags & kPsh, 0);  // the end of the write is pushed
  h.out_nothing();
  // No ACK: the RTO (200 ms: the handshake measured a zero RTT and Linux's
  // floor applies) resends the first segment only.
  EXPECT_EQ(ep->info().rto, 200ms);
  h.advance(200ms);
  const Seg r = h.out();
  EXPECT_EQ(r.seq, iss + 1);
  EXPECT_EQ(r.payload.size(), 1460u);
  h.out_nothing();
  EXPECT_EQ(ep->info().total_retransmits, 1u);
  // Everything acknowledged: nothing more is sent and the timer stops.
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1 + 3000});
  h.advance(10s);
  h.out_nothing();
  EXPECT_EQ(ep->info().send_queue_bytes, 0u);
}

TEST_F(NoSack, RtoDoublesOnEachTimeout) {
  ASSERT_EQ(ep->write(bytes(10)).value(), 10u);
  h.out();
  h.advance(200ms);
  h.out();
  h.advance(399ms);
  h.out_nothing();
  h.advance(1ms);
  h.out();
  EXPECT_EQ(ep->info().rto, 800ms);
}

TEST_F(Established, TailLossProbeForOneSegmentWaitsForADelayedAck) {
  // RFC 8985 7.2 / Linux: PTO = 2*SRTT, plus TCP_RTO_MIN when one segment is
  // out, capped by the RTO (here 200 ms: the handshake measured a zero RTT).
  ASSERT_EQ(ep->write(bytes(40)).value(), 40u);
  h.out();
  h.advance(199ms);
  h.out_nothing();
  h.advance(1ms);
  EXPECT_EQ(h.out().payload.size(), 40u);  // the probe
  // Then the RTO, not backed off by the probe, retransmits from SND.UNA.
  h.advance(199ms);
  h.out_nothing();
  h.advance(1ms);
  EXPECT_EQ(h.out().seq, iss + 1);
  EXPECT_EQ(ep->info().rto, 400ms);
}

TEST_F(Established, TailLossProbeRetransmitsTheLastSegment) {
  // Several segments out: PTO = 2*SRTT + 2 ms, and the probe resends the
  // highest segment, not the first.
  ASSERT_EQ(ep->set_option(SockOpt::kNoDelay, 1), 0);
  ASSERT_EQ(ep->write(bytes(1500)).value(), 1500u);
  EXPECT_EQ(h.out().payload.size(), 1460u);
  EXPECT_EQ(h.out().payload.size(), 40u);
  h.advance(1ms);
  h.out_nothing();
  h.advance(1ms);
  const Seg probe = h.out();
  EXPECT_EQ(probe.seq, iss + 1 + 1460);
  EXPECT_EQ(probe.payload.size(), 40u);
}

TEST_F(Established, NagleHoldsASmallSegmentWhileDataIsUnacked) {
  ASSERT_EQ(ep->write(bytes(10)).value(), 10u);
  h.out();
  ASSERT_EQ(ep->write(bytes(10)).value(), 10u);
  h.out_nothing();
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 11});
  const Seg second = h.out();
  EXPECT_EQ(second.seq, iss + 11);
  EXPECT_EQ(second.payload.size(), 10u);
  ASSERT_EQ(ep->set_option(SockOpt::kNoDelay, 1), 0);
  ASSERT_EQ(ep->write(bytes(5)).value(), 5u);
  ASSERT_EQ(ep->write(bytes(5)).value(), 5u);
  EXPECT_EQ(h.out().payload.size(), 5u);
  EXPECT_EQ(h.out().payload.size(), 5u);
}

// Linux tcp_measure_rcv_mss(): a GSO packet's segment size, not its length,
// is the peer's MSS as measured (options/gso-mss-sets-rcv-mss.pkt).
TEST_F(Established, AGsoPacketTellsThePeersSegmentSize) {
  EXPECT_EQ(ep->info().rcv_mss, 536u);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1, .payload = bytes(4000), .gso_size = 1000});
  EXPECT_EQ(ep->info().rcv_mss, 1000u);
  h.in(Seg{.flags = kAck, .seq = 5001, .ack = iss + 1, .payload = bytes(4000)});
  EXPECT_EQ(ep->info().rcv_mss, 1460u);  // a plain packet: its length, at most our MSS
}

TEST_F(Established, SendWindowLimitsWhatIsInFlight) {
  // Linux takes a smaller window only from a newer segment (tcp_may_update_window()).
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1, .payload = {1}});
  h.out();
  h.in(Seg{.flags = kAck, .seq = 1002, .ack = iss + 1, .win = 1000});
  ASSERT_EQ(ep->write(bytes(3000)).value(), 3000u);
  // Linux tcp_snd_wnd_test(): a full segment does not fit, so nothing goes
  // until the probe timer sends what does (socket/window-shrunk-below-mss.pkt).
  h.out_nothing();
  h.advance(ep->info().rto);
  const Seg a = h.out();
  EXPECT_EQ(a.payload.size(), 1000u);
  h.out_nothing();
  h.in(Seg{.flags = kAck, .seq = 1002, .ack = iss + 1001, .win = 65535});
  EXPECT_EQ(h.out().payload.size(), 1460u);
}

TEST_F(Established, ZeroWindowIsProbedWithBackoff) {
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1, .win = 0});
  ASSERT_EQ(ep->write(bytes(100)).value(), 100u);
  h.out_nothing();
  h.advance(ep->info().rto);
  const Seg probe = h.out();
  EXPECT_EQ(probe.seq, iss);  // Linux: SND.UNA - 1, no data
  EXPECT_TRUE(probe.payload.empty());
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1, .win = 500});
  EXPECT_EQ(h.out().payload.size(), 100u);
}

TEST_F(Established, ReadingReopensAClosedReceiveWindow) {
  // Fill the buffer without reading (rcvbuf 128 KiB, each 1460-byte segment
  // charged its 2816-byte truesize; the peer sent no wscale, so windows are
  // unscaled).
  uint32_t seq = 1001;
  for (int i = 0; i < 60; ++i) {
    h.in(Seg{.flags = kAck, .seq = seq, .ack = iss + 1, .payload = bytes(1460)});
    seq += 1460;
  }
  Seg last;
  while (h.pending_out() > 0) last = h.out();
  const uint16_t small = last.win;
  EXPECT_LE(small, 1460u);   // at most one segment of window is left
  EXPECT_LT(last.ack, seq);  // so the tail of the flood was not taken
  std::vector<uint8_t> buf(100000);
  ASSERT_GT(ep->read(buf).value(), 0u);
  const Seg update = h.out();
  EXPECT_EQ(update.ack, last.ack);
  EXPECT_GT(update.win, small);
}

TEST_F(Established, DuplicateDataIsAckedImmediately) {
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1, .payload = bytes(10)});
  h.out();
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1, .payload = bytes(10)});
  EXPECT_EQ(h.out().ack, 1011u);
}

TEST_F(Established, AckOfUnsentDataDrawsAChallengeAckAndIsDropped) {
  // Linux 6.x (RFC 5961 5.2): checked against the kernel by
  // corpus/scripts/rfc5961/ack-unsent-data.pkt.
  h.in(Seg{.flags = kAck | kPsh, .seq = 1001, .ack = iss + 500, .payload = bytes(10)});
  const Seg ack = h.out();
  EXPECT_EQ(ack.flags, kAck);
  EXPECT_EQ(ack.ack, 1001u);
  EXPECT_EQ(ep->info().readable_bytes, 0u);
}

}  // namespace
}  // namespace netstack::tcp::testing
