// Listener queues, SYN cookies and listener close.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

Seg syn_from(uint16_t port, uint32_t seq = 100) {
  return Seg{.flags = kSyn, .seq = seq, .options = {.mss = 1460}, .src_port = port};
}

TEST(Listener, AcceptQueueIsBoundedByBacklog) {
  PeerHarness h;
  const EndpointId l = h.listen(/*backlog=*/1);
  for (uint16_t p = 1; p <= 2; ++p) {
    h.in(syn_from(p));
    const Seg synack = h.out();
    h.in(Seg{.flags = kAck, .seq = 101, .ack = synack.seq + 1, .src_port = p});
  }
  // Linux admits backlog + 1 connections to the accept queue, then drops SYNs.
  h.in(syn_from(3));
  h.out_nothing();
  EXPECT_EQ(h.tcp.stats().established, 2u);
  EXPECT_EQ(h.tcp.stats().listen_overflows, 1u);
  EXPECT_TRUE(h.tcp.find(l)->accept().has_value());
  EXPECT_TRUE(h.tcp.find(l)->accept().has_value());
  EXPECT_EQ(h.tcp.find(l)->accept().error(), EAGAIN);
}

TEST(Listener, SynCookiesWhenTheSynQueueIsFullAndTheCookieAckEstablishes) {
  PeerHarness h;
  const EndpointId l = h.listen(/*backlog=*/0);
  h.in(syn_from(1));
  h.out();  // a normal SYN-ACK: one embryonic connection is allowed
  h.in(syn_from(2, 7000));
  const Seg cookie = h.out();
  EXPECT_EQ(cookie.flags, kSyn | kAck);
  EXPECT_EQ(h.tcp.stats().syncookies_sent, 1u);
  EXPECT_EQ(cookie.options.mss, 1460);
  h.in(Seg{.flags = kAck, .seq = 7001, .ack = cookie.seq + 1, .src_port = 2});
  EXPECT_EQ(h.tcp.stats().syncookies_accepted, 1u);
  auto id = h.tcp.find(l)->accept();
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(h.tcp.find(*id)->state(), State::kEstablished);
}

TEST(Listener, AckWithAForgedCookieDrawsRst) {
  PeerHarness h;
  h.listen(0);
  h.in(Seg{.flags = kAck, .seq = 7001, .ack = 123456, .src_port = 2});
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst);
  EXPECT_EQ(rst.seq, 123456u);
  EXPECT_EQ(h.tcp.stats().syncookies_failed, 1u);
}

TEST(Listener, CloseResetsConnectionsWaitingToBeAccepted) {
  PeerHarness h;
  const EndpointId l = h.listen();
  h.in(syn_from(1));
  const Seg synack = h.out();
  h.in(Seg{.flags = kAck, .seq = 101, .ack = synack.seq + 1, .src_port = 1});
  h.tcp.find(l)->close();
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst | kAck);
  EXPECT_EQ(rst.dst_port, 1);
  h.tcp.reap();
  EXPECT_EQ(h.tcp.endpoint_count(), 0u);
}

TEST(Listener, RstAndBareAckToAListener) {
  PeerHarness h;
  h.listen();
  h.in(Seg{.flags = kRst, .seq = 1, .src_port = 3});
  h.out_nothing();
  h.in(Seg{.flags = kSyn | kAck, .seq = 1, .ack = 99, .src_port = 3});
  EXPECT_EQ(h.out().flags, kRst);
}

TEST(Listener, BindRules) {
  PeerHarness h;
  h.listen();
  Endpoint& other = *h.tcp.find(h.tcp.open(IpAddress::Family::kV4));
  EXPECT_EQ(other.bind(h.local, PeerHarness::kLocalPort), EADDRINUSE);
  EXPECT_EQ(other.bind(*IpAddress::parse("203.0.113.9"), 1), EADDRNOTAVAIL);
  EXPECT_EQ(other.bind(h.local, 0), 0);
  EXPECT_GE(other.tuple().local_port, 32768);
  EXPECT_LE(other.tuple().local_port, 60999);
  EXPECT_EQ(other.bind(h.local, 0), EINVAL);  // already bound
}

// Linux inet_bind_conflict(): a connection on the port lets a new socket
// bind there only when both set SO_REUSEADDR (an accepted one inherits the
// listener's); a listener on it never does.
TEST(Listener, ReuseAddrSharesThePortWithAConnectionNotAListener) {
  PeerHarness h;
  Endpoint& listener = *h.tcp.find(h.tcp.open(IpAddress::Family::kV4));
  ASSERT_EQ(listener.set_option(SockOpt::kReuseAddr, 1), 0);
  ASSERT_EQ(listener.bind(h.local, PeerHarness::kLocalPort), 0);
  ASSERT_EQ(listener.listen(4), 0);
  h.in(Seg{.flags = kSyn, .seq = 1000});
  const Seg synack = h.out();
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = synack.seq + 1});
  auto accepted_id = listener.accept();
  ASSERT_TRUE(accepted_id.has_value());
  Endpoint& accepted = *h.tcp.find(*accepted_id);
  EXPECT_EQ(accepted.get_option(SockOpt::kReuseAddr).value(), 1);
  auto new_socket = [&](bool reuse) -> Endpoint& {
    Endpoint& e = *h.tcp.find(h.tcp.open(IpAddress::Family::kV4));
    EXPECT_EQ(e.set_option(SockOpt::kReuseAddr, reuse ? 1 : 0), 0);
    return e;
  };
  EXPECT_EQ(new_socket(true).bind(h.local, PeerHarness::kLocalPort), EADDRINUSE);  // the listener
  listener.close();
  EXPECT_EQ(new_socket(false).bind(h.local, PeerHarness::kLocalPort), EADDRINUSE);
  ASSERT_EQ(accepted.set_option(SockOpt::kReuseAddr, 0), 0);
  EXPECT_EQ(new_socket(true).bind(h.local, PeerHarness::kLocalPort), EADDRINUSE);
  ASSERT_EQ(accepted.set_option(SockOpt::kReuseAddr, 1), 0);
  Endpoint& shared = new_socket(true);
  EXPECT_EQ(shared.bind(h.local, PeerHarness::kLocalPort), 0);
  EXPECT_EQ(shared.listen(4), 0);
}

}  // namespace
}  // namespace netstack::tcp::testing
