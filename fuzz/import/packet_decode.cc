#include "fuzz/import/packet_decode.h"

#include <pcap/dlt.h>

#include <optional>

#include "stack/header/byte_order.h"
#include "stack/header/ip.h"
#include "stack/header/tcp.h"

namespace tcpfuzz::import {

namespace {

using netstack::Unexpected;
namespace header = netstack::header;

constexpr uint16_t kEtherIpv4 = 0x0800;
constexpr uint16_t kEtherArp = 0x0806;
constexpr uint16_t kEtherVlan = 0x8100;
constexpr uint16_t kEtherQinQ = 0x88a8;
constexpr uint16_t kEtherIpv6 = 0x86dd;
constexpr size_t kEthernetHeader = 14;
constexpr size_t kVlanTag = 4;
constexpr size_t kSllHeader = 16;
constexpr size_t kSll2Header = 20;
constexpr size_t kNullHeader = 4;

// The network layer of a frame: an ethertype (or 4/6 for a bare IP
// version) and where its bytes start.
struct Network {
  uint16_t ethertype = 0;
  size_t offset = 0;
};

std::string hex16(uint16_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) s += kDigits[(v >> shift) & 0xf];
  return s;
}

// VLAN tags (802.1Q, 802.1ad) sit between the link header and the payload;
// each ends with the next ethertype.
netstack::Expected<Network, std::string> skip_vlan_tags(std::span<const uint8_t> b, Network n) {
  while (n.ethertype == kEtherVlan || n.ethertype == kEtherQinQ) {
    if (b.size() < n.offset + kVlanTag) return Unexpected{std::string("truncated VLAN tag")};
    n.ethertype = header::load_be16(&b[n.offset + 2]);
    n.offset += kVlanTag;
  }
  return n;
}

// BSD null/loopback: the address family in the capturing host's byte order
// (DLT_NULL) or big-endian (DLT_LOOP); AF_INET6 is 10, 24, 28 or 30
// depending on the OS.
netstack::Expected<Network, std::string> null_family(std::span<const uint8_t> b) {
  if (b.size() < kNullHeader) return Unexpected{std::string("truncated loopback header")};
  const uint32_t big = header::load_be32(&b[0]);
  const uint32_t family = big < 256 ? big : (b[0] | b[1] << 8 | b[2] << 16 | uint32_t{b[3]} << 24);
  if (family == 2) return Network{kEtherIpv4, kNullHeader};
  if (family == 10 || family == 24 || family == 28 || family == 30) {
    return Network{kEtherIpv6, kNullHeader};
  }
  return Unexpected{"address family " + std::to_string(family) + ", not IP"};
}

netstack::Expected<Network, std::string> link_layer(int link_type, std::span<const uint8_t> b) {
  auto need = [&](size_t n, const char* what) -> std::optional<std::string> {
    if (b.size() < n) return std::string("truncated ") + what + " header";
    return std::nullopt;
  };
  switch (link_type) {
    case DLT_EN10MB:
      if (auto e = need(kEthernetHeader, "Ethernet")) return Unexpected{*e};
      return skip_vlan_tags(b, {header::load_be16(&b[12]), kEthernetHeader});
    case DLT_LINUX_SLL:
      if (auto e = need(kSllHeader, "Linux cooked (SLL)")) return Unexpected{*e};
      return skip_vlan_tags(b, {header::load_be16(&b[14]), kSllHeader});
    case DLT_LINUX_SLL2:
      if (auto e = need(kSll2Header, "Linux cooked (SLL2)")) return Unexpected{*e};
      return skip_vlan_tags(b, {header::load_be16(&b[0]), kSll2Header});
    case DLT_NULL:
    case DLT_LOOP:
      return null_family(b);
    case DLT_IPV4:
      return Network{kEtherIpv4, 0};
    case DLT_IPV6:
      return Network{kEtherIpv6, 0};
    default:  // DLT_RAW: the version nibble says which
      if (b.empty()) return Unexpected{std::string("empty packet")};
      if (b[0] >> 4 == 4) return Network{kEtherIpv4, 0};
      if (b[0] >> 4 == 6) return Network{kEtherIpv6, 0};
      return Unexpected{"IP version " + std::to_string(b[0] >> 4) + ", not IPv4 or IPv6"};
  }
}

std::string not_tcp(uint8_t protocol) {
  switch (protocol) {
    case 1:
      return "ICMP, not TCP";
    case 17:
      return "UDP, not TCP";
    case 58:
      return "ICMPv6, not TCP";
    default:
      return "IP protocol " + std::to_string(protocol) + ", not TCP";
  }
}

// The IP layer: addresses and the TCP segment's bytes.
struct IpPayload {
  netstack::IpAddress src;
  netstack::IpAddress dst;
  std::span<const uint8_t> segment;
};

netstack::Expected<IpPayload, std::string> ip_layer(uint16_t ethertype,
                                                    std::span<const uint8_t> b) {
  if (ethertype == kEtherIpv4) {
    auto ip = header::parse_ipv4(b);
    if (!ip) return Unexpected{"bad IPv4 header: " + std::string(header::to_string(ip.error()))};
    if (ip->header.is_fragment()) return Unexpected{std::string("IPv4 fragment, not reassembled")};
    if (ip->header.protocol != header::kProtocolTcp) {
      return Unexpected{not_tcp(ip->header.protocol)};
    }
    return IpPayload{ip->header.src, ip->header.dst, ip->payload};
  }
  if (ethertype == kEtherIpv6) {
    auto ip = header::parse_ipv6(b);
    if (!ip) return Unexpected{"bad IPv6 header: " + std::string(header::to_string(ip.error()))};
    const uint8_t next = ip->header.next_header;
    if (header::is_ipv6_extension_header(next)) {
      return Unexpected{"IPv6 extension header " + std::to_string(next) + ", not followed"};
    }
    if (next != header::kProtocolTcp) return Unexpected{not_tcp(next)};
    return IpPayload{ip->header.src, ip->header.dst, ip->payload};
  }
  if (ethertype == kEtherArp) return Unexpected{std::string("ARP, not IP")};
  return Unexpected{"ethertype " + hex16(ethertype) + ", not IP"};
}

}  // namespace

bool link_type_supported(int link_type) {
  switch (link_type) {
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
    case DLT_LINUX_SLL2:
    case DLT_NULL:
    case DLT_LOOP:
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
      return true;
    default:
      return false;
  }
}

netstack::Expected<CapturedSegment, std::string> decode_frame(const Frame& f) {
  // A cut packet is missing bytes TCP counts (payload, or more): its
  // sequence space cannot be trusted, so it is not used at all.
  if (f.bytes.size() < f.wire_length) {
    return Unexpected{"cut by the snapshot length (" + std::to_string(f.bytes.size()) + " of " +
                      std::to_string(f.wire_length) + " bytes)"};
  }
  auto network = link_layer(f.link_type, f.bytes);
  if (!network) return Unexpected{network.error()};
  auto ip = ip_layer(network->ethertype, f.bytes.subspan(network->offset));
  if (!ip) return Unexpected{ip.error()};
  auto tcp = header::parse_tcp(ip->segment);
  if (!tcp) return Unexpected{"bad TCP header: " + std::string(header::to_string(tcp.error()))};
  const header::TcpHeader& h = tcp->header;
  return CapturedSegment{
      .number = f.number,
      .time_ns = f.time_ns,
      .src = ip->src,
      .dst = ip->dst,
      .src_port = h.src_port,
      .dst_port = h.dst_port,
      .seq = h.seq,
      .ack = h.ack,
      .flags = h.flags,
      .window = h.window,
      .urgent = h.urgent,
      .options = {h.options.begin(), h.options.end()},
      .payload = {tcp->payload.begin(), tcp->payload.end()},
  };
}

}  // namespace tcpfuzz::import
