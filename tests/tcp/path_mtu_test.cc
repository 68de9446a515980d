// Path MTU discovery: an ICMP "packet too big" quoting a segment in flight
// lowers the MSS and resends what no longer fits; forged or stale quotes
// change nothing (stack/tcp/path_mtu.cc).
#include "stack/header/byte_order.h"
#include "stack/header/checksum.h"
#include "stack/header/icmp.h"
#include "stack/header/ip.h"
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

std::vector<uint8_t> bytes(size_t n) {
  return std::vector<uint8_t>(n, 0x42);
}

// An ICMP message from a router (198.51.100.1, 2001:db8::1) quoting the
// start of a segment the stack sent: ports and sequence number.
std::vector<uint8_t> packet_too_big(const PeerHarness& h, uint32_t mtu, uint32_t seq) {
  const bool v4 = h.local.is_v4();
  std::vector<uint8_t> quote(v4 ? 20 : 40);
  if (v4) {
    header::Ipv4Header q;
    q.total_length = 1500;
    q.src = h.local;
    q.dst = h.remote;
    header::write_ipv4(quote, q);
  } else {
    header::Ipv6Header q;
    q.payload_length = 1460;
    q.src = h.local;
    q.dst = h.remote;
    header::write_ipv6(quote, q);
  }
  std::array<uint8_t, 8> tcp{};
  header::store_be16(tcp.data(), PeerHarness::kLocalPort);
  header::store_be16(tcp.data() + 2, PeerHarness::kRemotePort);
  header::store_be32(tcp.data() + 4, seq);
  quote.insert(quote.end(), tcp.begin(), tcp.end());

  std::vector<uint8_t> icmp(8);
  icmp[0] = v4 ? 3 : 2;  // destination unreachable / packet too big
  icmp[1] = v4 ? 4 : 0;  // fragmentation needed and DF set
  if (v4) {
    header::store_be16(icmp.data() + 6, static_cast<uint16_t>(mtu));
  } else {
    header::store_be32(icmp.data() + 4, mtu);
  }
  icmp.insert(icmp.end(), quote.begin(), quote.end());
  const IpAddress router = *IpAddress::parse(v4 ? "198.51.100.1" : "2001:db8::1");
  header::Checksum sum = v4 ? header::Checksum()
                            : header::pseudo_header(router, h.local, header::kProtocolIcmpv6,
                                                    static_cast<uint32_t>(icmp.size()));
  header::store_be16(icmp.data() + 2, sum.add(icmp).finish());

  std::vector<uint8_t> packet(v4 ? 20 : 40);
  if (v4) {
    header::Ipv4Header ip;
    ip.protocol = header::kProtocolIcmp;
    ip.total_length = static_cast<uint16_t>(20 + icmp.size());
    ip.src = router;
    ip.dst = h.local;
    header::write_ipv4(packet, ip);
  } else {
    header::Ipv6Header ip;
    ip.next_header = header::kProtocolIcmpv6;
    ip.payload_length = static_cast<uint16_t>(icmp.size());
    ip.src = router;
    ip.dst = h.local;
    header::write_ipv6(packet, ip);
  }
  packet.insert(packet.end(), icmp.begin(), icmp.end());
  return packet;
}

void deliver(PeerHarness& h, const std::vector<uint8_t>& packet) {
  h.peer.send(View::copy_of(packet));
  h.bed.pump();
}

struct PathMtu : EstablishedFixture {
  PathMtu() { syn_options.sack_permitted = true; }
};

TEST_F(PathMtu, APacketTooBigForDataInFlightResendsItAtTheSmallerSize) {
  ASSERT_EQ(ep->set_option(SockOpt::kNoDelay, 1), 0);
  ASSERT_EQ(ep->write(bytes(3 * 1460)).value(), 3 * 1460u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(h.out().payload.size(), 1460u);
  deliver(h, packet_too_big(h, 1000, iss + 1));
  EXPECT_EQ(ep->info().snd_mss, 1000u - 40);
  // Every segment that no longer fits goes again, cut to the new MSS.
  uint32_t next = iss + 1;
  while (h.pending_out() > 0) {
    const Seg s = h.out();
    EXPECT_EQ(s.seq, next);
    EXPECT_LE(s.payload.size(), 960u);
    next += static_cast<uint32_t>(s.payload.size());
  }
  EXPECT_EQ(next, iss + 1 + 3 * 1460);
  EXPECT_EQ(h.tcp.stats().path_mtu_reductions, 1u);
  EXPECT_EQ(h.stack.stats().icmp_packet_too_big, 1u);
  // New data is cut to the new size too.
  ASSERT_EQ(ep->write(bytes(1460)).value(), 1460u);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = next});
  EXPECT_EQ(h.out().payload.size(), 960u);
}

TEST_F(PathMtu, AQuoteOfDataNotInFlightIsIgnored) {
  ASSERT_EQ(ep->write(bytes(1000)).value(), 1000u);
  h.out();
  deliver(h, packet_too_big(h, 1000, iss + 1 + 50000));  // beyond SND.NXT
  deliver(h, packet_too_big(h, 1000, iss - 10));         // before SND.UNA
  EXPECT_EQ(ep->info().snd_mss, 1460u);
  EXPECT_EQ(h.tcp.stats().icmp_out_of_window, 2u);  // Linux OutOfWindowIcmps
  h.out_nothing();
}

TEST_F(PathMtu, ATinyMtuIsRaisedToLinuxsMinimum) {
  ASSERT_EQ(ep->write(bytes(1000)).value(), 1000u);
  h.out();
  deliver(h, packet_too_big(h, 100, iss + 1));
  EXPECT_EQ(ep->info().snd_mss, 552u - 40);  // ip_rt_min_pmtu
}

TEST_F(PathMtu, ALargerMtuOrAnotherIcmpMessageChangesNothing) {
  ASSERT_EQ(ep->write(bytes(1000)).value(), 1000u);
  h.out();
  deliver(h, packet_too_big(h, 9000, iss + 1));
  EXPECT_EQ(ep->info().snd_mss, 1460u);
  auto echo = packet_too_big(h, 1000, iss + 1);
  echo[20] = 8;  // an echo request, not "fragmentation needed"
  deliver(h, echo);
  EXPECT_EQ(ep->info().snd_mss, 1460u);
  EXPECT_EQ(h.stack.stats().icmp_ignored, 1u);
}

TEST(PathMtuV6, PacketTooBigLowersTheMssToIpv6sMinimumMtu) {
  PeerHarness h({}, 7, IpAddress::Family::kV6);
  Endpoint& ep = h.establish_passive(1000, header::TcpOptions{.mss = 1440});
  const uint32_t iss = h.our_iss;
  ASSERT_EQ(ep.write(bytes(1000)).value(), 1000u);
  h.out();
  deliver(h, packet_too_big(h, 1000, iss + 1));  // below 1280: raised to it
  EXPECT_EQ(ep.info().snd_mss, 1280u - 60);
  h.out_nothing();  // the 1000-byte segment in flight still fits
}

}  // namespace
}  // namespace netstack::tcp::testing
