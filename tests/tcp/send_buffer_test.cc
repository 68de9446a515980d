// The send buffer: SO_SNDBUF charged per skb as Linux charges
// sk_wmem_queued, and grown by tcp_sndbuf_expand() unless SO_SNDBUF was set.
#include "stack/tcp/send_skbs.h"
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

seqnum::Value at(uint32_t v) {
  return seqnum::Value(v);
}

TEST(SendSkbs, WritesStartOrExtendSkbsAndEachCostsItsOverhead) {
  SendSkbs skbs;
  skbs.add(at(1), at(1001));
  EXPECT_EQ(skbs.unsent_tail(at(1)), 1000u);
  skbs.extend_tail(at(1501));
  skbs.add(at(1501), at(2001));
  EXPECT_EQ(skbs.count(), 2u);
  EXPECT_EQ(skbs.overhead(), 2u * SendSkbs::kOverhead);
  EXPECT_EQ(skbs.end(), at(2001));
  EXPECT_EQ(skbs.end_of(at(1)), at(1501));
  EXPECT_EQ(skbs.end_of(at(1501)), at(2001));
  EXPECT_EQ(skbs.end_of(at(2001)), at(2001));  // beyond the queue
}

TEST(SendSkbs, OnlyAnUnsentTailTakesMoreBytes) {
  SendSkbs skbs;
  skbs.add(at(1), at(1001));
  EXPECT_EQ(skbs.unsent_tail(at(501)), 0u);  // half of it was sent
  skbs.split_at(at(501));
  EXPECT_EQ(skbs.count(), 2u);
  EXPECT_EQ(skbs.unsent_tail(at(501)), 500u);
}

TEST(SendSkbs, SplittingAtABoundaryOrOutsideChangesNothing) {
  SendSkbs skbs;
  skbs.add(at(1), at(1001));
  skbs.add(at(1001), at(2001));
  skbs.split_at(at(1001));
  skbs.split_at(at(1));
  skbs.split_at(at(5000));
  EXPECT_EQ(skbs.count(), 2u);
}

TEST(SendSkbs, AnAckFreesWholeSkbsAndAPartialOneKeepsItsOverhead) {
  SendSkbs skbs;
  skbs.add(at(1), at(1001));
  skbs.add(at(1001), at(2001));
  skbs.release(at(1500));
  EXPECT_EQ(skbs.count(), 1u);
  // The partly acknowledged skb still starts where it did: a split inside
  // its acknowledged part is no split of what is left.
  skbs.split_at(at(1200));
  EXPECT_EQ(skbs.count(), 2u);
  skbs.release(at(2001));
  EXPECT_EQ(skbs.count(), 0u);
}

TEST(SendSkbs, APartialAckTrimsOnlyAnSkbOfSeveralSegments) {
  // Linux tcp_clean_rtx_queue(): tcp_tso_acked() trims a multi-segment skb
  // to SND.UNA; a one-segment skb stays whole until it is acked.
  SendSkbs skbs;
  skbs.add(at(1), at(1001));
  skbs.add(at(1001), at(3001));
  EXPECT_EQ(skbs.bytes_of(at(500), at(501), 1000), 1000u);
  EXPECT_EQ(skbs.bytes_of(at(2000), at(1501), 1000), 1500u);
  EXPECT_EQ(skbs.bytes_of(at(2000), at(1001), 1000), 2000u);
  EXPECT_EQ(skbs.bytes_of(at(3001), at(1), 1000), 0u);  // no skb holds it
}

TEST(SendSkbs, SequenceNumbersWrap) {
  SendSkbs skbs;
  skbs.add(at(0xffffff00), at(100));
  EXPECT_EQ(skbs.unsent_tail(at(0xffffff00)), 356u);
  skbs.split_at(at(0));
  EXPECT_EQ(skbs.count(), 2u);
  skbs.release(at(50));
  EXPECT_EQ(skbs.count(), 1u);
}

using SendBuffer = EstablishedFixture;

TEST_F(SendBuffer, AWriteFillsTheSkbItStartsBelowTheLimit) {
  // SO_SNDBUF 1000 gives Linux's minimum, 4608. The peer's 65535-byte
  // window makes skbs of 22 segments: the first one starts in an empty
  // buffer and takes the whole write; nothing more starts past the limit
  // (Linux sk_stream_memory_free() is checked per new skb).
  ASSERT_EQ(ep->set_option(SockOpt::kSndBuf, 1000), 0);
  ASSERT_EQ(ep->get_option(SockOpt::kSndBuf).value(), 4608);
  ASSERT_EQ(ep->write(std::vector<uint8_t>(10000)).value(), 10000u);
  EXPECT_EQ(ep->write(std::vector<uint8_t>(1)).error(), EAGAIN);
  EXPECT_EQ(ep->poll() & poll_event::kOut, 0u);
}

TEST_F(SendBuffer, AWriteTopsUpAPartlySentTailPastTheLimit) {
  // Linux tcp_sendmsg_locked() checks the limit only for a new skb: an
  // unsent tail below the size goal takes more, however full the buffer.
  // The first write fills one skb and stops at the limit; the ACK of what
  // it sent lets the congestion window send more of that skb, and a write
  // as long as that refills the tail while a new skb is still refused.
  ASSERT_EQ(ep->set_option(SockOpt::kSndBuf, 1000), 0);
  ASSERT_TRUE(ep->write(std::vector<uint8_t>(65536)).has_value());
  ASSERT_EQ(ep->write(std::vector<uint8_t>(1)).error(), EAGAIN);
  h.advance(Duration(0));
  uint32_t acked = iss + 1;
  while (h.pending_out() > 0) {
    const Seg s = h.out();
    acked = std::max<uint32_t>(acked, s.seq + static_cast<uint32_t>(s.payload.size()));
  }
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = acked});
  size_t sent = 0;
  while (h.pending_out() > 0) sent += h.out().payload.size();
  ASSERT_GT(sent, 0u);
  EXPECT_EQ(ep->write(std::vector<uint8_t>(sent)).value(), sent);
  EXPECT_EQ(ep->write(std::vector<uint8_t>(1)).error(), EAGAIN);
}

TEST_F(SendBuffer, TheHandshakeSizesTheBufferForTwoWindowsOfTenSegments) {
  // Linux tcp_sndbuf_expand() for MSS 1460: (1460 + 320 + 320) rounded up
  // to 4096, plus 256 for the sk_buff; two windows of ten, as CUBIC has no
  // sndbuf_expand hook of its own (only BBR asks for three).
  ASSERT_EQ(ep->congestion_control(), CongestionAlgorithm::kCubic);
  const int expected = 2 * 10 * (4096 + 256);
  EXPECT_EQ(ep->get_option(SockOpt::kSndBuf).value(), std::max(expected, 16384));
}

// Fills the buffer, then acknowledges everything the stack sends, round
// after round, so that slow start grows the congestion window while a
// writer waits for room.
void grow_window_with_a_waiting_writer(PeerHarness& h, Endpoint& ep, uint32_t iss) {
  while (ep.write(std::vector<uint8_t>(65536)).has_value()) {
  }
  uint32_t acked = iss + 1;
  for (int round = 0; round < 4; ++round) {
    h.advance(Duration(0));  // what the writes sent reaches the peer
    while (h.pending_out() > 0) {
      const Seg s = h.out();
      acked = std::max<uint32_t>(acked, s.seq + static_cast<uint32_t>(s.payload.size()));
      h.in(Seg{.flags = kAck, .seq = 1001, .ack = acked});
    }
    while (ep.write(std::vector<uint8_t>(65536)).has_value()) {
    }
  }
}

TEST_F(SendBuffer, ABlockedWriterGrowsTheBufferWithTheCongestionWindow) {
  const int before = ep->get_option(SockOpt::kSndBuf).value();
  grow_window_with_a_waiting_writer(h, *ep, iss);
  ASSERT_GT(ep->info().cwnd, 10u);
  // Linux tcp_new_space(): never past what the window asks for.
  const int after = ep->get_option(SockOpt::kSndBuf).value();
  EXPECT_GT(after, before);
  EXPECT_LE(after, static_cast<int>(3 * ep->info().cwnd * (4096 + 256)));
}

TEST_F(SendBuffer, ABufferTheUserSetDoesNotGrow) {
  ASSERT_EQ(ep->set_option(SockOpt::kSndBuf, 20000), 0);
  grow_window_with_a_waiting_writer(h, *ep, iss);
  ASSERT_GT(ep->info().cwnd, 10u);
  EXPECT_EQ(ep->get_option(SockOpt::kSndBuf).value(), 40000);
}

}  // namespace
}  // namespace netstack::tcp::testing
