#include "stack/header/icmp.h"

#include "stack/header/byte_order.h"
#include "stack/header/checksum.h"
#include "stack/header/ip.h"

namespace netstack::header {

namespace {

constexpr size_t kIcmpHeaderLength = 8;
constexpr size_t kQuotedTcpBytes = 8;  // ports and sequence number (RFC 792)

bool is_v4_error(uint8_t type) {
  return type == icmpv4::kDestUnreachable || type == icmpv4::kSourceQuench ||
         type == icmpv4::kRedirect || type == icmpv4::kTimeExceeded ||
         type == icmpv4::kParameterProblem;
}

bool is_v6_error(uint8_t type) {
  return type >= icmpv6::kDestUnreachable && type <= icmpv6::kParameterProblem;
}

// The quoted segment's ports and sequence number.
void read_quoted_tcp(std::span<const uint8_t> tcp, IcmpError& out) {
  out.src_port = load_be16(tcp.data());
  out.dst_port = load_be16(tcp.data() + 2);
  out.seq = load_be32(tcp.data() + 4);
}

}  // namespace

std::optional<IcmpError> parse_icmp_error_v4(std::span<const uint8_t> icmp) {
  if (icmp.size() < kIcmpHeaderLength + kIpv4MinHeaderLength + kQuotedTcpBytes) return std::nullopt;
  if (!is_v4_error(icmp[0])) return std::nullopt;
  if (Checksum().add(icmp).finish() != 0) return std::nullopt;
  const auto quote = icmp.subspan(kIcmpHeaderLength);
  const size_t ihl = size_t{quote[0] & 0x0fu} * 4;
  if (quote[0] >> 4 != 4 || ihl < kIpv4MinHeaderLength || quote[9] != kProtocolTcp ||
      quote.size() < ihl + kQuotedTcpBytes) {
    return std::nullopt;
  }
  IcmpError e;
  e.type = icmp[0];
  e.code = icmp[1];
  if (e.is_packet_too_big()) e.mtu = load_be16(icmp.data() + 6);
  e.src = IpAddress::v4(quote.subspan<12, 4>());
  e.dst = IpAddress::v4(quote.subspan<16, 4>());
  read_quoted_tcp(quote.subspan(ihl), e);
  return e;
}

std::optional<IcmpError> parse_icmp_error_v6(std::span<const uint8_t> icmp, const IpAddress& src,
                                             const IpAddress& dst) {
  if (icmp.size() < kIcmpHeaderLength + kIpv6HeaderLength + kQuotedTcpBytes) return std::nullopt;
  if (!is_v6_error(icmp[0])) return std::nullopt;
  if (pseudo_header(src, dst, kProtocolIcmpv6, static_cast<uint32_t>(icmp.size()))
          .add(icmp)
          .finish() != 0) {
    return std::nullopt;
  }
  const auto quote = icmp.subspan(kIcmpHeaderLength);
  // Extension headers in the quote are not followed (nor are they sent).
  if (quote[0] >> 4 != 6 || quote[6] != kProtocolTcp) return std::nullopt;
  IcmpError e;
  e.v6 = true;
  e.type = icmp[0];
  e.code = icmp[1];
  if (e.is_packet_too_big()) e.mtu = load_be32(icmp.data() + 4);
  e.src = IpAddress::v6(quote.subspan<8, 16>());
  e.dst = IpAddress::v6(quote.subspan<24, 16>());
  read_quoted_tcp(quote.subspan(kIpv6HeaderLength), e);
  return e;
}

std::vector<uint8_t> build_icmp_error(const IcmpErrorPacket& p) {
  const IcmpError& m = p.message;
  const size_t ip_length = m.v6 ? kIpv6HeaderLength : kIpv4MinHeaderLength;
  std::vector<uint8_t> icmp(kIcmpHeaderLength + ip_length + kQuotedTcpBytes);
  icmp[0] = m.type;
  icmp[1] = m.code;
  if (m.is_packet_too_big()) {
    if (m.v6) {
      store_be32(icmp.data() + 4, m.mtu);
    } else {
      store_be16(icmp.data() + 6, static_cast<uint16_t>(m.mtu));
    }
  }
  const std::span<uint8_t> quote = std::span(icmp).subspan(kIcmpHeaderLength);
  if (m.v6) {
    Ipv6Header q;
    q.payload_length = static_cast<uint16_t>(p.quoted_total_length - kIpv6HeaderLength);
    q.src = m.src;
    q.dst = m.dst;
    write_ipv6(quote, q);
  } else {
    Ipv4Header q;
    q.total_length = p.quoted_total_length;
    q.dont_fragment = true;
    q.src = m.src;
    q.dst = m.dst;
    write_ipv4(quote, q);
  }
  uint8_t* tcp = quote.data() + ip_length;
  store_be16(tcp, m.src_port);
  store_be16(tcp + 2, m.dst_port);
  store_be32(tcp + 4, m.seq);
  Checksum sum =
      m.v6 ? pseudo_header(p.from, m.src, kProtocolIcmpv6, static_cast<uint32_t>(icmp.size()))
           : Checksum();
  store_be16(icmp.data() + 2, sum.add(icmp).finish());

  std::vector<uint8_t> packet(ip_length);
  if (m.v6) {
    Ipv6Header ip;
    ip.next_header = kProtocolIcmpv6;
    ip.payload_length = static_cast<uint16_t>(icmp.size());
    ip.src = p.from;
    ip.dst = m.src;
    write_ipv6(packet, ip);
  } else {
    Ipv4Header ip;
    ip.protocol = kProtocolIcmp;
    ip.total_length = static_cast<uint16_t>(ip_length + icmp.size());
    ip.src = p.from;
    ip.dst = m.src;
    write_ipv4(packet, ip);
  }
  packet.insert(packet.end(), icmp.begin(), icmp.end());
  return packet;
}

}  // namespace netstack::header
