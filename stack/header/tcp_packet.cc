#include "stack/header/tcp_packet.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>

#include "stack/header/byte_order.h"
#include "stack/header/checksum.h"
#include "stack/header/ip.h"

namespace netstack::header {

View build_tcp_packet(const TcpPacketSpec& spec) {
  assert(spec.src.family() == spec.dst.family() && spec.src.family() != IpAddress::Family::kNone);
  std::array<uint8_t, kTcpMaxOptionsLength> options{};
  size_t options_length;
  if (spec.raw_options) {
    options_length = std::min(spec.raw_options->size(), kTcpMaxOptionsLength);
    if (options_length > 0) std::memcpy(options.data(), spec.raw_options->data(), options_length);
  } else {
    options_length = write_tcp_options(options, spec.options).value_or(0);
  }
  options_length = (options_length + 3) & ~size_t{3};

  const bool v4 = spec.src.is_v4();
  const size_t ip_length = v4 ? kIpv4MinHeaderLength : kIpv6HeaderLength;
  const size_t tcp_length = kTcpMinHeaderLength + options_length + spec.payload.size();
  View packet = View::allocate(ip_length + tcp_length);
  std::span<uint8_t> out = packet.mutable_bytes();

  if (v4) {
    Ipv4Header ip;
    ip.tos = spec.tos;
    ip.total_length = static_cast<uint16_t>(ip_length + tcp_length);
    ip.id = spec.ip_id;
    ip.dont_fragment = spec.dont_fragment;
    ip.ttl = spec.ttl;
    ip.src = spec.src;
    ip.dst = spec.dst;
    write_ipv4(out, ip);
  } else {
    Ipv6Header ip;
    ip.traffic_class = spec.tos;
    ip.payload_length = static_cast<uint16_t>(tcp_length);
    ip.hop_limit = spec.ttl;
    ip.src = spec.src;
    ip.dst = spec.dst;
    write_ipv6(out, ip);
  }

  std::span<uint8_t> segment = out.subspan(ip_length);
  TcpHeader tcp = spec.tcp;
  tcp.options = std::span<const uint8_t>(options.data(), options_length);
  tcp.checksum = 0;
  const size_t header_length = write_tcp(segment, tcp);
  if (!spec.payload.empty()) {
    std::memcpy(&segment[header_length], spec.payload.data(), spec.payload.size());
  }
  fill_tcp_checksum(segment, spec.src, spec.dst);
  if (spec.corrupt_checksum) segment[17] ^= 0x5a;
  return packet;
}

namespace {

constexpr size_t kTcpChecksumOffset = 16;

void recompute_tcp_checksum(std::span<uint8_t> segment, const IpAddress& src,
                            const IpAddress& dst) {
  if (segment.size() < kTcpChecksumOffset + 2) return;
  store_be16(&segment[kTcpChecksumOffset], 0);
  const uint16_t sum = pseudo_header(src, dst, kProtocolTcp, static_cast<uint32_t>(segment.size()))
                           .add(segment)
                           .finish();
  store_be16(&segment[kTcpChecksumOffset], sum);
}

}  // namespace

void recompute_checksums(std::span<uint8_t> packet) {
  if (packet.empty()) return;
  const uint8_t version = packet[0] >> 4;
  if (version == 4 && packet.size() >= kIpv4MinHeaderLength) {
    const size_t header_length = size_t{packet[0] & 0x0fU} * 4;
    if (header_length < kIpv4MinHeaderLength || header_length > packet.size()) return;
    constexpr size_t kChecksumOffset = 10;
    store_be16(&packet[kChecksumOffset], 0);
    store_be16(&packet[kChecksumOffset], Checksum().add(packet.first(header_length)).finish());
    if (packet[9] != kProtocolTcp) return;
    const size_t end = std::min<size_t>(load_be16(&packet[2]), packet.size());
    if (end <= header_length) return;
    recompute_tcp_checksum(packet.subspan(header_length, end - header_length),
                           IpAddress::v4(packet.subspan<12, 4>()),
                           IpAddress::v4(packet.subspan<16, 4>()));
  } else if (version == 6 && packet.size() >= kIpv6HeaderLength && packet[6] == kProtocolTcp) {
    const size_t end = std::min<size_t>(kIpv6HeaderLength + load_be16(&packet[4]), packet.size());
    recompute_tcp_checksum(packet.subspan(kIpv6HeaderLength, end - kIpv6HeaderLength),
                           IpAddress::v6(packet.subspan<8, 16>()),
                           IpAddress::v6(packet.subspan<24, 16>()));
  }
}

}  // namespace netstack::header
