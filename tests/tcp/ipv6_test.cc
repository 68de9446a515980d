// The same machinery over IPv6: handshake, data, close.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

TEST(Ipv6, ActiveOpenAdvertisesMtuMinus60) {
  PeerHarness h(Config{}, 7, IpAddress::Family::kV6);
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  EXPECT_EQ(syn.options.mss, 1440);  // 1500 - 40 (IPv6) - 20 (TCP)
  h.in(Seg{.flags = kSyn | kAck, .seq = 5000, .ack = syn.seq + 1, .options = {.mss = 1440}});
  EXPECT_EQ(h.out().ack, 5001u);
  EXPECT_EQ(ep.state(), State::kEstablished);
}

TEST(Ipv6, PassiveOpenDataAndClose) {
  PeerHarness h(Config{}, 7, IpAddress::Family::kV6);
  Endpoint& ep = h.establish_passive(1000);
  h.in(Seg{.flags = kAck | kPsh, .seq = 1001, .ack = h.our_iss + 1, .payload = {1, 2}});
  EXPECT_EQ(h.out().ack, 1003u);
  ASSERT_EQ(ep.write(std::vector<uint8_t>{9}).value(), 1u);
  EXPECT_EQ(h.out().payload, std::vector<uint8_t>{9});
  ep.shutdown(ShutdownHow::kWrite);
  EXPECT_EQ(h.out().flags, kFin | kAck);
}

TEST(Ipv6, SegmentToAClosedPortDrawsRst) {
  PeerHarness h(Config{}, 7, IpAddress::Family::kV6);
  h.in(Seg{.flags = kSyn, .seq = 5, .dst_port = 9});
  const Seg rst = h.out();
  EXPECT_EQ(rst.flags, kRst | kAck);
  EXPECT_EQ(rst.ack, 6u);
}

TEST(Ipv6, AV4SocketCannotBindAV6Address) {
  PeerHarness h(Config{}, 7, IpAddress::Family::kV6);
  Endpoint& ep = *h.tcp.find(h.tcp.open(IpAddress::Family::kV4));
  EXPECT_EQ(ep.bind(h.local, 1), EAFNOSUPPORT);
}

}  // namespace
}  // namespace netstack::tcp::testing
