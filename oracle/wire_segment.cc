#include "oracle/wire_segment.h"

#include "oracle/connection_internal.h"
#include "stack/header/icmp.h"
#include "stack/header/ip.h"
#include "stack/header/tcp_options.h"

namespace tcpfuzz::oracle {

namespace {

using internal::before;

void note_sack_edge(const netstack::header::TcpOptions& o, WireSegment* s) {
  const auto blocks = o.sacks();
  if (blocks.empty()) return;
  // Four blocks fit beside no timestamp, three beside one (RFC 2018 3).
  s->sack_full = blocks.size() >= (o.timestamps ? 3u : 4u);
  const bool dsack = before(blocks[0].start, s->ack) ||
                     (blocks.size() > 1 && !before(blocks[0].start, blocks[1].start) &&
                      !before(blocks[1].end, blocks[0].end));
  for (const auto& b : blocks.subspan(dsack ? 1 : 0)) {
    if (!s->sack_edge || before(*s->sack_edge, b.end)) s->sack_edge = b.end;
  }
}

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
    note_sack_edge(o, &s);
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
