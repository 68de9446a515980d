// ICMP errors other than "packet too big", as Linux's tcp_v4_err() handles
// them (stack/tcp/icmp_errors.cc): an opening connection dies, an open one
// notes a soft error it reports only on timeout, a passive request is
// dropped, and quotes of what is not in flight are counted and ignored.
#include <cerrno>

#include "stack/header/icmp.h"
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

namespace v4 = header::icmpv4;

TEST(IcmpErrors, HostUnreachableEndsAConnectInSynSent) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  h.icmp_error(v4::kDestUnreachable, v4::kHostUnreachable, syn.seq, 0, ep.tuple().local_port);
  EXPECT_EQ(ep.state(), State::kClosed);
  EXPECT_EQ(ep.get_option(SockOpt::kError).value(), EHOSTUNREACH);
  h.out_nothing();  // no RST
}

TEST(IcmpErrors, EvenASoftCodeEndsAConnectInSynSent) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  h.icmp_error(v4::kTimeExceeded, 0, syn.seq, 0, ep.tuple().local_port);
  EXPECT_EQ(ep.state(), State::kClosed);
  EXPECT_EQ(ep.get_option(SockOpt::kError).value(), EHOSTUNREACH);
}

TEST(IcmpErrors, AQuoteOutsideTheSynIsCountedAndIgnored) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  h.icmp_error(v4::kDestUnreachable, v4::kHostUnreachable, syn.seq + 5000, 0,
               ep.tuple().local_port);
  EXPECT_EQ(ep.state(), State::kSynSent);
  EXPECT_EQ(h.tcp.stats().icmp_out_of_window, 1u);
}

TEST(IcmpErrors, RedirectAndSourceQuenchAreNotActedOn) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  h.icmp_error(v4::kRedirect, 1, syn.seq, 0, ep.tuple().local_port);
  h.icmp_error(v4::kSourceQuench, 0, syn.seq, 0, ep.tuple().local_port);
  EXPECT_EQ(ep.state(), State::kSynSent);
  EXPECT_EQ(h.tcp.stats().icmp_unused, 2u);
}

struct IcmpEstablished : EstablishedFixture {};

TEST_F(IcmpEstablished, AnOpenConnectionKeepsGoingAndReportsTheErrorOnTimeout) {
  ASSERT_EQ(ep->set_option(SockOpt::kUserTimeout, 1000), 0);
  ASSERT_EQ(ep->write(std::vector<uint8_t>(100, 1)).value(), 100u);
  h.out();
  h.icmp_error(v4::kDestUnreachable, v4::kNetUnreachable, iss + 1);
  EXPECT_EQ(ep->state(), State::kEstablished);
  EXPECT_EQ(ep->get_option(SockOpt::kError).value(), 0);  // soft: not SO_ERROR
  EXPECT_EQ(h.tcp.stats().icmp_soft_errors, 1u);
  h.advance(std::chrono::seconds(5));
  EXPECT_EQ(ep->state(), State::kClosed);
  // Linux tcp_write_err(): the soft error instead of ETIMEDOUT.
  EXPECT_EQ(ep->get_option(SockOpt::kError).value(), ENETUNREACH);
}

TEST_F(IcmpEstablished, AnAcceptableAckForgetsTheSoftError) {
  ASSERT_EQ(ep->set_option(SockOpt::kUserTimeout, 1000), 0);
  ASSERT_EQ(ep->write(std::vector<uint8_t>(100, 1)).value(), 100u);
  h.out();
  h.icmp_error(v4::kDestUnreachable, v4::kNetUnreachable, iss + 1);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 101});
  ASSERT_EQ(ep->write(std::vector<uint8_t>(100, 1)).value(), 100u);
  h.out();
  h.advance(std::chrono::seconds(5));
  EXPECT_EQ(ep->state(), State::kClosed);
  EXPECT_EQ(ep->get_option(SockOpt::kError).value(), ETIMEDOUT);
}

TEST(IcmpErrors, HostUnreachableQuotingTheSynAckDropsAPassiveRequest) {
  PeerHarness h;
  h.listen();
  h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
  const Seg synack = h.out();
  // A quote of another sequence number is out of window (Linux tcp_req_err()).
  h.icmp_error(v4::kDestUnreachable, v4::kHostUnreachable, synack.seq + 1);
  EXPECT_EQ(h.tcp.stats().icmp_out_of_window, 1u);
  // Port unreachable is not among the errors that drop a request.
  h.icmp_error(v4::kDestUnreachable, 3, synack.seq);
  EXPECT_EQ(h.tcp.stats().icmp_request_drops, 0u);
  h.icmp_error(v4::kDestUnreachable, v4::kHostUnreachable, synack.seq);
  EXPECT_EQ(h.tcp.stats().icmp_request_drops, 1u);
  // The request is gone: the handshake's ACK meets the listener, which resets.
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = synack.seq + 1});
  EXPECT_TRUE((h.out().flags & kRst) != 0);
}

TEST(IcmpErrors, FragmentationNeededInSynSentResendsFastOpenDataAsAPlainSyn) {
  Config c;
  c.fastopen = Config::kFastOpenClient | Config::kFastOpenClientNoCookie;
  PeerHarness h(c);
  Endpoint& ep = h.connect_with_syn_data(1000);
  const Seg syn = h.out();
  ASSERT_EQ(syn.payload.size(), 1000u);
  h.icmp_error(v4::kDestUnreachable, v4::kFragmentationNeeded, syn.seq, 800);
  // Linux tcp_simple_retransmit(): the SYN goes again at once, without the
  // data, offering the MSS of the smaller path MTU.
  const Seg again = h.out();
  EXPECT_EQ(again.flags, kSyn);
  EXPECT_TRUE(again.payload.empty());
  EXPECT_EQ(again.options.mss, std::optional<uint16_t>(760));
  EXPECT_EQ(ep.state(), State::kSynSent);
}

}  // namespace
}  // namespace netstack::tcp::testing
