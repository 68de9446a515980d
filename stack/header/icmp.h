// The ICMP messages path MTU discovery acts on: IPv4 "fragmentation needed
// and DF set" (RFC 792 type 3 code 4, with RFC 1191's next-hop MTU) and
// ICMPv6 "packet too big" (RFC 4443 3.2). Each quotes the start of the
// packet that did not fit; the quote names the connection and the sequence
// number that was sent.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "stack/header/address.h"

namespace netstack::header {

inline constexpr uint8_t kProtocolIcmp = 1;
inline constexpr uint8_t kProtocolIcmpv6 = 58;

struct PacketTooBig {
  uint32_t mtu = 0;
  // The quoted TCP segment, as we sent it.
  IpAddress src;
  IpAddress dst;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
};

// `icmp` is the ICMP message (the IP payload). nullopt for any other message,
// a bad checksum, or a quote that is not a TCP segment of the same family.
std::optional<PacketTooBig> parse_packet_too_big_v4(std::span<const uint8_t> icmp);
// `src` and `dst` are the outer header's, for ICMPv6's pseudo-header checksum.
std::optional<PacketTooBig> parse_packet_too_big_v6(std::span<const uint8_t> icmp,
                                                    const IpAddress& src, const IpAddress& dst);

}  // namespace netstack::header
