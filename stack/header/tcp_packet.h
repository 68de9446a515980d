// Builds a complete IPv4 or IPv6 packet carrying one TCP segment, checksums
// filled in. The TCP layer sends through it; tests, scripts and fuzz
// harnesses use it to make the packets they inject.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "stack/buffer/view.h"
#include "stack/header/address.h"
#include "stack/header/tcp.h"
#include "stack/header/tcp_options.h"

namespace netstack::header {

struct TcpPacketSpec {
  IpAddress src;  // both v4 or both v6
  IpAddress dst;
  uint8_t ttl = 64;  // hop limit for IPv6
  uint8_t tos = 0;   // traffic class for IPv6
  uint16_t ip_id = 0;
  bool dont_fragment = true;  // Linux sets DF on TCP (path MTU discovery)
  // Ports, numbers, flags, window, urgent; options/checksum here are ignored.
  TcpHeader tcp;
  TcpOptions options;
  // Raw option bytes used instead of `options` when set (padded with EOL to a
  // multiple of 4, cut at 40): lets fuzzers and tests send malformed options.
  std::optional<std::span<const uint8_t>> raw_options;
  std::span<const uint8_t> payload;
  // Leave the TCP checksum wrong on purpose (tests of the receive checks).
  bool corrupt_checksum = false;
};

View build_tcp_packet(const TcpPacketSpec& spec);

// Rewrites the IPv4 header checksum and the TCP checksum of a raw IPv4 or
// IPv6 packet, wherever its headers are complete enough to hold them (the
// TCP checksum covers the segment up to the IP length or the end of the
// bytes, whichever comes first). Fuzzers use it so that mutated packets get
// past the checksum checks unless they mean not to.
void recompute_checksums(std::span<uint8_t> packet);

}  // namespace netstack::header
