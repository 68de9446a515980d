#include "oracle/wire_segment.h"

#include "stack/header/icmp.h"
#include "stack/header/ip.h"
#include "stack/header/tcp_options.h"

namespace tcpfuzz::oracle {

namespace {

std::optional<WireSegment> decode_tcp(std::span<const uint8_t> ip_packet,
                                      std::span<const uint8_t> bytes,
                                      const netstack::IpAddress& src,
                                      const netstack::IpAddress& dst, bool verify_checksum) {
  namespace header = netstack::header;
  auto tcp = header::parse_tcp(bytes);
  if (!tcp || (verify_checksum && !header::verify_tcp_checksum(bytes, src, dst))) {
    return std::nullopt;
  }
  const header::TcpHeader& h = tcp->header;
  WireSegment s;
  s.src = src;
  s.dst = dst;
  s.src_port = h.src_port;
  s.dst_port = h.dst_port;
  s.seq = h.seq;
  s.ack = h.ack;
  s.flags = h.flags;
  s.window = h.window;
  s.payload = static_cast<uint32_t>(tcp->payload.size());
  s.payload_at = static_cast<uint32_t>(tcp->payload.data() - ip_packet.data());
  if (!h.options.empty()) {
    const header::TcpOptions o = header::parse_tcp_options(h.options);
    s.window_scale = o.window_scale;
    s.md5 = o.md5_signature.has_value();
    s.sack = o.sack_block_count > 0;
    if (o.timestamps) {
      s.ts_val = o.timestamps->value;
      s.ts_ecr = o.timestamps->echo_reply;
    }
  }
  return s;
}

}  // namespace

std::optional<WireSegment> decode_wire_segment(std::span<const uint8_t> ip_packet,
                                               bool verify_checksum) {
  namespace header = netstack::header;
  if (ip_packet.empty()) return std::nullopt;
  const uint8_t version = ip_packet[0] >> 4;
  if (version == 4) {
    auto ip = header::parse_ipv4(ip_packet);
    if (!ip || ip->header.is_fragment() || ip->header.protocol != header::kProtocolTcp) {
      return std::nullopt;
    }
    return decode_tcp(ip_packet, ip->payload, ip->header.src, ip->header.dst, verify_checksum);
  }
  if (version == 6) {
    auto ip = header::parse_ipv6(ip_packet);
    if (!ip || ip->header.next_header != header::kProtocolTcp) return std::nullopt;
    return decode_tcp(ip_packet, ip->payload, ip->header.src, ip->header.dst, verify_checksum);
  }
  return std::nullopt;
}

bool is_icmp(std::span<const uint8_t> ip_packet) {
  namespace header = netstack::header;
  if (ip_packet.empty()) return false;
  if (ip_packet[0] >> 4 == 4) {
    auto ip = header::parse_ipv4(ip_packet);
    return ip && ip->header.protocol == header::kProtocolIcmp;
  }
  if (ip_packet[0] >> 4 == 6) {
    auto ip = header::parse_ipv6(ip_packet);
    return ip && ip->header.next_header == header::kProtocolIcmpv6;
  }
  return false;
}

}  // namespace tcpfuzz::oracle
