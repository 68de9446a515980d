#include "oracle/wire_segment.h"

#include <algorithm>

#include "oracle/connection_internal.h"
#include "stack/header/byte_order.h"
#include "stack/header/checksum.h"
#include "stack/header/icmp.h"
#include "stack/header/ip.h"
#include "stack/header/tcp_options.h"

namespace tcpfuzz::oracle {

// The oracle reads packets with its own code, not the stack's parsers: a
// parser bug must not blind the judge to itself, and the stack's parsers
// carry the fuzz engines' coverage hooks, which the oracle should neither
// pay for nor perturb. The checks are those of the stack's receive path,
// which follows Linux (ip_rcv_core(), ipv6_rcv(), tcp_v4_rcv(),
// tcp_parse_options()).

namespace {

namespace header = netstack::header;
using header::load_be16;
using header::load_be32;
using internal::before;

constexpr size_t kIpv4MinHeader = 20;
constexpr size_t kIpv6Header = 40;
constexpr size_t kTcpMinHeader = 20;
constexpr uint8_t kMaxWindowScale = 14;  // RFC 7323 2.3

struct IpLayer {
  netstack::IpAddress src;
  netstack::IpAddress dst;
  uint8_t protocol = 0;
  std::span<const uint8_t> payload;
};

// The IP header as the stack's receive path takes it: a whole IPv4 header
// with a valid checksum and no fragment, or an IPv6 header (no extension
// headers: the protocol is its Next Header); nothing otherwise.
std::optional<IpLayer> read_ip(std::span<const uint8_t> p) {
  if (p.empty()) return std::nullopt;
  IpLayer ip;
  if (p[0] >> 4 == 4) {
    const size_t header_length = size_t{p[0] & 0x0fu} * 4;
    if (p.size() < kIpv4MinHeader || header_length < kIpv4MinHeader || header_length > p.size()) {
      return std::nullopt;
    }
    const uint16_t total_length = load_be16(&p[2]);
    if (total_length < header_length || total_length > p.size()) return std::nullopt;
    if (header::Checksum().add(p.first(header_length)).folded() != 0xffff) return std::nullopt;
    if ((load_be16(&p[6]) & 0x3fff) != 0) return std::nullopt;  // MF or an offset
    ip.protocol = p[9];
    ip.src = netstack::IpAddress::v4(p.subspan<12, 4>());
    ip.dst = netstack::IpAddress::v4(p.subspan<16, 4>());
    ip.payload = p.subspan(header_length, total_length - header_length);
    return ip;
  }
  if (p[0] >> 4 == 6) {
    if (p.size() < kIpv6Header) return std::nullopt;
    const size_t payload_length = load_be16(&p[4]);
    if (kIpv6Header + payload_length > p.size()) return std::nullopt;
    ip.protocol = p[6];
    ip.src = netstack::IpAddress::v6(p.subspan<8, 16>());
    ip.dst = netstack::IpAddress::v6(p.subspan<24, 16>());
    ip.payload = p.subspan(kIpv6Header, payload_length);
    return ip;
  }
  return std::nullopt;
}

// The right edge of the highest SACK block that is no D-SACK (RFC 2883
// 4: a first block below the ACK or inside the second one is).
void note_sack_edge(std::span<const uint8_t> blocks, WireSegment* s) {
  const size_t count = blocks.size() / 8;
  const auto start = [&](size_t b) { return load_be32(&blocks[b * 8]); };
  const auto end = [&](size_t b) { return load_be32(&blocks[b * 8 + 4]); };
  // Four blocks fit beside no timestamp, three beside one (RFC 2018 3).
  s->sack_full = count >= (s->ts_val ? 3u : 4u);
  const bool dsack = before(start(0), s->ack) ||
                     (count > 1 && !before(start(0), start(1)) && !before(end(1), end(0)));
  for (size_t b = dsack ? 1 : 0; b < count; ++b) {
    if (!s->sack_edge || before(*s->sack_edge, end(b))) s->sack_edge = end(b);
  }
}

// What the oracle needs of the options, read as Linux tcp_parse_options()
// reads them: EOL ends them, a length below 2 or past the end stops the
// walk (keeping what came before), an option of the wrong length is skipped.
void read_options(std::span<const uint8_t> o, WireSegment* s) {
  std::span<const uint8_t> sack_blocks;
  size_t i = 0;
  while (i < o.size()) {
    const uint8_t kind = o[i];
    if (kind == header::tcp_option::kEol) break;
    if (kind == header::tcp_option::kNop) {
      ++i;
      continue;
    }
    if (o.size() - i < 2) break;
    const uint8_t length = o[i + 1];
    if (length < 2 || length > o.size() - i) break;
    const uint8_t* body = &o[i + 2];
    switch (kind) {
      case header::tcp_option::kWindowScale:
        if (length == 3) s->window_scale = std::min(body[0], kMaxWindowScale);
        break;
      case header::tcp_option::kTimestamps:
        if (length == 10) {
          s->ts_val = load_be32(body);
          s->ts_ecr = load_be32(body + 4);
        }
        break;
      case header::tcp_option::kSack:
        if (length >= 10 && (length - 2) % 8 == 0) sack_blocks = {body, size_t{length} - 2};
        break;
      case header::tcp_option::kMd5Signature:
        if (length == 2 + header::kMd5SignatureLength) s->md5 = true;
        break;
      default:
        break;
    }
    i += length;
  }
  if (!sack_blocks.empty()) {
    s->sack = true;
    note_sack_edge(sack_blocks, s);
  }
}

std::optional<WireSegment> read_tcp(std::span<const uint8_t> ip_packet, const IpLayer& ip,
                                    bool verify_checksum) {
  const std::span<const uint8_t> t = ip.payload;
  if (t.size() < kTcpMinHeader) return std::nullopt;
  const size_t header_length = size_t{t[12]} >> 4 << 2;
  if (header_length < kTcpMinHeader || header_length > t.size()) return std::nullopt;
  if (verify_checksum &&
      header::pseudo_header(ip.src, ip.dst, header::kProtocolTcp, static_cast<uint32_t>(t.size()))
              .add(t)
              .folded() != 0xffff) {
    return std::nullopt;
  }
  std::optional<WireSegment> out{std::in_place};
  WireSegment& s = *out;
  s.src = ip.src;
  s.dst = ip.dst;
  s.src_port = load_be16(&t[0]);
  s.dst_port = load_be16(&t[2]);
  s.seq = load_be32(&t[4]);
  s.ack = load_be32(&t[8]);
  s.flags = t[13];
  s.window = load_be16(&t[14]);
  s.payload = static_cast<uint32_t>(t.size() - header_length);
  s.payload_at = static_cast<uint32_t>(t.data() + header_length - ip_packet.data());
  read_options(t.subspan(kTcpMinHeader, header_length - kTcpMinHeader), &s);
  return out;
}

}  // namespace

std::optional<WireSegment> decode_wire_segment(std::span<const uint8_t> ip_packet,
                                               bool verify_checksum) {
  const auto ip = read_ip(ip_packet);
  if (!ip || ip->protocol != header::kProtocolTcp) return std::nullopt;
  return read_tcp(ip_packet, *ip, verify_checksum);
}

bool is_icmp(std::span<const uint8_t> ip_packet) {
  const auto ip = read_ip(ip_packet);
  if (!ip) return false;
  return ip->src.is_v4() ? ip->protocol == header::kProtocolIcmp
                         : ip->protocol == header::kProtocolIcmpv6;
}

}  // namespace tcpfuzz::oracle
