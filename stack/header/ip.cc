#include "stack/header/ip.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "stack/header/byte_order.h"
#include "stack/header/checksum.h"

namespace netstack::header {

std::string_view to_string(IpError e) {
  switch (e) {
    case IpError::kTruncated:
      return "truncated";
    case IpError::kBadVersion:
      return "bad version";
    case IpError::kBadHeaderLength:
      return "bad header length";
    case IpError::kBadTotalLength:
      return "bad total length";
    case IpError::kBadChecksum:
      return "bad checksum";
  }
  return "?";
}

bool Ipv4Header::operator==(const Ipv4Header& o) const {
  return tos == o.tos && total_length == o.total_length && id == o.id &&
         reserved_flag == o.reserved_flag && dont_fragment == o.dont_fragment &&
         more_fragments == o.more_fragments && fragment_offset == o.fragment_offset &&
         ttl == o.ttl && protocol == o.protocol && checksum == o.checksum && src == o.src &&
         dst == o.dst && std::ranges::equal(options, o.options);
}

Expected<Ipv4Packet, IpError> parse_ipv4(std::span<const uint8_t> p) {
  if (p.size() < kIpv4MinHeaderLength) return Unexpected{IpError::kTruncated};
  if (p[0] >> 4 != 4) return Unexpected{IpError::kBadVersion};
  const size_t header_length = size_t{p[0] & 0x0fu} * 4;
  if (header_length < kIpv4MinHeaderLength || header_length > p.size()) {
    return Unexpected{IpError::kBadHeaderLength};
  }
  const uint16_t total_length = load_be16(&p[2]);
  if (total_length < header_length || total_length > p.size()) {
    return Unexpected{IpError::kBadTotalLength};
  }
  if (Checksum().add(p.first(header_length)).folded() != 0xffff) {
    return Unexpected{IpError::kBadChecksum};
  }
  Ipv4Packet out;
  Ipv4Header& h = out.header;
  h.tos = p[1];
  h.total_length = total_length;
  h.id = load_be16(&p[4]);
  const uint16_t frag = load_be16(&p[6]);
  h.reserved_flag = (frag & 0x8000) != 0;
  h.dont_fragment = (frag & 0x4000) != 0;
  h.more_fragments = (frag & 0x2000) != 0;
  h.fragment_offset = frag & 0x1fff;
  h.ttl = p[8];
  h.protocol = p[9];
  h.checksum = load_be16(&p[10]);
  h.src = IpAddress::v4(p.subspan<12, 4>());
  h.dst = IpAddress::v4(p.subspan<16, 4>());
  h.options = p.subspan(kIpv4MinHeaderLength, header_length - kIpv4MinHeaderLength);
  out.payload = p.subspan(header_length, total_length - header_length);
  return out;
}

size_t write_ipv4(std::span<uint8_t> out, const Ipv4Header& h) {
  const size_t len = h.header_length();
  assert(h.options.size() % 4 == 0 && len <= kIpv4MaxHeaderLength && out.size() >= len);
  assert(h.src.is_v4() && h.dst.is_v4());
  out[0] = static_cast<uint8_t>(0x40 | len / 4);
  out[1] = h.tos;
  store_be16(&out[2], h.total_length);
  store_be16(&out[4], h.id);
  const auto frag =
      static_cast<uint16_t>((h.reserved_flag ? 0x8000 : 0) | (h.dont_fragment ? 0x4000 : 0) |
                            (h.more_fragments ? 0x2000 : 0) | (h.fragment_offset & 0x1fff));
  store_be16(&out[6], frag);
  out[8] = h.ttl;
  out[9] = h.protocol;
  store_be16(&out[10], 0);
  std::memcpy(&out[12], h.src.bytes().data(), 4);
  std::memcpy(&out[16], h.dst.bytes().data(), 4);
  if (!h.options.empty()) std::memcpy(&out[20], h.options.data(), h.options.size());
  store_be16(&out[10], Checksum().add(out.first(len)).finish());
  return len;
}

Expected<Ipv6Packet, IpError> parse_ipv6(std::span<const uint8_t> p) {
  if (p.size() < kIpv6HeaderLength) return Unexpected{IpError::kTruncated};
  if (p[0] >> 4 != 6) return Unexpected{IpError::kBadVersion};
  const uint16_t payload_length = load_be16(&p[4]);
  if (kIpv6HeaderLength + payload_length > p.size()) return Unexpected{IpError::kBadTotalLength};
  Ipv6Packet out;
  Ipv6Header& h = out.header;
  const uint32_t first = load_be32(&p[0]);
  h.traffic_class = static_cast<uint8_t>(first >> 20);
  h.flow_label = first & 0xfffff;
  h.payload_length = payload_length;
  h.next_header = p[6];
  h.hop_limit = p[7];
  h.src = IpAddress::v6(p.subspan<8, 16>());
  h.dst = IpAddress::v6(p.subspan<24, 16>());
  out.payload = p.subspan(kIpv6HeaderLength, payload_length);
  return out;
}

void write_ipv6(std::span<uint8_t> out, const Ipv6Header& h) {
  assert(out.size() >= kIpv6HeaderLength && h.src.is_v6() && h.dst.is_v6());
  store_be32(&out[0], 6u << 28 | uint32_t{h.traffic_class} << 20 | (h.flow_label & 0xfffff));
  store_be16(&out[4], h.payload_length);
  out[6] = h.next_header;
  out[7] = h.hop_limit;
  std::memcpy(&out[8], h.src.bytes().data(), 16);
  std::memcpy(&out[24], h.dst.bytes().data(), 16);
}

bool is_ipv6_extension_header(uint8_t next_header) {
  switch (next_header) {
    case 0:    // Hop-by-Hop Options
    case 43:   // Routing
    case 44:   // Fragment
    case 50:   // Encapsulating Security Payload
    case 51:   // Authentication Header
    case 60:   // Destination Options
    case 135:  // Mobility
    case 139:  // Host Identity Protocol
    case 140:  // Shim6
    case 253:  // experimentation and testing (RFC 3692, RFC 4727)
    case 254:
      return true;
    default:
      return false;
  }
}

}  // namespace netstack::header
