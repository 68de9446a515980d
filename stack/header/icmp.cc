#include "stack/header/icmp.h"

#include "stack/header/byte_order.h"
#include "stack/header/checksum.h"
#include "stack/header/ip.h"

namespace netstack::header {

namespace {

constexpr size_t kIcmpHeaderLength = 8;
constexpr size_t kQuotedTcpBytes = 8;  // ports and sequence number (RFC 792)

// The quoted segment's ports and sequence number.
void read_quoted_tcp(std::span<const uint8_t> tcp, PacketTooBig& out) {
  out.src_port = load_be16(tcp.data());
  out.dst_port = load_be16(tcp.data() + 2);
  out.seq = load_be32(tcp.data() + 4);
}

}  // namespace

std::optional<PacketTooBig> parse_packet_too_big_v4(std::span<const uint8_t> icmp) {
  if (icmp.size() < kIcmpHeaderLength + kIpv4MinHeaderLength + kQuotedTcpBytes) return std::nullopt;
  if (icmp[0] != 3 || icmp[1] != 4) return std::nullopt;
  if (Checksum().add(icmp).finish() != 0) return std::nullopt;
  const auto quote = icmp.subspan(kIcmpHeaderLength);
  const size_t ihl = size_t{quote[0] & 0x0fu} * 4;
  if (quote[0] >> 4 != 4 || ihl < kIpv4MinHeaderLength || quote[9] != kProtocolTcp ||
      quote.size() < ihl + kQuotedTcpBytes) {
    return std::nullopt;
  }
  PacketTooBig p;
  p.mtu = load_be16(icmp.data() + 6);
  p.src = IpAddress::v4(quote.subspan<12, 4>());
  p.dst = IpAddress::v4(quote.subspan<16, 4>());
  read_quoted_tcp(quote.subspan(ihl), p);
  return p;
}

std::optional<PacketTooBig> parse_packet_too_big_v6(std::span<const uint8_t> icmp,
                                                    const IpAddress& src, const IpAddress& dst) {
  if (icmp.size() < kIcmpHeaderLength + kIpv6HeaderLength + kQuotedTcpBytes) return std::nullopt;
  if (icmp[0] != 2 || icmp[1] != 0) return std::nullopt;
  if (pseudo_header(src, dst, kProtocolIcmpv6, static_cast<uint32_t>(icmp.size()))
          .add(icmp)
          .finish() != 0) {
    return std::nullopt;
  }
  const auto quote = icmp.subspan(kIcmpHeaderLength);
  // Extension headers in the quote are not followed (nor are they sent).
  if (quote[0] >> 4 != 6 || quote[6] != kProtocolTcp) return std::nullopt;
  PacketTooBig p;
  p.mtu = load_be32(icmp.data() + 4);
  p.src = IpAddress::v6(quote.subspan<8, 16>());
  p.dst = IpAddress::v6(quote.subspan<24, 16>());
  read_quoted_tcp(quote.subspan(kIpv6HeaderLength), p);
  return p;
}

}  // namespace netstack::header
