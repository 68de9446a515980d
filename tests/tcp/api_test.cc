// The socket-like API's error paths, each with Linux's errno.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

Endpoint& fresh(PeerHarness& h) {
  return *h.tcp.find(h.tcp.open(IpAddress::Family::kV4));
}

TEST(Api, ReadOnANeverConnectedSocketIsEnotconnAndWriteIsEpipe) {
  PeerHarness h;
  Endpoint& ep = fresh(h);
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(ep.read(buf).error(), ENOTCONN);
  // Linux sk_stream_wait_connect(): EPIPE (packetdrill zerocopy/closed.pkt).
  EXPECT_EQ(ep.write(buf).error(), EPIPE);
}

TEST(Api, ReadAfterAResetReportsTheErrorOnceThenEndOfStream) {
  PeerHarness h;
  Endpoint& ep = h.establish_passive();
  h.in(Seg{.flags = kRst, .seq = 1001});
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(ep.read(buf).error(), ECONNRESET);
  EXPECT_EQ(ep.read(buf).value(), 0u);
  EXPECT_EQ(ep.write(buf).error(), EPIPE);
}

TEST(Api, ConnectStates) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  EXPECT_EQ(ep.connect(h.remote, 1), EALREADY);
  const Seg syn = h.out();
  h.in(Seg{.flags = kSyn | kAck, .seq = 1, .ack = syn.seq + 1});
  // Linux __inet_stream_connect(): the socket layer still says "connecting"
  // until a connect() call sees the handshake done.
  EXPECT_EQ(ep.connect(h.remote, 1), 0);
  EXPECT_EQ(ep.connect(h.remote, 1), EISCONN);
  Endpoint& other = fresh(h);
  EXPECT_EQ(other.connect(h.remote, 0), ECONNREFUSED);
  EXPECT_EQ(other.connect(*IpAddress::parse("::1"), 80), EAFNOSUPPORT);
}

TEST(Api, ConnectAfterARefusalReportsTheErrorOnceThenConnectsAnew) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  h.in(Seg{.flags = kRst | kAck, .seq = 0, .ack = syn.seq + 1});
  using namespace poll_event;
  // Linux tcp_done() shut both directions: every bit.
  EXPECT_EQ(ep.poll(), kIn | kRdNorm | kRdHup | kOut | kWrNorm | kErr | kHup);
  EXPECT_EQ(ep.connect(h.remote, 1), ECONNREFUSED);
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(ep.read(buf).error(), ENOTCONN);  // tcp_disconnect(): never connected
  EXPECT_EQ(ep.connect(h.remote, 1), EINPROGRESS);
  EXPECT_EQ(h.out().flags, kSyn);
}

TEST(Api, AFreshSocketPollsWritableAndHungUp) {
  PeerHarness h;
  // Linux tcp_poll(): CLOSE is EPOLLHUP, and not SYN-SENT, so writable.
  EXPECT_EQ(fresh(h).poll(), poll_event::kOut | poll_event::kWrNorm | poll_event::kHup);
}

TEST(Api, SynCountOptionReplacesTheSysctl) {
  PeerHarness h;
  Endpoint& ep = fresh(h);
  EXPECT_EQ(ep.get_option(SockOpt::kSynCnt).value(), 6);  // tcp_syn_retries
  EXPECT_EQ(ep.set_option(SockOpt::kSynCnt, 0), EINVAL);
  EXPECT_EQ(ep.set_option(SockOpt::kSynCnt, 128), EINVAL);  // Linux MAX_TCP_SYNCNT 127
  ASSERT_EQ(ep.set_option(SockOpt::kSynCnt, 1), 0);
  EXPECT_EQ(ep.get_option(SockOpt::kSynCnt).value(), 1);
}

TEST(Api, WriteBeforeTheHandshakeCompletesIsEagain) {
  PeerHarness h;
  Endpoint& ep = h.connect();
  EXPECT_EQ(ep.write(std::vector<uint8_t>{1}).error(), EAGAIN);
  EXPECT_EQ(ep.poll() & poll_event::kOut, 0u);
}

TEST(Api, ListenAndAcceptErrors) {
  PeerHarness h;
  Endpoint& ep = fresh(h);
  EXPECT_EQ(ep.accept().error(), EINVAL);  // not listening
  ASSERT_EQ(ep.listen(4), 0);              // autobinds an ephemeral port
  EXPECT_GE(ep.tuple().local_port, 32768);
  EXPECT_EQ(ep.accept().error(), EAGAIN);
  EXPECT_EQ(ep.connect(h.remote, 1), EISCONN);
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(ep.read(buf).error(), ENOTCONN);
}

TEST(Api, ShutdownOnAnUnconnectedSocketIsEnotconn) {
  PeerHarness h;
  EXPECT_EQ(fresh(h).shutdown(ShutdownHow::kBoth), ENOTCONN);
}

TEST(Api, OptionLimitsAreLinuxs) {
  PeerHarness h;
  Endpoint& ep = fresh(h);
  EXPECT_EQ(ep.set_option(SockOpt::kKeepIdle, 0), EINVAL);
  EXPECT_EQ(ep.set_option(SockOpt::kKeepIdle, 32768), EINVAL);
  EXPECT_EQ(ep.set_option(SockOpt::kKeepIntvl, 0), EINVAL);
  EXPECT_EQ(ep.set_option(SockOpt::kKeepCnt, 128), EINVAL);
  EXPECT_EQ(ep.set_option(SockOpt::kUserTimeout, -1), EINVAL);
  EXPECT_EQ(ep.set_option(SockOpt::kMaxSeg, 87), EINVAL);  // below TCP_MIN_MSS
  EXPECT_EQ(ep.set_option(SockOpt::kMaxSeg, 88), 0);
  EXPECT_EQ(ep.set_option(SockOpt::kError, 1), ENOPROTOOPT);
  // Linux doubles SO_RCVBUF/SO_SNDBUF and reports the doubled value.
  ASSERT_EQ(ep.set_option(SockOpt::kRcvBuf, 10000), 0);
  EXPECT_EQ(ep.get_option(SockOpt::kRcvBuf).value(), 20000);
  // TCP_LINGER2: 0 means tcp_fin_timeout (60 s), values above 120 s are capped.
  ASSERT_EQ(ep.set_option(SockOpt::kLinger2, 0), 0);
  EXPECT_EQ(ep.get_option(SockOpt::kLinger2).value(), 60);
  ASSERT_EQ(ep.set_option(SockOpt::kLinger2, 500), 0);
  EXPECT_EQ(ep.get_option(SockOpt::kLinger2).value(), 120);
  ASSERT_EQ(ep.set_option(SockOpt::kLinger2, -1), 0);
  EXPECT_EQ(ep.get_option(SockOpt::kLinger2).value(), -1);
  // TCP_MAXSEG before connecting reports the user's value.
  EXPECT_EQ(ep.get_option(SockOpt::kMaxSeg).value(), 88);
}

TEST(Api, MaxSegLowersTheAdvertisedMss) {
  PeerHarness h;
  Endpoint& ep = fresh(h);
  ASSERT_EQ(ep.set_option(SockOpt::kMaxSeg, 1000), 0);
  ASSERT_EQ(ep.bind(h.local, 0), 0);
  ASSERT_EQ(ep.connect(h.remote, 1), EINPROGRESS);
  EXPECT_EQ(h.out().options.mss, 1000);
}

TEST(Api, PeekLeavesDataInPlace) {
  PeerHarness h;
  Endpoint& ep = h.establish_passive();
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = h.our_iss + 1, .payload = {4, 5}});
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(ep.read(buf, /*peek=*/true).value(), 2u);
  EXPECT_EQ(ep.read(buf).value(), 2u);
  EXPECT_EQ(ep.read(buf).error(), EAGAIN);
}

}  // namespace
}  // namespace netstack::tcp::testing

namespace netstack::tcp::testing {
namespace {

TEST(Api, PollReportsErrorAndHangupAfterAReset) {
  PeerHarness h;
  Endpoint& ep = h.establish_passive();
  using namespace poll_event;
  EXPECT_EQ(ep.poll(), kOut | kWrNorm);
  h.in(Seg{.flags = kRst, .seq = 1001});
  EXPECT_EQ(ep.poll() & (kErr | kHup), kErr | kHup);
  EXPECT_EQ(ep.get_option(SockOpt::kError).value(), ECONNRESET);
  EXPECT_EQ(ep.poll() & kErr, 0u);  // SO_ERROR cleared it
}

TEST(Api, PollOnAListenerIsReadableWhenAConnectionWaits) {
  PeerHarness h;
  Endpoint& l = *h.tcp.find(h.listen());
  EXPECT_EQ(l.poll(), 0u);
  h.in(Seg{.flags = kSyn, .seq = 1, .options = {.mss = 1460}});
  const Seg synack = h.out();
  h.in(Seg{.flags = kAck, .seq = 2, .ack = synack.seq + 1});
  EXPECT_NE(l.poll() & poll_event::kIn, 0u);
}

}  // namespace
}  // namespace netstack::tcp::testing
