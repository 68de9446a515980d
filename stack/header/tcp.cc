#include "stack/header/tcp.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "stack/header/byte_order.h"
#include "stack/header/checksum.h"
#include "stack/header/ip.h"

namespace netstack::header {

std::string flags_to_string(uint8_t flags) {
  // packetdrill prints flags in tcpdump 4.1.1's order: F S R P . U E W.
  std::string s;
  if ((flags & tcp_flag::kFin) != 0) s += 'F';
  if ((flags & tcp_flag::kSyn) != 0) s += 'S';
  if ((flags & tcp_flag::kRst) != 0) s += 'R';
  if ((flags & tcp_flag::kPsh) != 0) s += 'P';
  if ((flags & tcp_flag::kAck) != 0) s += '.';
  if ((flags & tcp_flag::kUrg) != 0) s += 'U';
  if ((flags & tcp_flag::kEce) != 0) s += 'E';
  if ((flags & tcp_flag::kCwr) != 0) s += 'W';
  return s;
}

std::string_view to_string(TcpError e) {
  switch (e) {
    case TcpError::kTruncated:
      return "truncated";
    case TcpError::kBadDataOffset:
      return "bad data offset";
  }
  return "?";
}

bool TcpHeader::operator==(const TcpHeader& o) const {
  return src_port == o.src_port && dst_port == o.dst_port && seq == o.seq && ack == o.ack &&
         flags == o.flags && window == o.window && checksum == o.checksum && urgent == o.urgent &&
         reserved == o.reserved && std::ranges::equal(options, o.options);
}

Expected<TcpSegment, TcpError> parse_tcp(std::span<const uint8_t> p) {
  if (p.size() < kTcpMinHeaderLength) return Unexpected{TcpError::kTruncated};
  const size_t header_length = size_t{p[12]} >> 4 << 2;
  if (header_length < kTcpMinHeaderLength || header_length > p.size()) {
    return Unexpected{TcpError::kBadDataOffset};
  }
  TcpSegment out;
  TcpHeader& h = out.header;
  h.src_port = load_be16(&p[0]);
  h.dst_port = load_be16(&p[2]);
  h.seq = load_be32(&p[4]);
  h.ack = load_be32(&p[8]);
  h.reserved = p[12] & 0x0f;
  h.flags = p[13];
  h.window = load_be16(&p[14]);
  h.checksum = load_be16(&p[16]);
  h.urgent = load_be16(&p[18]);
  h.options = p.subspan(kTcpMinHeaderLength, header_length - kTcpMinHeaderLength);
  out.payload = p.subspan(header_length);
  return out;
}

size_t write_tcp(std::span<uint8_t> out, const TcpHeader& h) {
  const size_t len = h.header_length();
  assert(h.options.size() % 4 == 0 && len <= kTcpMaxHeaderLength && out.size() >= len);
  store_be16(&out[0], h.src_port);
  store_be16(&out[2], h.dst_port);
  store_be32(&out[4], h.seq);
  store_be32(&out[8], h.ack);
  out[12] = static_cast<uint8_t>(len / 4 << 4 | (h.reserved & 0x0f));
  out[13] = h.flags;
  store_be16(&out[14], h.window);
  store_be16(&out[16], h.checksum);
  store_be16(&out[18], h.urgent);
  if (!h.options.empty()) std::memcpy(&out[20], h.options.data(), h.options.size());
  return len;
}

uint16_t tcp_checksum(std::span<const uint8_t> segment, const IpAddress& src,
                      const IpAddress& dst) {
  Checksum c = pseudo_header(src, dst, kProtocolTcp, static_cast<uint32_t>(segment.size()));
  c.add(segment.first(16)).add16(0).add(segment.subspan(18));
  return c.finish();
}

void fill_tcp_checksum(std::span<uint8_t> segment, const IpAddress& src, const IpAddress& dst) {
  store_be16(&segment[16], tcp_checksum(segment, src, dst));
}

bool verify_tcp_checksum(std::span<const uint8_t> segment, const IpAddress& src,
                         const IpAddress& dst) {
  if (segment.size() < kTcpMinHeaderLength) return false;
  const uint16_t folded =
      pseudo_header(src, dst, kProtocolTcp, static_cast<uint32_t>(segment.size()))
          .add(segment)
          .folded();
  return folded == 0xffff;
}

}  // namespace netstack::header
