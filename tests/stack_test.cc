#include "stack/stack.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "stack/header/checksum.h"
#include "stack/header/ip.h"
#include "stack/header/tcp_packet.h"
#include "stack/time/fake_clock.h"
#include "tests/recording_link.h"

namespace netstack {
namespace {

using testing::RecordingLink;

IpAddress ip(const char* text) {
  return *IpAddress::parse(text);
}

// The counters that changed between two snapshots, with their deltas.
std::map<std::string, uint64_t> changed(const Stats& before, const Stats& after) {
  std::map<std::string, uint64_t> old_values;
  before.for_each([&](std::string_view name, uint64_t v) { old_values[std::string(name)] = v; });
  std::map<std::string, uint64_t> out;
  after.for_each([&](std::string_view name, uint64_t v) {
    if (v != old_values[std::string(name)])
      out[std::string(name)] = v - old_values[std::string(name)];
  });
  return out;
}

using Counters = std::map<std::string, uint64_t>;

class RecordingHandler final : public SegmentHandler {
 public:
  void handle_segment(InboundSegment& segment) override { segments.push_back(segment); }
  std::vector<InboundSegment> segments;
};

header::TcpPacketSpec segment(const char* src, uint16_t src_port, const char* dst,
                              uint16_t dst_port) {
  header::TcpPacketSpec spec;
  spec.src = ip(src);
  spec.dst = ip(dst);
  spec.tcp.src_port = src_port;
  spec.tcp.dst_port = dst_port;
  spec.tcp.seq = 100;
  spec.tcp.flags = header::tcp_flag::kSyn;
  spec.tcp.window = 1000;
  return spec;
}

void refill_ipv4_checksum(std::span<uint8_t> packet) {
  const size_t header_length = size_t{packet[0] & 0x0fu} * 4;
  packet[10] = packet[11] = 0;
  const uint16_t c = header::Checksum().add(packet.first(header_length)).finish();
  packet[10] = static_cast<uint8_t>(c >> 8);
  packet[11] = static_cast<uint8_t>(c);
}

class StackTest : public ::testing::Test {
 protected:
  StackTest() {
    nic_ = stack_.add_nic(link_);
    stack_.add_address(nic_, ip("10.0.0.1"));
    stack_.add_address(nic_, ip("2001:db8::1"));
    stack_.set_unmatched_segment_handler(&unmatched_);
  }

  // Delivers one packet and returns the counters it moved.
  Counters deliver(View packet) {
    const Stats before = stack_.stats();
    stack_.deliver(nic_, std::move(packet));
    return changed(before, stack_.stats());
  }
  Counters deliver(const header::TcpPacketSpec& spec) { return deliver(build_tcp_packet(spec)); }
  // Builds the packet, lets `edit` change its bytes, delivers it.
  template <class Edit>
  Counters deliver_edited(const header::TcpPacketSpec& spec, Edit edit) {
    View packet = build_tcp_packet(spec);
    edit(packet.mutable_bytes());
    return deliver(std::move(packet));
  }

  FakeClock clock_;
  RecordingLink link_{1500};
  Stack stack_{clock_};
  NicId nic_ = 0;
  RecordingHandler unmatched_;
};

const header::TcpPacketSpec kV4 = segment("10.0.0.2", 5555, "10.0.0.1", 80);
const header::TcpPacketSpec kV6 = segment("2001:db8::2", 5555, "2001:db8::1", 80);

TEST_F(StackTest, ValidSegmentWithoutListenerGoesToUnmatchedHandler) {
  EXPECT_EQ(deliver(kV4), (Counters{{"ip_received", 1}, {"tcp_received", 1}, {"tcp_no_port", 1}}));
  ASSERT_EQ(unmatched_.segments.size(), 1u);
  const InboundSegment& in = unmatched_.segments[0];
  EXPECT_EQ(in.nic, nic_);
  EXPECT_EQ(in.tuple, (FourTuple{ip("10.0.0.1"), 80, ip("10.0.0.2"), 5555}));
  EXPECT_EQ(in.tcp.seq, 100u);
  EXPECT_EQ(in.tcp.flags, header::tcp_flag::kSyn);
}

TEST_F(StackTest, ValidIpv6Segment) {
  EXPECT_EQ(deliver(kV6), (Counters{{"ip_received", 1}, {"tcp_received", 1}, {"tcp_no_port", 1}}));
  ASSERT_EQ(unmatched_.segments.size(), 1u);
  EXPECT_EQ(unmatched_.segments[0].tuple,
            (FourTuple{ip("2001:db8::1"), 80, ip("2001:db8::2"), 5555}));
}

TEST_F(StackTest, PayloadSharesThePacketStorage) {
  static constexpr std::array<uint8_t, 3> kData = {'a', 'b', 'c'};
  header::TcpPacketSpec spec = kV4;
  spec.payload = kData;
  spec.options.timestamps = header::Timestamps{1, 2};
  deliver(spec);
  ASSERT_EQ(unmatched_.segments.size(), 1u);
  const InboundSegment& in = unmatched_.segments[0];
  EXPECT_TRUE(std::ranges::equal(in.payload.bytes(), kData));
  EXPECT_TRUE(in.payload.shares_storage_with(in.packet));
  EXPECT_EQ(header::parse_tcp_options(in.tcp.options).timestamps, (header::Timestamps{1, 2}));
}

TEST_F(StackTest, LinkPaddingAfterTotalLengthIsIgnored) {
  View packet = build_tcp_packet(kV4);
  std::vector<uint8_t> padded(packet.bytes().begin(), packet.bytes().end());
  padded.resize(padded.size() + 6, 0);
  EXPECT_EQ(deliver(View::copy_of(padded)),
            (Counters{{"ip_received", 1}, {"tcp_received", 1}, {"tcp_no_port", 1}}));
  ASSERT_EQ(unmatched_.segments.size(), 1u);
  EXPECT_TRUE(unmatched_.segments[0].payload.empty());
}

TEST_F(StackTest, EmptyPacketIsMalformed) {
  EXPECT_EQ(deliver(View()), (Counters{{"ip_received", 1}, {"ip_malformed", 1}}));
}

TEST_F(StackTest, UnknownIpVersionIsMalformed) {
  EXPECT_EQ(deliver_edited(kV4, [](std::span<uint8_t> p) { p[0] = 0x55; }),
            (Counters{{"ip_received", 1}, {"ip_malformed", 1}}));
}

TEST_F(StackTest, Ipv4HeaderErrorsAreMalformed) {
  EXPECT_EQ(deliver(View::copy_of(std::array<uint8_t, 10>{0x45})),
            (Counters{{"ip_received", 1}, {"ip_malformed", 1}}))
      << "truncated";
  EXPECT_EQ(deliver_edited(kV4, [](std::span<uint8_t> p) { p[0] = 0x44; }),
            (Counters{{"ip_received", 1}, {"ip_malformed", 1}}))
      << "IHL 4";
  EXPECT_EQ(deliver_edited(kV4,
                           [](std::span<uint8_t> p) {
                             p[3] = static_cast<uint8_t>(p[3] + 1);
                             refill_ipv4_checksum(p);
                           }),
            (Counters{{"ip_received", 1}, {"ip_malformed", 1}}))
      << "total length beyond the packet";
}

TEST_F(StackTest, Ipv4BadHeaderChecksum) {
  EXPECT_EQ(deliver_edited(kV4, [](std::span<uint8_t> p) { p[10] ^= 0x80; }),
            (Counters{{"ip_received", 1}, {"ip_bad_checksum", 1}}));
}

TEST_F(StackTest, Ipv4FragmentsDropped) {
  const Counters dropped = {{"ip_received", 1}, {"ip_fragments_dropped", 1}};
  EXPECT_EQ(deliver_edited(kV4,
                           [](std::span<uint8_t> p) {
                             p[6] = 0x20;  // MF, offset 0
                             refill_ipv4_checksum(p);
                           }),
            dropped);
  EXPECT_EQ(deliver_edited(kV4,
                           [](std::span<uint8_t> p) {
                             p[6] = 0x00;  // last fragment at offset 8 * 185
                             p[7] = 185;
                             refill_ipv4_checksum(p);
                           }),
            dropped);
  EXPECT_TRUE(unmatched_.segments.empty());
}

TEST_F(StackTest, Ipv4NonTcpProtocol) {
  EXPECT_EQ(deliver_edited(kV4,
                           [](std::span<uint8_t> p) {
                             p[9] = 17;
                             refill_ipv4_checksum(p);
                           }),
            (Counters{{"ip_received", 1}, {"ip_unknown_protocol", 1}}));
}

TEST_F(StackTest, Ipv6ExtensionHeadersDropped) {
  for (uint8_t next : std::array<uint8_t, 4>{0, 43, 44, 60}) {
    EXPECT_EQ(deliver_edited(kV6, [next](std::span<uint8_t> p) { p[6] = next; }),
              (Counters{{"ip_received", 1}, {"ip_v6_extension_dropped", 1}}))
        << "next header " << int{next};
  }
}

TEST_F(StackTest, Ipv6NonTcpProtocol) {
  EXPECT_EQ(deliver_edited(kV6, [](std::span<uint8_t> p) { p[6] = 17; }),
            (Counters{{"ip_received", 1}, {"ip_unknown_protocol", 1}}));
}

TEST_F(StackTest, Ipv6PayloadLengthBeyondPacketIsMalformed) {
  EXPECT_EQ(deliver_edited(kV6, [](std::span<uint8_t> p) { p[4] = 0xff; }),
            (Counters{{"ip_received", 1}, {"ip_malformed", 1}}));
}

TEST_F(StackTest, DestinationNotOnThisNic) {
  EXPECT_EQ(deliver(segment("10.0.0.2", 5555, "10.0.0.9", 80)),
            (Counters{{"ip_received", 1}, {"ip_not_for_us", 1}}));

  // Owned by another NIC of the same stack: still not for this one.
  RecordingLink other_link;
  const NicId other = stack_.add_nic(other_link);
  stack_.add_address(other, ip("10.0.1.1"));
  EXPECT_EQ(deliver(segment("10.0.0.2", 5555, "10.0.1.1", 80)),
            (Counters{{"ip_received", 1}, {"ip_not_for_us", 1}}));
}

TEST_F(StackTest, TcpDataOffsetErrorsAreMalformed) {
  EXPECT_EQ(deliver_edited(kV4, [](std::span<uint8_t> p) { p[20 + 12] = 0x40; }),
            (Counters{{"ip_received", 1}, {"tcp_malformed", 1}}))
      << "data offset 4";
  EXPECT_EQ(deliver_edited(kV4, [](std::span<uint8_t> p) { p[20 + 12] = 0x60; }),
            (Counters{{"ip_received", 1}, {"tcp_malformed", 1}}))
      << "data offset 6 in a 20-byte segment";
}

TEST_F(StackTest, TcpTruncatedHeaderIsMalformed) {
  // A valid IPv4 header carrying 8 bytes of "TCP".
  EXPECT_EQ(deliver_edited(kV4,
                           [](std::span<uint8_t> p) {
                             p[3] = 28;
                             refill_ipv4_checksum(p);
                           }),
            (Counters{{"ip_received", 1}, {"tcp_malformed", 1}}));
}

TEST_F(StackTest, TcpBadChecksum) {
  header::TcpPacketSpec spec = kV4;
  spec.corrupt_checksum = true;
  EXPECT_EQ(deliver(spec), (Counters{{"ip_received", 1}, {"tcp_bad_checksum", 1}}));
  spec = kV6;
  spec.corrupt_checksum = true;
  EXPECT_EQ(deliver(spec), (Counters{{"ip_received", 1}, {"tcp_bad_checksum", 1}}));
}

// A packet from `src`, which build_tcp_packet refuses when unspecified: built
// from a placeholder source, then rewritten with both checksums refilled.
View packet_from(const IpAddress& src) {
  const bool v6 = src.is_v6();
  header::TcpPacketSpec spec = v6 ? kV6 : kV4;
  View packet = build_tcp_packet(spec);
  std::span<uint8_t> p = packet.mutable_bytes();
  const size_t src_offset = v6 ? 8 : 12;
  std::ranges::copy(src.bytes(), p.begin() + static_cast<std::ptrdiff_t>(src_offset));
  if (!v6) refill_ipv4_checksum(p);
  header::fill_tcp_checksum(p.subspan(v6 ? 40 : 20), src, spec.dst);
  return packet;
}

TEST_F(StackTest, InvalidSourceAddresses) {
  // RFC 1122 section 4.2.3.10.
  for (const char* src :
       {"0.0.0.0", "224.0.0.1", "239.255.255.255", "255.255.255.255", "::", "ff02::1"}) {
    EXPECT_EQ(deliver(packet_from(ip(src))),
              (Counters{{"ip_received", 1}, {"tcp_invalid_address", 1}}))
        << src;
  }
  EXPECT_TRUE(unmatched_.segments.empty());
  EXPECT_EQ(deliver(packet_from(ip("223.255.255.255"))),
            (Counters{{"ip_received", 1}, {"tcp_received", 1}, {"tcp_no_port", 1}}))
      << "the last unicast address before 224/4";
}

TEST_F(StackTest, NicReceiverDelivers) {
  stack_.nic_receiver(nic_).receive(build_tcp_packet(kV4));
  EXPECT_EQ(stack_.stats().tcp_received, 1u);
}

class DemuxTest : public StackTest {
 protected:
  DemuxTest() {
    stack_.add_address(nic_, ip("10.0.0.3"));
    auto& demux = stack_.tcp_demuxer();
    EXPECT_TRUE(demux.add_connection({ip("10.0.0.1"), 80, ip("10.0.0.2"), 5555}, &connection_));
    EXPECT_TRUE(demux.add_listener(ip("10.0.0.1"), 80, &exact_listener_));
    EXPECT_TRUE(demux.add_listener(ip("0.0.0.0"), 80, &wildcard_listener_));
  }

  RecordingHandler connection_;
  RecordingHandler exact_listener_;
  RecordingHandler wildcard_listener_;
};

TEST_F(DemuxTest, ConnectionBeatsListeners) {
  EXPECT_EQ(deliver(segment("10.0.0.2", 5555, "10.0.0.1", 80)),
            (Counters{{"ip_received", 1}, {"tcp_received", 1}}));
  EXPECT_EQ(connection_.segments.size(), 1u);
  EXPECT_TRUE(exact_listener_.segments.empty());
  EXPECT_TRUE(wildcard_listener_.segments.empty());
}

TEST_F(DemuxTest, ExactListenerBeatsWildcard) {
  deliver(segment("10.0.0.2", 5556, "10.0.0.1", 80));  // another remote port: no connection
  EXPECT_TRUE(connection_.segments.empty());
  EXPECT_EQ(exact_listener_.segments.size(), 1u);
  EXPECT_TRUE(wildcard_listener_.segments.empty());
}

TEST_F(DemuxTest, WildcardListenerCatchesOtherLocalAddresses) {
  deliver(segment("10.0.0.2", 5555, "10.0.0.3", 80));
  EXPECT_TRUE(connection_.segments.empty());
  EXPECT_TRUE(exact_listener_.segments.empty());
  EXPECT_EQ(wildcard_listener_.segments.size(), 1u);
}

TEST_F(DemuxTest, RemovingTheExactListenerFallsBackToWildcard) {
  EXPECT_TRUE(stack_.tcp_demuxer().remove_listener(ip("10.0.0.1"), 80));
  EXPECT_FALSE(stack_.tcp_demuxer().remove_listener(ip("10.0.0.1"), 80));
  deliver(segment("10.0.0.2", 5556, "10.0.0.1", 80));
  EXPECT_EQ(wildcard_listener_.segments.size(), 1u);
}

TEST_F(DemuxTest, RemovingTheConnectionFallsBackToTheListener) {
  EXPECT_TRUE(stack_.tcp_demuxer().remove_connection({ip("10.0.0.1"), 80, ip("10.0.0.2"), 5555}));
  deliver(segment("10.0.0.2", 5555, "10.0.0.1", 80));
  EXPECT_TRUE(connection_.segments.empty());
  EXPECT_EQ(exact_listener_.segments.size(), 1u);
}

TEST_F(DemuxTest, OtherPortIsUnmatched) {
  EXPECT_EQ(deliver(segment("10.0.0.2", 5555, "10.0.0.1", 81)),
            (Counters{{"ip_received", 1}, {"tcp_received", 1}, {"tcp_no_port", 1}}));
  EXPECT_EQ(unmatched_.segments.size(), 1u);
}

TEST_F(DemuxTest, Ipv4WildcardDoesNotCatchIpv6) {
  EXPECT_EQ(deliver(segment("2001:db8::2", 5555, "2001:db8::1", 80)),
            (Counters{{"ip_received", 1}, {"tcp_received", 1}, {"tcp_no_port", 1}}));
  EXPECT_TRUE(wildcard_listener_.segments.empty());
  RecordingHandler v6_wildcard;
  ASSERT_TRUE(stack_.tcp_demuxer().add_listener(ip("::"), 80, &v6_wildcard));
  deliver(segment("2001:db8::2", 5555, "2001:db8::1", 80));
  EXPECT_EQ(v6_wildcard.segments.size(), 1u);
}

TEST(TcpDemuxerTest, DuplicatesRejected) {
  TcpDemuxer demux;
  RecordingHandler h;
  const FourTuple t{ip("10.0.0.1"), 80, ip("10.0.0.2"), 5555};
  EXPECT_TRUE(demux.add_connection(t, &h));
  EXPECT_FALSE(demux.add_connection(t, &h));
  EXPECT_TRUE(demux.add_listener(ip("10.0.0.1"), 80, &h));
  EXPECT_FALSE(demux.add_listener(ip("10.0.0.1"), 80, &h));
  EXPECT_EQ(demux.connection_count(), 1u);
  EXPECT_EQ(demux.listener_count(), 1u);
  EXPECT_TRUE(demux.remove_connection(t));
  EXPECT_FALSE(demux.remove_connection(t));
  EXPECT_EQ(demux.find_connection(t), nullptr);
}

TEST(TcpDemuxerTest, PortInUse) {
  TcpDemuxer demux;
  RecordingHandler h;
  EXPECT_FALSE(demux.port_in_use(ip("10.0.0.1"), 80));
  demux.add_listener(ip("10.0.0.1"), 80, &h);
  EXPECT_TRUE(demux.port_in_use(ip("10.0.0.1"), 80));
  EXPECT_FALSE(demux.port_in_use(ip("10.0.0.2"), 80));
  EXPECT_TRUE(demux.port_in_use(ip("0.0.0.0"), 80)) << "a wildcard bind conflicts";
  EXPECT_FALSE(demux.port_in_use(ip("::"), 80)) << "other family";

  demux.add_listener(ip("::"), 443, &h);
  EXPECT_TRUE(demux.port_in_use(ip("2001:db8::1"), 443));

  const FourTuple t{ip("10.0.0.1"), 8080, ip("10.0.0.2"), 5555};
  demux.add_connection(t, &h);
  EXPECT_TRUE(demux.port_in_use(ip("10.0.0.1"), 8080));
  demux.remove_connection(t);
  EXPECT_FALSE(demux.port_in_use(ip("10.0.0.1"), 8080));
}

TEST(TcpDemuxerTest, WildcardOf) {
  EXPECT_EQ(wildcard_of(ip("10.1.2.3")), ip("0.0.0.0"));
  EXPECT_EQ(wildcard_of(ip("2001:db8::7")), ip("::"));
}

class SendTest : public ::testing::Test {
 protected:
  SendTest() {
    first_ = stack_.add_nic(first_link_);
    second_ = stack_.add_nic(second_link_);
    stack_.add_address(first_, ip("10.0.0.1"));
    stack_.add_address(second_, ip("192.168.1.1"));
    stack_.add_address(second_, ip("2001:db8::1"));
  }

  FakeClock clock_;
  RecordingLink first_link_{1500};
  RecordingLink second_link_{1280};
  Stack stack_{clock_};
  NicId first_ = 0;
  NicId second_ = 0;
};

TEST_F(SendTest, RoutesBySourceAddress) {
  EXPECT_TRUE(stack_.send(build_tcp_packet(segment("192.168.1.1", 80, "192.168.1.2", 5555)),
                          ip("192.168.1.1")));
  EXPECT_TRUE(
      stack_.send(build_tcp_packet(segment("10.0.0.1", 80, "10.0.0.2", 5555)), ip("10.0.0.1")));
  EXPECT_TRUE(stack_.send(build_tcp_packet(segment("2001:db8::1", 80, "2001:db8::2", 5555)),
                          ip("2001:db8::1")));
  EXPECT_EQ(first_link_.sent.size(), 1u);
  EXPECT_EQ(second_link_.sent.size(), 2u);
  EXPECT_EQ(stack_.stats().ip_sent, 3u);
}

TEST_F(SendTest, UnknownSourceHasNoRoute) {
  const Stats before = stack_.stats();
  EXPECT_FALSE(stack_.send(View::allocate(40), ip("10.9.9.9")));
  EXPECT_EQ(changed(before, stack_.stats()), (Counters{{"ip_send_no_route", 1}}));
  EXPECT_TRUE(first_link_.sent.empty());
  EXPECT_TRUE(second_link_.sent.empty());
}

TEST_F(SendTest, MtuCheckedPerLink) {
  EXPECT_EQ(stack_.mtu(first_), 1500u);
  EXPECT_EQ(stack_.mtu(second_), 1280u);
  EXPECT_TRUE(stack_.send(View::allocate(1280), ip("192.168.1.1")));
  const Stats before = stack_.stats();
  EXPECT_FALSE(stack_.send(View::allocate(1281), ip("192.168.1.1")));
  EXPECT_EQ(changed(before, stack_.stats()), (Counters{{"ip_send_too_big", 1}}));
  EXPECT_TRUE(stack_.send(View::allocate(1281), ip("10.0.0.1"))) << "the other link is larger";
  EXPECT_EQ(second_link_.sent.size(), 1u);
}

TEST_F(SendTest, AddressLookup) {
  EXPECT_EQ(stack_.nic_for(ip("10.0.0.1")), first_);
  EXPECT_EQ(stack_.nic_for(ip("2001:db8::1")), second_);
  EXPECT_EQ(stack_.nic_for(ip("10.0.0.2")), std::nullopt);
  EXPECT_TRUE(stack_.is_local_address(ip("192.168.1.1")));
  EXPECT_FALSE(stack_.is_local_address(ip("0.0.0.0")));
}

TEST(StackSeedTest, SameSeedSameRandomSequence) {
  FakeClock clock;
  Stack a(clock, {.seed = 77});
  Stack b(clock, {.seed = 77});
  Stack c(clock, {.seed = 78});
  EXPECT_EQ(a.seed(), 77u);
  const uint64_t first = a.rng().next();
  EXPECT_EQ(b.rng().next(), first);
  EXPECT_NE(c.rng().next(), first);
}

}  // namespace
}  // namespace netstack
