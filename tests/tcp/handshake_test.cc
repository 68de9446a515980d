// Handshake behaviour, asserted on the exact segments exchanged.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

TEST(Handshake, ActiveOpenSendsLinuxSynOptionsAndCompletesOnSynAck) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  EXPECT_EQ(syn.flags, kSyn);
  EXPECT_EQ(syn.options.mss, 1460);  // MTU 1500 - 40
  EXPECT_TRUE(syn.options.sack_permitted);
  ASSERT_TRUE(syn.options.timestamps.has_value());
  EXPECT_EQ(syn.options.timestamps->echo_reply, 0u);
  EXPECT_EQ(syn.options.window_scale, 7);  // ilog2(6 MiB tcp_rmem[2]) - 15
  EXPECT_EQ(syn.win, 64240);               // 44 * 1460, Linux's initial window
  EXPECT_EQ(ep.state(), State::kSynSent);

  h.in(Seg{.flags = kSyn | kAck,
           .seq = 5000,
           .ack = syn.seq + 1,
           .win = 10000,
           .options = {.mss = 1400,
                       .window_scale = 2,
                       .sack_permitted = true,
                       .timestamps = header::Timestamps{77, syn.options.timestamps->value}}});
  const Seg ack = h.out();
  EXPECT_EQ(ack.flags, kAck);
  EXPECT_EQ(ack.seq, syn.seq + 1);
  EXPECT_EQ(ack.ack, 5001u);
  ASSERT_TRUE(ack.options.timestamps.has_value());
  EXPECT_EQ(ack.options.timestamps->echo_reply, 77u);
  EXPECT_EQ(ep.state(), State::kEstablished);
  const TcpInfo info = ep.info();
  EXPECT_EQ(info.snd_mss, 1400u - 12u);  // peer MSS less the timestamp option
  EXPECT_EQ(info.snd_wnd, 10000u);       // the SYN-ACK's window is never scaled
  EXPECT_TRUE(info.sack);
  EXPECT_EQ(info.snd_wscale, 2);
  EXPECT_NE(ep.poll() & poll_event::kOut, 0u);
  h.out_nothing();
}

// Linux tcp_bound_to_half_wnd(): a peer whose largest window is under two
// segments gets segments of half of it; the MSS grows back with the window.
TEST(Handshake, MssIsBoundToHalfThePeersLargestWindow) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  h.in(Seg{.flags = kSyn | kAck,
           .seq = 5000,
           .ack = syn.seq + 1,
           .win = 1000,
           .options = {.mss = 1460}});
  h.out();
  EXPECT_EQ(ep.info().snd_mss, 500u);
  h.in(Seg{.flags = kAck, .seq = 5001, .ack = syn.seq + 1, .win = 2400});
  EXPECT_EQ(ep.info().snd_mss, 1200u);
  h.in(Seg{.flags = kAck, .seq = 5001, .ack = syn.seq + 1, .win = 400});
  EXPECT_EQ(ep.info().snd_mss, 1200u);  // the largest window seen counts
  h.in(Seg{.flags = kAck, .seq = 5001, .ack = syn.seq + 1, .win = 60000});
  EXPECT_EQ(ep.info().snd_mss, 1460u);
}

// Found against Linux over a TUN device: with the peer's ISN in the upper
// half of the sequence space, the window the SYN offered was measured from
// sequence 0, so the first ACK advertised the largest scaled window
// (65535 << 7) and the peer overran the receive buffer.
TEST(Handshake, FirstAckWindowIsTheSynWindowWhateverThePeerIsn) {
  for (const uint32_t peer_iss : {5000u, 0x90000000u, 0xfffffff0u}) {
    PeerHarness h;
    h.connect();
    const Seg syn = h.out();
    h.in(Seg{.flags = kSyn | kAck,
             .seq = peer_iss,
             .ack = syn.seq + 1,
             .options = {.mss = 1460, .window_scale = 7, .sack_permitted = true}});
    const Seg ack = h.out();
    EXPECT_EQ(ack.ack, peer_iss + 1);
    // 64240 rounded up to the 128-byte unit of scale 7 (Linux tcp_select_window()).
    EXPECT_EQ(ack.win, 502) << "peer ISN " << peer_iss;
  }
}

TEST(Handshake, PassiveOpenEchoesOnlyWhatThePeerOffered) {
  PeerHarness h;
  h.listen();
  h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1200}});
  const Seg synack = h.out();
  EXPECT_EQ(synack.flags, kSyn | kAck);
  EXPECT_EQ(synack.ack, 1001u);
  EXPECT_EQ(synack.options.mss, 1460);
  EXPECT_FALSE(synack.options.sack_permitted);  // Linux: only if the peer offered it
  EXPECT_FALSE(synack.options.timestamps.has_value());
  EXPECT_FALSE(synack.options.window_scale.has_value());
}

TEST(Handshake, PassiveOpenKeepsDataOnTheFinalAck) {
  PeerHarness h;
  const EndpointId l = h.listen();
  h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
  const Seg synack = h.out();
  h.in(Seg{.flags = kAck | kPsh, .seq = 1001, .ack = synack.seq + 1, .payload = {'h', 'i'}});
  auto id = h.tcp.find(l)->accept();
  ASSERT_TRUE(id.has_value());
  Endpoint& ep = *h.tcp.find(*id);
  std::array<uint8_t, 8> buf{};
  auto n = ep.read(buf);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 2u);
  EXPECT_EQ(buf[0], 'h');
}

TEST(Handshake, SynRetransmissionsAreLinearThenExponentialThenTimeOut) {
  Config c;
  c.syn_retries = 2;
  PeerHarness h(c);
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  // Linux 6.x tcp_syn_linear_timeouts=4: retransmissions 1 s apart at 1, 2,
  // 3, 4 and 5 s (more than tcp_syn_retries, which counts beyond the linear
  // ones), then the RTO doubles; the connect gives up when the time two
  // doubling retransmissions would take (7 s, tcp_model_timeout()) is over.
  for (int second = 1; second <= 5; ++second) {
    h.advance(999ms);
    h.out_nothing();
    h.advance(1ms);
    EXPECT_EQ(h.out().seq, syn.seq) << "retransmission at " << second << " s";
  }
  h.advance(1999ms);
  h.out_nothing();
  EXPECT_EQ(ep.state(), State::kSynSent);
  h.advance(1ms);
  h.out_nothing();  // at 7 s: no SYN, the connect failed
  EXPECT_EQ(ep.state(), State::kClosed);
  EXPECT_EQ(ep.get_option(SockOpt::kError).value(), ETIMEDOUT);
}

TEST(Handshake, RstAckingOurSynRefusesTheConnection) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  h.in(Seg{.flags = kRst | kAck, .seq = 0, .ack = syn.seq + 1});
  EXPECT_EQ(ep.state(), State::kClosed);
  EXPECT_EQ(ep.get_option(SockOpt::kError).value(), ECONNREFUSED);
  h.out_nothing();
}

TEST(Handshake, RstNotAckingOurSynIsIgnored) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  h.in(Seg{.flags = kRst | kAck, .seq = 0, .ack = syn.seq + 7});
  EXPECT_EQ(ep.state(), State::kSynSent);
  h.out_nothing();
}

TEST(Handshake, UnacceptableAckInSynSentDrawsRst) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  h.in(Seg{.flags = kSyn | kAck, .seq = 5000, .ack = syn.seq + 100});
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst);
  EXPECT_EQ(rst.seq, syn.seq + 100);  // <SEQ=SEG.ACK><CTL=RST>
  EXPECT_EQ(ep.state(), State::kSynSent);
}

TEST(Handshake, SimultaneousOpenGoesThroughSynReceived) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  h.in(Seg{.flags = kSyn, .seq = 9000, .options = {.mss = 1460}});
  EXPECT_EQ(ep.state(), State::kSynRcvd);
  const Seg synack = h.out();
  EXPECT_EQ(synack.flags, kSyn | kAck);
  EXPECT_EQ(synack.seq, syn.seq);
  EXPECT_EQ(synack.ack, 9001u);
  h.in(Seg{.flags = kSyn | kAck, .seq = 9000, .ack = syn.seq + 1});
  // The peer's SYN-ACK repeats its SYN (seq 9000 = irs): the retransmitted
  // SYN rule does not apply because ACK is set, so the ACK completes it.
  EXPECT_EQ(ep.state(), State::kEstablished);
}

// Linux (google/packetdrill fastopen/client/simultaneous-fast-open.pkt):
// SYN data crossing the peer's SYN is not retried; the peer's SYN-ACK that
// acks it establishes, its SYN is a duplicate (D-SACK, ACK at once), and
// an ACK just below SND.UNA is old, not too old, so its data is taken.
TEST(Handshake, SimultaneousOpenAfterSynDataAcksTheDataOnce) {
  Config c;
  c.fastopen = Config::kFastOpenClient | Config::kFastOpenClientNoCookie;
  PeerHarness h(c);
  Endpoint& ep = h.connect_with_syn_data(1000);
  const Seg syn = h.out();
  ASSERT_EQ(syn.payload.size(), 1000u);
  h.in(Seg{.flags = kSyn, .seq = 9000, .options = {.mss = 1460, .sack_permitted = true}});
  const Seg synack = h.out();
  EXPECT_EQ(synack.flags, kSyn | kAck);
  EXPECT_TRUE(synack.payload.empty());
  h.in(Seg{.flags = kSyn | kAck, .seq = 9000, .ack = syn.seq + 1001});
  EXPECT_EQ(ep.state(), State::kEstablished);
  const Seg dup_ack = h.out();
  EXPECT_EQ(dup_ack.seq, syn.seq + 1001);
  EXPECT_EQ(dup_ack.ack, 9001u);
  ASSERT_EQ(dup_ack.options.sack_block_count, 1u);
  EXPECT_EQ(dup_ack.options.sack_blocks[0], (header::SackBlock{9000, 9001}));
  h.in(Seg{.flags = kAck | kPsh, .seq = 9001, .ack = syn.seq + 1000, .payload = {1, 2, 3}});
  EXPECT_EQ(h.out().ack, 9004u);
  h.out_nothing();  // the SYN data is not sent again
}

// Linux tcp_rcv_synsent_state_process() (PAWSACTIVEREJECTED): a SYN-ACK
// echoing a TSval our SYN cannot have carried is answered with a RST.
TEST(Handshake, SynAckEchoingATsvalNeverSentDrawsRst) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  ASSERT_TRUE(syn.options.timestamps.has_value());
  const uint32_t tsval = syn.options.timestamps->value;
  header::TcpOptions bad{.mss = 1460};
  bad.timestamps = header::Timestamps{500, tsval - 1};
  h.in(Seg{.flags = kSyn | kAck, .seq = 5000, .ack = syn.seq + 1, .options = bad});
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst);
  EXPECT_EQ(rst.seq, syn.seq + 1);
  EXPECT_EQ(ep.state(), State::kSynSent);
  header::TcpOptions good{.mss = 1460};
  good.timestamps = header::Timestamps{500, tsval};
  h.in(Seg{.flags = kSyn | kAck, .seq = 5000, .ack = syn.seq + 1, .options = good});
  EXPECT_EQ(ep.state(), State::kEstablished);
}

TEST(Handshake, UnacceptableAckInSynReceivedDrawsRstAndKeepsState) {
  PeerHarness h;
  h.listen();
  h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
  const Seg synack = h.out();
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = synack.seq + 50});
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst);
  EXPECT_EQ(rst.seq, synack.seq + 50);
  // The real ACK still completes the handshake.
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = synack.seq + 1});
  h.out_nothing();
  EXPECT_EQ(h.tcp.stats().established, 1u);
}

// Linux tcp_check_req() takes a SYN-ACK at the peer's ISN that carries data
// as the handshake's ACK: the child it makes is queued for accept() but,
// seeing the SYN bit, stays in SYN-RECEIVED with nothing to retransmit.
TEST(Handshake, SynAckAtPeerIsnMakesAChildThatWaitsInSynReceived) {
  PeerHarness h;
  Endpoint& lep = *h.tcp.find(h.listen());
  h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
  const Seg synack = h.out();
  h.in(Seg{.flags = kSyn | kAck | kFin,
           .seq = 1000,
           .ack = synack.seq + 1,
           .payload = std::vector<uint8_t>(10, 'x')});
  const Seg challenge = h.out();
  EXPECT_EQ(challenge.flags, kAck);
  EXPECT_EQ(challenge.ack, 1001u);  // data and FIN dropped
  const auto child_id = lep.accept();
  ASSERT_TRUE(child_id.has_value());
  Endpoint& child = *h.tcp.find(*child_id);
  EXPECT_EQ(child.state(), State::kSynRcvd);
  EXPECT_EQ(h.tcp.stats().established, 0u);
  h.advance(60s);
  h.out_nothing();  // no SYN-ACK retransmission
  // In SYN-RECEIVED an ACK of nothing sent draws a RST, and the ACK of the
  // SYN-ACK establishes.
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = synack.seq + 50});
  EXPECT_EQ(h.out().flags, kRst);
  EXPECT_EQ(child.state(), State::kSynRcvd);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = synack.seq + 1});
  EXPECT_EQ(child.state(), State::kEstablished);
}

TEST(Handshake, OutOfWindowSegmentInSynReceivedIsAckedAndDropped) {
  PeerHarness h;
  h.listen();
  h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
  const Seg synack = h.out();
  h.in(Seg{.flags = kAck, .seq = 1001 + 100000, .ack = synack.seq + 1});
  const Seg ack = h.out();
  EXPECT_EQ(ack.flags, kAck);
  EXPECT_EQ(ack.ack, 1001u);
  EXPECT_EQ(h.tcp.stats().established, 0u);
}

TEST(Handshake, SecondSynWithAnotherSequenceNumberIsReset) {
  PeerHarness h;
  h.listen();
  h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
  h.out();
  h.in(Seg{.flags = kSyn, .seq = 1010, .options = {.mss = 1460}});
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst | kAck);
  EXPECT_EQ(rst.ack, 1011u);
  EXPECT_EQ(h.tcp.stats().established, 0u);
}

TEST(Handshake, SynAckIsRetransmittedAndTheChildExpiresSilently) {
  Config c;
  c.synack_retries = 2;
  PeerHarness h(c);
  h.listen();
  h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
  const Seg first = h.out();
  h.advance(1s);
  EXPECT_EQ(h.out().seq, first.seq);
  h.advance(2s);
  EXPECT_EQ(h.out().flags, kSyn | kAck);
  h.advance(4s);
  h.out_nothing();
  h.tcp.reap();
  EXPECT_EQ(h.tcp.endpoint_count(), 1u);  // only the listener
}

TEST(Handshake, DeferAcceptDropsBareAckUntilDataArrives) {
  PeerHarness h;
  const EndpointId l = h.tcp.open(IpAddress::Family::kV4);
  Endpoint& lep = *h.tcp.find(l);
  ASSERT_EQ(lep.set_option(SockOpt::kDeferAccept, 5), 0);
  ASSERT_EQ(lep.bind(h.local, PeerHarness::kLocalPort), 0);
  ASSERT_EQ(lep.listen(8), 0);
  h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
  const Seg synack = h.out();
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = synack.seq + 1});
  EXPECT_FALSE(lep.accept().has_value());
  h.in(Seg{.flags = kAck | kPsh, .seq = 1001, .ack = synack.seq + 1, .payload = {'x'}});
  EXPECT_TRUE(lep.accept().has_value());
}

TEST(Handshake, IsnDependsOnTupleAndAdvancesWithTheClock) {
  PeerHarness a(Config{}, 1);
  Endpoint& ep = a.connect();
  (void)ep;
  const uint32_t first = a.out().seq;
  PeerHarness b(Config{}, 1);
  b.clock.advance(1s);
  b.connect();
  const uint32_t later = b.out().seq;
  // RFC 6528: same key and tuple, 1 s later: 10^9/64 ticks further.
  EXPECT_EQ(later - first, 15625000u);
  PeerHarness c(Config{}, 2);
  c.connect();
  EXPECT_NE(c.out().seq, first);  // another key
}

}  // namespace
}  // namespace netstack::tcp::testing

namespace netstack::tcp::testing {
namespace {

TEST(Handshake, PeerWithoutMssOptionGets536) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  h.in(Seg{.flags = kSyn | kAck, .seq = 5000, .ack = syn.seq + 1});
  EXPECT_EQ(h.out().flags, kAck);
  EXPECT_EQ(ep.info().snd_mss, 536u);  // RFC 9293 3.7.1
  ASSERT_EQ(ep.write(std::vector<uint8_t>(1000, 1)).value(), 1000u);
  EXPECT_EQ(h.out().payload.size(), 536u);
}

TEST(Handshake, DeferAcceptCompletesOnABareAckAfterThePeriod) {
  PeerHarness h;
  const EndpointId l = h.tcp.open(IpAddress::Family::kV4);
  Endpoint& lep = *h.tcp.find(l);
  ASSERT_EQ(lep.set_option(SockOpt::kDeferAccept, 2), 0);
  ASSERT_EQ(lep.bind(h.local, PeerHarness::kLocalPort), 0);
  ASSERT_EQ(lep.listen(8), 0);
  h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
  const Seg synack = h.out();
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = synack.seq + 1});
  EXPECT_FALSE(lep.accept().has_value());
  h.advance(2s);
  while (h.pending_out() > 0) EXPECT_EQ(h.out().flags, kSyn | kAck);  // still retransmitting
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = synack.seq + 1});
  EXPECT_TRUE(lep.accept().has_value());
}

}  // namespace
}  // namespace netstack::tcp::testing
