// ICMP error messages about a TCP segment we sent: IPv4 destination
// unreachable (RFC 792 type 3, with RFC 1191's next-hop MTU for code 4
// "fragmentation needed and DF set"), time exceeded, parameter problem,
// source quench, redirect, and ICMPv6's counterparts (RFC 4443: destination
// unreachable, packet too big, time exceeded, parameter problem). Each
// quotes the start of the packet it is about; the quote names the
// connection and the sequence number that was sent.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "stack/header/address.h"

namespace netstack::header {

inline constexpr uint8_t kProtocolIcmp = 1;
inline constexpr uint8_t kProtocolIcmpv6 = 58;

// ICMPv4 types and the destination unreachable codes (RFC 792, RFC 1812).
namespace icmpv4 {
inline constexpr uint8_t kDestUnreachable = 3;
inline constexpr uint8_t kSourceQuench = 4;
inline constexpr uint8_t kRedirect = 5;
inline constexpr uint8_t kTimeExceeded = 11;
inline constexpr uint8_t kParameterProblem = 12;
inline constexpr uint8_t kNetUnreachable = 0;
inline constexpr uint8_t kHostUnreachable = 1;
inline constexpr uint8_t kFragmentationNeeded = 4;
inline constexpr uint8_t kLastUnreachableCode = 15;  // precedence cutoff
}  // namespace icmpv4

// ICMPv6 error types (RFC 4443 2.1).
namespace icmpv6 {
inline constexpr uint8_t kDestUnreachable = 1;
inline constexpr uint8_t kPacketTooBig = 2;
inline constexpr uint8_t kTimeExceeded = 3;
inline constexpr uint8_t kParameterProblem = 4;
}  // namespace icmpv6

// A parsed ICMP error quoting a TCP segment.
struct IcmpError {
  bool v6 = false;
  uint8_t type = 0;
  uint8_t code = 0;
  // The next-hop MTU of IPv4 "fragmentation needed" and ICMPv6 "packet too
  // big"; 0 for the others.
  uint32_t mtu = 0;
  // The quoted TCP segment, as we sent it.
  IpAddress src;
  IpAddress dst;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;

  bool is_packet_too_big() const {
    return v6 ? type == icmpv6::kPacketTooBig
              : type == icmpv4::kDestUnreachable && code == icmpv4::kFragmentationNeeded;
  }
};

// `icmp` is the ICMP message (the IP payload). nullopt for messages that
// are not errors, a bad checksum, or a quote that is not a TCP segment of
// the same family.
std::optional<IcmpError> parse_icmp_error_v4(std::span<const uint8_t> icmp);
// `src` and `dst` are the outer header's, for ICMPv6's pseudo-header checksum.
std::optional<IcmpError> parse_icmp_error_v6(std::span<const uint8_t> icmp, const IpAddress& src,
                                             const IpAddress& dst);

// An ICMP error as a router or host would send it: from `from` to the
// quoted segment's source, quoting its IP header (total length
// `quoted_total_length`) and first eight TCP bytes (RFC 792). The whole IP
// packet, checksums filled in.
struct IcmpErrorPacket {
  IpAddress from;
  IcmpError message;
  uint16_t quoted_total_length = 0;
};
std::vector<uint8_t> build_icmp_error(const IcmpErrorPacket& p);

}  // namespace netstack::header
