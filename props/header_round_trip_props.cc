// Build -> parse equality for the IPv4, IPv6 and TCP headers, and for whole
// packets from build_tcp_packet.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "gen/wire_gen.h"
#include "stack/header/checksum.h"
#include "stack/header/ip.h"
#include "stack/header/tcp.h"
#include "stack/header/tcp_packet.h"

namespace netstack::header {
namespace {

RC_GTEST_PROP(HeaderRoundTrip, Ipv4IncludingOptions, ()) {
  const std::vector<uint8_t> options = *gen::option_words(10);
  const auto payload = *rc::gen::container<std::vector<uint8_t>>(rc::gen::arbitrary<uint8_t>());
  Ipv4Header h;
  h.tos = *rc::gen::arbitrary<uint8_t>();
  h.id = *rc::gen::arbitrary<uint16_t>();
  h.reserved_flag = *rc::gen::arbitrary<bool>();
  h.dont_fragment = *rc::gen::arbitrary<bool>();
  h.more_fragments = *rc::gen::arbitrary<bool>();
  h.fragment_offset = *rc::gen::inRange<uint16_t>(0, 0x2000);
  h.ttl = *rc::gen::arbitrary<uint8_t>();
  h.protocol = *rc::gen::arbitrary<uint8_t>();
  h.src = *gen::ipv4_address();
  h.dst = *gen::ipv4_address();
  h.options = options;
  h.total_length = static_cast<uint16_t>(h.header_length() + payload.size());

  std::vector<uint8_t> packet(h.total_length);
  RC_ASSERT(write_ipv4(packet, h) == 20 + options.size());
  std::ranges::copy(payload, packet.begin() + static_cast<std::ptrdiff_t>(h.header_length()));

  auto parsed = parse_ipv4(packet);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(Checksum().add(std::span(packet).first(h.header_length())).folded() == 0xffff);
  h.checksum = parsed->header.checksum;
  RC_ASSERT(parsed->header == h);
  RC_ASSERT(std::ranges::equal(parsed->payload, payload));
}

RC_GTEST_PROP(HeaderRoundTrip, Ipv6, ()) {
  const auto payload = *rc::gen::container<std::vector<uint8_t>>(rc::gen::arbitrary<uint8_t>());
  Ipv6Header h;
  h.traffic_class = *rc::gen::arbitrary<uint8_t>();
  h.flow_label = *rc::gen::inRange<uint32_t>(0, 1u << 20);
  h.payload_length = static_cast<uint16_t>(payload.size());
  h.next_header = *rc::gen::arbitrary<uint8_t>();
  h.hop_limit = *rc::gen::arbitrary<uint8_t>();
  h.src = *gen::ipv6_address();
  h.dst = *gen::ipv6_address();

  std::vector<uint8_t> packet(kIpv6HeaderLength + payload.size());
  write_ipv6(packet, h);
  std::ranges::copy(payload, packet.begin() + kIpv6HeaderLength);

  auto parsed = parse_ipv6(packet);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(parsed->header == h);
  RC_ASSERT(std::ranges::equal(parsed->payload, payload));
}

RC_GTEST_PROP(HeaderRoundTrip, Tcp, ()) {
  const std::vector<uint8_t> options = *gen::option_words(10);
  const auto payload = *rc::gen::container<std::vector<uint8_t>>(rc::gen::arbitrary<uint8_t>());
  TcpHeader h = *gen::tcp_header_fields();
  h.checksum = *rc::gen::arbitrary<uint16_t>();
  h.options = options;

  std::vector<uint8_t> segment(h.header_length() + payload.size());
  RC_ASSERT(write_tcp(segment, h) == h.header_length());
  std::ranges::copy(payload, segment.begin() + static_cast<std::ptrdiff_t>(h.header_length()));

  auto parsed = parse_tcp(segment);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(parsed->header == h);
  RC_ASSERT(std::ranges::equal(parsed->payload, payload));
}

RC_GTEST_PROP(HeaderRoundTrip, BuiltPacketParsesToItsSpec, ()) {
  const auto family = *rc::gen::element(IpAddress::Family::kV4, IpAddress::Family::kV6);
  const auto payload = *rc::gen::container<std::vector<uint8_t>>(rc::gen::arbitrary<uint8_t>());
  TcpPacketSpec spec;
  spec.src = *gen::specified_address(family);
  spec.dst = *gen::specified_address(family);
  spec.ttl = *rc::gen::arbitrary<uint8_t>();
  spec.tos = *rc::gen::arbitrary<uint8_t>();
  spec.ip_id = *rc::gen::arbitrary<uint16_t>();
  spec.dont_fragment = *rc::gen::arbitrary<bool>();
  spec.tcp = *gen::tcp_header_fields();
  spec.options = *rc::gen::arbitrary<TcpOptions>();
  spec.payload = payload;

  const View packet = build_tcp_packet(spec);
  std::span<const uint8_t> segment;
  if (family == IpAddress::Family::kV4) {
    auto ip = parse_ipv4(packet.bytes());
    RC_ASSERT(ip.has_value());
    RC_ASSERT(ip->header.src == spec.src && ip->header.dst == spec.dst);
    RC_ASSERT(ip->header.ttl == spec.ttl && ip->header.tos == spec.tos);
    RC_ASSERT(ip->header.id == spec.ip_id && ip->header.dont_fragment == spec.dont_fragment);
    RC_ASSERT(!ip->header.is_fragment());
    RC_ASSERT(ip->header.protocol == kProtocolTcp);
    segment = ip->payload;
  } else {
    auto ip = parse_ipv6(packet.bytes());
    RC_ASSERT(ip.has_value());
    RC_ASSERT(ip->header.src == spec.src && ip->header.dst == spec.dst);
    RC_ASSERT(ip->header.hop_limit == spec.ttl && ip->header.traffic_class == spec.tos);
    RC_ASSERT(ip->header.next_header == kProtocolTcp);
    segment = ip->payload;
  }
  auto tcp = parse_tcp(segment);
  RC_ASSERT(tcp.has_value());
  TcpHeader expected = spec.tcp;
  expected.checksum = tcp->header.checksum;
  expected.options = tcp->header.options;
  RC_ASSERT(tcp->header == expected);
  RC_ASSERT(parse_tcp_options(tcp->header.options) == spec.options);
  RC_ASSERT(std::ranges::equal(tcp->payload, payload));
}

}  // namespace
}  // namespace netstack::header
