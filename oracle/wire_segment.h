// WireSegment: one TCP segment as it crossed the wire, decoded from its IP
// packet. The oracle knows nothing else of a segment: no verdict, no state.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "stack/header/address.h"
#include "stack/header/tcp.h"

namespace tcpfuzz::oracle {

struct WireSegment {
  netstack::IpAddress src;
  netstack::IpAddress dst;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t flags = 0;
  uint16_t window = 0;
  std::optional<uint8_t> window_scale;  // clamped to 14, as every receiver does
  std::optional<uint32_t> ts_val;
  std::optional<uint32_t> ts_ecr;
  uint32_t payload = 0;     // bytes of data
  uint32_t payload_at = 0;  // where they start in the IP packet
  // Carries a TCP-MD5 signature (RFC 2385): a host without the key drops
  // it before TCP sees it (Linux tcp_inbound_md5_hash()), except in TIME-WAIT.
  bool md5 = false;
  bool sack = false;  // carries SACK blocks (D-SACK included)
  // The right edge of the highest SACK block that is no D-SACK (RFC 2883
  // 4: a first block below the ACK or inside the second one is), and
  // whether the option held as many blocks as fit (so the receiver may
  // keep one it left out).
  std::optional<uint32_t> sack_edge;
  bool sack_full = false;

  bool has(uint8_t flag) const { return (flags & flag) != 0; }
  // RFC 9293 3.3: SYN and FIN each occupy one sequence number.
  uint32_t logical_length() const {
    return payload + (has(netstack::header::tcp_flag::kSyn) ? 1u : 0u) +
           (has(netstack::header::tcp_flag::kFin) ? 1u : 0u);
  }
  uint32_t end() const { return seq + logical_length(); }
};

// The TCP segment in `ip_packet` (IPv4 or IPv6), or nothing when the stack
// would not see one there either: not TCP, truncated, a fragment, or a bad
// IP or TCP checksum. `verify_checksum` false skips the TCP checksum (the
// host's own packets: the costliest step, and the stack always fills it in).
std::optional<WireSegment> decode_wire_segment(std::span<const uint8_t> ip_packet,
                                               bool verify_checksum = true);

// Whether `ip_packet` is a well-formed ICMP (IPv4) or ICMPv6 packet.
bool is_icmp(std::span<const uint8_t> ip_packet);

}  // namespace tcpfuzz::oracle
