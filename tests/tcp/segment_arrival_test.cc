// RFC 9293 3.10.7 "SEGMENT ARRIVES", check by check, at the boundary values
// where an off-by-one or a non-modular comparison shows: ACK = ISS and ACK =
// SND.NXT+1 in the handshake states, segments without SYN in SYN-SENT, the
// edges of the receive window, a peer ISN just below 2^32 so the sequence
// space wraps, and the ACK checks that end FIN-WAIT-1 and LAST-ACK. Where
// the RFC leaves a choice the expectation is Linux's (named at the check).
// Each test stands for a class of bug seeded in tests/mutants/.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

std::vector<uint8_t> bytes(size_t n, uint8_t first = 0) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(first + i);
  return v;
}

size_t read_all(Endpoint& ep, std::vector<uint8_t>& into) {
  std::array<uint8_t, 4096> buf{};
  size_t total = 0;
  while (true) {
    auto n = ep.read(buf);
    if (!n.has_value() || *n == 0) return total;
    into.insert(into.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*n));
    total += *n;
  }
}

// A passive open with the peer's ISN `peer_iss` (MSS option only, so no
// window scaling): the accepted endpoint, our ISS and the window our
// SYN-ACK offered.
struct Passive {
  Endpoint* ep;
  uint32_t iss;
  uint32_t window;
};

Passive open_passive(PeerHarness& h, uint32_t peer_iss) {
  const EndpointId l = h.listen();
  h.in(Seg{.flags = kSyn, .seq = peer_iss, .options = {.mss = 1460}});
  const Seg synack = h.out();
  EXPECT_EQ(synack.flags, kSyn | kAck);
  EXPECT_EQ(synack.ack, peer_iss + 1);
  h.in(Seg{.flags = kAck, .seq = peer_iss + 1, .ack = synack.seq + 1});
  auto id = h.tcp.find(l)->accept();
  EXPECT_TRUE(id.has_value());
  return {h.tcp.find(*id), synack.seq, synack.win};
}

// ---- 3.10.7.1 CLOSED ----

TEST(SegmentArrivesClosed, ResetCountsSynFinAndDataInItsAck) {
  PeerHarness h;
  // No ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, SYN and FIN counted.
  h.in(Seg{.flags = kSyn | kFin, .seq = 7000, .payload = bytes(5)});
  Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst | kAck);
  EXPECT_EQ(rst.seq, 0u);
  EXPECT_EQ(rst.ack, 7007u);
  // With ACK: <SEQ=SEG.ACK><CTL=RST>.
  h.in(Seg{.flags = kAck, .seq = 7000, .ack = 0xfffffffeu});
  rst = h.out();
  EXPECT_EQ(rst.flags, kRst);
  EXPECT_EQ(rst.seq, 0xfffffffeu);
  // A RST is never answered.
  h.in(Seg{.flags = kRst, .seq = 7000});
  h.out_nothing();
}

// ---- 3.10.7.2 LISTEN ----

TEST(SegmentArrivesListen, ASegmentWithoutSynAckOrRstIsDropped) {
  PeerHarness h;
  h.listen();
  h.in(Seg{.flags = kFin, .seq = 7000});
  h.in(Seg{.flags = kPsh, .seq = 7000, .payload = bytes(10)});
  h.out_nothing();
  EXPECT_EQ(h.tcp.stats().passive_opens, 0u);
}

// ---- 3.10.7.3 SYN-SENT ----

struct SynSent : ::testing::Test {
  PeerHarness h;
  Endpoint* ep = nullptr;
  uint32_t iss = 0;
  void SetUp() override {
    ep = &h.connect();
    const Seg syn = h.out();
    ASSERT_EQ(syn.flags, kSyn);
    iss = syn.seq;
  }
  // First check: SEG.ACK =< ISS or SEG.ACK > SND.NXT draws <SEQ=SEG.ACK><CTL=RST>.
  void expect_rejected(uint32_t ack) {
    h.in(Seg{.flags = kSyn | kAck, .seq = 5000, .ack = ack, .options = {.mss = 1460}});
    const Seg rst = h.out();
    EXPECT_EQ(rst.flags, kRst) << "ACK " << ack - iss << " from ISS";
    EXPECT_EQ(rst.seq, ack);
    EXPECT_EQ(ep->state(), State::kSynSent);
  }
};

TEST_F(SynSent, AckOfTheIssItselfIsUnacceptable) {
  expect_rejected(iss);
  // Linux resends the SYN at once after a bad ACK; drain it.
  h.advance(10ms);
  while (h.pending_out() > 0) EXPECT_EQ(h.out().flags, kSyn);
  // The right ACK still completes the handshake.
  h.in(Seg{.flags = kSyn | kAck, .seq = 5000, .ack = iss + 1, .options = {.mss = 1460}});
  EXPECT_EQ(ep->state(), State::kEstablished);
}

TEST_F(SynSent, AckOnePastSndNxtIsUnacceptable) {
  expect_rejected(iss + 2);
  expect_rejected(iss - 1);
}

TEST_F(SynSent, RstWithAnAckAtEitherEdgeIsIgnored) {
  for (const uint32_t ack : {iss, iss + 2}) {
    h.in(Seg{.flags = kRst | kAck, .seq = 0, .ack = ack});
    EXPECT_EQ(ep->state(), State::kSynSent) << "ACK " << ack - iss << " from ISS";
  }
  h.out_nothing();
}

TEST_F(SynSent, RstWithoutAckIsIgnored) {
  // Second check: a RST is acceptable only with an acceptable ACK.
  h.in(Seg{.flags = kRst, .seq = 5000});
  h.out_nothing();
  EXPECT_EQ(ep->state(), State::kSynSent);
}

TEST_F(SynSent, AnAcceptableAckWithoutSynIsDropped) {
  // Fifth check: "if neither of the SYN or RST bits is set, then drop the
  // segment and return" (Linux tcp_rcv_synsent_state_process(): discard).
  h.in(Seg{.flags = kAck, .seq = 5000, .ack = iss + 1});
  h.in(Seg{.flags = kAck | kPsh, .seq = 5000, .ack = iss + 1, .payload = bytes(10)});
  h.in(Seg{.flags = kFin | kAck, .seq = 5000, .ack = iss + 1});
  h.out_nothing();
  EXPECT_EQ(ep->state(), State::kSynSent);
  h.in(Seg{.flags = kPsh, .seq = 5000, .payload = bytes(10)});
  h.in(Seg{.flags = kFin, .seq = 5000});
  h.out_nothing();
  EXPECT_EQ(ep->state(), State::kSynSent);
  // The SYN-ACK that follows still completes the handshake.
  h.in(Seg{.flags = kSyn | kAck, .seq = 5000, .ack = iss + 1, .options = {.mss = 1460}});
  EXPECT_EQ(ep->state(), State::kEstablished);
  EXPECT_EQ(h.out().ack, 5001u);
}

TEST_F(SynSent, APeerIsnJustBelowTwoToThe32WrapsIntoTheData) {
  h.in(Seg{.flags = kSyn | kAck, .seq = 0xffffffffu, .ack = iss + 1, .options = {.mss = 1460}});
  ASSERT_EQ(ep->state(), State::kEstablished);
  EXPECT_EQ(h.out().ack, 0u);
  h.in(Seg{.flags = kAck | kPsh, .seq = 0, .ack = iss + 1, .payload = bytes(100)});
  EXPECT_EQ(h.out().ack, 100u);
  std::vector<uint8_t> got;
  EXPECT_EQ(read_all(*ep, got), 100u);
}

// ---- 3.10.7.4 SYN-RECEIVED ----

struct SynReceived : ::testing::Test {
  PeerHarness h;
  uint32_t iss = 0;
  void SetUp() override {
    h.listen();
    h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
    const Seg synack = h.out();
    ASSERT_EQ(synack.flags, kSyn | kAck);
    iss = synack.seq;
  }
};

TEST_F(SynReceived, AckOfTheIssItselfDrawsRstAndCompletesNothing) {
  // Fifth check: SND.UNA < SEG.ACK =< SND.NXT (RFC 793's "=<" on the left
  // was an erratum); otherwise <SEQ=SEG.ACK><CTL=RST>.
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss});
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst);
  EXPECT_EQ(rst.seq, iss);
  EXPECT_EQ(h.tcp.stats().established, 0u);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1});
  h.out_nothing();
  EXPECT_EQ(h.tcp.stats().established, 1u);
}

TEST_F(SynReceived, AckOnePastSndNxtDrawsRst) {
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 2});
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst);
  EXPECT_EQ(rst.seq, iss + 2);
  EXPECT_EQ(h.tcp.stats().established, 0u);
}

// ---- 3.10.7.4 synchronized states ----

// First check, the window edges: with RCV.WND > 0 a segment is acceptable
// when it starts before RCV.NXT+RCV.WND (Linux tcp_sequence() also takes an
// empty one at the edge); beyond, it is dropped and ACKed.
TEST(SegmentArrives, DataInTheWindowIsQueuedAndBeyondItDropped) {
  PeerHarness h;
  const Passive p = open_passive(h, 1000);
  h.in(Seg{.flags = kAck, .seq = 1001 + p.window - 1, .ack = p.iss + 1, .payload = bytes(1)});
  // In the window but out of order: queued, and a duplicate ACK (no SACK
  // here) that offers the window anew.
  const Seg dup = h.out();
  EXPECT_EQ(dup.ack, 1001u);
  EXPECT_EQ(p.ep->info().reassembly_bytes, 1u);
  // Far beyond the right edge (and the free buffer space): dropped and
  // ACKed (Linux tcp_data_queue(), out_of_window).
  const uint32_t right = dup.ack + dup.win;
  h.in(Seg{.flags = kAck, .seq = right + 100'000, .ack = p.iss + 1, .payload = bytes(1)});
  EXPECT_EQ(h.out().ack, 1001u);
  EXPECT_EQ(p.ep->info().reassembly_bytes, 1u);
}

// Seventh step: what arrives beyond the window is taken only as far as the
// receive buffer has room (Linux queues in-order data past the window while
// memory allows, tcp_try_rmem_schedule(), and drops the rest); a segment
// larger than the whole buffer never fits.
TEST(SegmentArrives, DataBeyondTheWindowAndTheBufferIsNotTaken) {
  PeerHarness h;
  const EndpointId l = h.tcp.open(IpAddress::Family::kV4);
  Endpoint& listener = *h.tcp.find(l);
  ASSERT_EQ(listener.set_option(SockOpt::kRcvBuf, 4096), 0);
  ASSERT_EQ(listener.bind(h.local, PeerHarness::kLocalPort), 0);
  ASSERT_EQ(listener.listen(8), 0);
  h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
  const Seg synack = h.out();
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = synack.seq + 1});
  auto id = listener.accept();
  ASSERT_TRUE(id.has_value());
  Endpoint& ep = *h.tcp.find(*id);
  const auto rcvbuf = static_cast<size_t>(ep.get_option(SockOpt::kRcvBuf).value());
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = synack.seq + 1, .payload = bytes(1000)});
  const Seg first = h.out();
  EXPECT_EQ(first.ack, 2001u);
  EXPECT_LT(first.win, rcvbuf);
  h.in(Seg{.flags = kAck, .seq = 2001, .ack = synack.seq + 1, .payload = bytes(2 * rcvbuf)});
  EXPECT_LT(ep.info().rcv_nxt - 2001, rcvbuf) << "took more than the buffer holds";
  EXPECT_LE(ep.info().readable_bytes, rcvbuf);
  h.advance(1s);  // whatever ACK it owes (possibly delayed) covers no more
  while (h.pending_out() > 0) EXPECT_LT(h.out().ack - 2001, rcvbuf);
}

TEST(SegmentArrives, AnOldDuplicateIsAckedAndNotDelivered) {
  PeerHarness h;
  const Passive p = open_passive(h, 1000);
  h.in(Seg{.flags = kAck | kPsh, .seq = 1001, .ack = p.iss + 1, .payload = bytes(10)});
  EXPECT_EQ(h.out().ack, 1011u);
  // Entirely below RCV.NXT.
  h.in(Seg{.flags = kAck | kPsh, .seq = 1010, .ack = p.iss + 1, .payload = bytes(1)});
  EXPECT_EQ(h.out().ack, 1011u);
  std::vector<uint8_t> got;
  EXPECT_EQ(read_all(*p.ep, got), 10u);
}

// RFC 1122 4.2.3.6: a keepalive probe is SEG.SEQ = RCV.NXT-1 without data;
// as an unacceptable segment it draws an ACK (Linux tcp_send_dupack()).
TEST(SegmentArrives, AKeepaliveProbeIsAnswered) {
  PeerHarness h;
  const Passive p = open_passive(h, 1000);
  h.in(Seg{.flags = kAck, .seq = 1000, .ack = p.iss + 1});
  const Seg ack = h.out();
  EXPECT_EQ(ack.flags, kAck);
  EXPECT_EQ(ack.seq, p.iss + 1);
  EXPECT_EQ(ack.ack, 1001u);
  // The same with a garbage byte, as some stacks send.
  h.advance(1s);
  h.in(Seg{.flags = kAck, .seq = 1000, .ack = p.iss + 1, .payload = bytes(1)});
  EXPECT_EQ(h.out().ack, 1001u);
  EXPECT_EQ(p.ep->state(), State::kEstablished);
}

// With the peer's ISN 16 bytes below 2^32 every check runs across the wrap:
// acceptability, the ACK sent, in-order and out-of-order queuing, the FIN.
TEST(SegmentArrives, DataAcrossTheWrapOfTheSequenceSpace) {
  PeerHarness h;
  const uint32_t peer_iss = 0xffffffefu;
  const Passive p = open_passive(h, peer_iss);
  uint32_t seq = peer_iss + 1;  // 0xfffffff0
  h.in(Seg{.flags = kAck | kPsh, .seq = seq, .ack = p.iss + 1, .payload = bytes(100)});
  seq += 100;  // 0x54: past zero
  EXPECT_EQ(h.out().ack, seq);
  // Out of order beyond the wrap, then the hole.
  h.in(Seg{.flags = kAck, .seq = seq + 50, .ack = p.iss + 1, .payload = bytes(50, 150)});
  EXPECT_EQ(h.out().ack, seq);
  h.in(Seg{.flags = kAck, .seq = seq, .ack = p.iss + 1, .payload = bytes(50, 100)});
  seq += 100;
  EXPECT_EQ(h.out().ack, seq);
  h.in(Seg{.flags = kFin | kAck, .seq = seq, .ack = p.iss + 1});
  EXPECT_EQ(p.ep->state(), State::kCloseWait);
  std::vector<uint8_t> got;
  EXPECT_EQ(read_all(*p.ep, got), 200u);
  EXPECT_EQ(got, bytes(200));
}

// Second check: inside the window only RCV.NXT resets (RFC 5961 3.2); the
// last in-window sequence number draws a challenge ACK, one past it is out
// of the window and silently dropped.
TEST(SegmentArrives, RstAtTheLastInWindowSequenceIsChallengedAndPastItIgnored) {
  PeerHarness h;
  const Passive p = open_passive(h, 1000);
  h.in(Seg{.flags = kRst, .seq = 1001 + p.window - 1});
  const Seg ack = h.out();
  EXPECT_EQ(ack.flags, kAck);
  EXPECT_EQ(ack.ack, 1001u);
  h.advance(1s);  // past the challenge ACK rate limit
  // Linux tcp_sequence() takes a segment starting at the right edge itself;
  // one past it is out of the window.
  h.in(Seg{.flags = kRst, .seq = ack.ack + ack.win + 1});
  h.in(Seg{.flags = kRst | kAck, .seq = 1000, .ack = p.iss + 1});
  h.out_nothing();
  EXPECT_EQ(p.ep->state(), State::kEstablished);
}

// Fourth check: a SYN in a synchronized state, in the window or not, draws
// a challenge ACK (RFC 5961 4.2, Linux tcp_validate_incoming()).
TEST(SegmentArrives, ASynAnywhereDrawsAChallengeAck) {
  PeerHarness h;
  const Passive p = open_passive(h, 1000);
  h.in(Seg{.flags = kSyn, .seq = 1001});
  EXPECT_EQ(h.out().ack, 1001u);
  h.advance(1s);
  h.in(Seg{.flags = kSyn | kAck, .seq = 1001 + p.window + 100, .ack = p.iss + 1});
  EXPECT_EQ(h.out().ack, 1001u);
  EXPECT_EQ(p.ep->state(), State::kEstablished);
}

// Fifth check: an ACK of SND.NXT+1 acknowledges something not yet sent: a
// challenge ACK and the segment is dropped, its data too (RFC 5961 5.2).
TEST(SegmentArrives, AckOfSndNxtPlusOneIsChallengedAndTheDataDropped) {
  PeerHarness h;
  const Passive p = open_passive(h, 1000);
  h.in(Seg{.flags = kAck | kPsh, .seq = 1001, .ack = p.iss + 2, .payload = bytes(10)});
  const Seg ack = h.out();
  EXPECT_EQ(ack.ack, 1001u);
  EXPECT_EQ(ack.seq, p.iss + 1);
  EXPECT_EQ(p.ep->info().readable_bytes, 0u);
  // SEG.ACK = SND.NXT is fine.
  h.in(Seg{.flags = kAck | kPsh, .seq = 1001, .ack = p.iss + 1, .payload = bytes(10)});
  EXPECT_EQ(h.out().ack, 1011u);
}

// Fifth check: "if the ACK bit is off, drop the segment" (Linux
// tcp_rcv_state_process(): silently).
TEST(SegmentArrives, DataWithoutTheAckBitIsDropped) {
  PeerHarness h;
  const Passive p = open_passive(h, 1000);
  h.in(Seg{.flags = kPsh, .seq = 1001, .payload = bytes(10)});
  h.out_nothing();
  EXPECT_EQ(p.ep->info().readable_bytes, 0u);
  EXPECT_EQ(p.ep->info().rcv_nxt, 1001u);
}

// Eighth check: a FIN counts only once every byte before it is in; an
// out-of-order FIN is ACKed as a duplicate and the state stays. Found
// writing this test: a FIN carrying data out of order was forgotten, so
// filling the hole left the connection in ESTABLISHED until the peer
// resent its FIN (corpus/scripts/close/out-of-order-fin-with-data.pkt).
TEST(SegmentArrives, AFinBeyondAHoleIsNotAcked) {
  PeerHarness h;
  const Passive p = open_passive(h, 1000);
  h.in(Seg{.flags = kFin | kAck, .seq = 1011, .ack = p.iss + 1, .payload = bytes(5)});
  EXPECT_EQ(h.out().ack, 1001u);
  EXPECT_EQ(p.ep->state(), State::kEstablished);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = p.iss + 1, .payload = bytes(10)});
  EXPECT_EQ(h.out().ack, 1017u);  // 15 bytes and the FIN
  EXPECT_EQ(p.ep->state(), State::kCloseWait);
}

// Fifth check in FIN-WAIT-1 and LAST-ACK: only an ACK past the FIN's
// sequence number acknowledges the FIN.
TEST(SegmentArrives, AnAckOfTheDataBeforeTheFinDoesNotEndFinWait1) {
  PeerHarness h;
  const Passive p = open_passive(h, 1000);
  ASSERT_EQ(p.ep->write(bytes(10)).value_or(0), 10u);
  EXPECT_EQ(h.out().payload.size(), 10u);
  p.ep->shutdown(ShutdownHow::kWrite);
  const Seg fin = h.out();
  ASSERT_EQ(fin.flags & kFin, kFin);
  EXPECT_EQ(fin.seq, p.iss + 11);
  EXPECT_EQ(p.ep->state(), State::kFinWait1);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = p.iss + 11});
  EXPECT_EQ(p.ep->state(), State::kFinWait1);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = p.iss + 12});
  EXPECT_EQ(p.ep->state(), State::kFinWait2);
}

TEST(SegmentArrives, AnAckOfTheDataBeforeTheFinDoesNotEndLastAck) {
  PeerHarness h;
  const Passive p = open_passive(h, 1000);
  h.in(Seg{.flags = kFin | kAck, .seq = 1001, .ack = p.iss + 1});
  ASSERT_EQ(p.ep->state(), State::kCloseWait);
  ASSERT_EQ(p.ep->write(bytes(10)).value_or(0), 10u);
  const Seg data = h.out();  // carries the ACK of the FIN (Linux delays it)
  EXPECT_EQ(data.payload.size(), 10u);
  EXPECT_EQ(data.ack, 1002u);
  p.ep->shutdown(ShutdownHow::kWrite);
  while (h.pending_out() > 0) h.out();
  EXPECT_EQ(p.ep->state(), State::kLastAck);
  h.in(Seg{.flags = kAck, .seq = 1002, .ack = p.iss + 11});
  EXPECT_EQ(p.ep->state(), State::kLastAck);
  h.in(Seg{.flags = kAck, .seq = 1002, .ack = p.iss + 12});
  EXPECT_EQ(p.ep->state(), State::kClosed);
}

// RFC 6298 5.3 (Linux tcp_rearm_rto()): an ACK of new data restarts the
// retransmission timer for what is still outstanding.
TEST(SegmentArrives, AnAckOfNewDataRestartsTheRetransmissionTimer) {
  PeerHarness h;
  const Passive p = open_passive(h, 1000);  // no SACK: no loss probes
  ASSERT_EQ(p.ep->set_option(SockOpt::kNoDelay, 1), 0);
  ASSERT_EQ(p.ep->write(bytes(100)).value_or(0), 100u);
  ASSERT_EQ(p.ep->write(bytes(100)).value_or(0), 100u);
  EXPECT_EQ(h.out().seq, p.iss + 1);
  EXPECT_EQ(h.out().seq, p.iss + 101);
  const Duration first_rto = p.ep->info().rto;
  h.advance(first_rto / 2);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = p.iss + 101});
  const Duration rto = p.ep->info().rto;
  ASSERT_GT(rto, first_rto / 2);
  h.advance(rto - 1ms);
  h.out_nothing();
  h.advance(1ms);
  const Seg again = h.out();
  EXPECT_EQ(again.seq, p.iss + 101);
  EXPECT_EQ(again.payload.size(), 100u);
}

// RFC 6298 5.5-5.7 and Linux tcp_ack_update_rtt(): the backoff doubled by a
// timeout ends with the next valid RTT measurement, here the timestamp an
// ACK of the retransmission echoes.
TEST(SegmentArrives, AnAckEchoingTheRetransmissionEndsTheBackoff) {
  PeerHarness h;
  Endpoint& ep = h.establish_passive(
      1000, header::TcpOptions{.mss = 1460, .timestamps = header::Timestamps{100, 0}});
  const uint32_t iss = h.our_iss;
  ASSERT_EQ(ep.write(bytes(100)).value_or(0), 100u);
  EXPECT_EQ(h.out().seq, iss + 1);
  h.advance(ep.info().rto);
  const Seg again = h.out();
  EXPECT_EQ(again.seq, iss + 1);
  ASSERT_TRUE(again.options.timestamps.has_value());
  EXPECT_EQ(ep.info().backoff, 1u);
  h.advance(10ms);
  h.in(Seg{.flags = kAck,
           .seq = 1001,
           .ack = iss + 101,
           .options = {.timestamps = header::Timestamps{200, again.options.timestamps->value}}});
  EXPECT_EQ(ep.info().backoff, 0u);
}

// Karn: without timestamps an ACK of retransmitted data times nothing, so
// the backed-off RTO stays for the next data (Linux: icsk_backoff is reset
// only in tcp_ack_update_rtt() with a valid sample).
TEST(SegmentArrives, AnAckOfARetransmissionWithoutTimestampsKeepsTheBackoff) {
  PeerHarness h;
  Endpoint& ep = h.establish_passive(1000, header::TcpOptions{.mss = 1460});
  const uint32_t iss = h.our_iss;
  ASSERT_EQ(ep.write(bytes(100)).value_or(0), 100u);
  h.out();
  h.advance(ep.info().rto);
  EXPECT_EQ(h.out().seq, iss + 1);
  ASSERT_EQ(ep.info().backoff, 1u);
  h.advance(10ms);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 101});
  EXPECT_EQ(ep.info().backoff, 1u);
  // Fresh data, acknowledged on time, gives a valid sample.
  ASSERT_EQ(ep.write(bytes(100)).value_or(0), 100u);
  h.out();
  h.advance(10ms);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 201});
  EXPECT_EQ(ep.info().backoff, 0u);
}

}  // namespace
}  // namespace netstack::tcp::testing
