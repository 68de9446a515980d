// IPv4 (RFC 791) and IPv6 (RFC 8200) headers: parse into a decoded struct
// plus the payload it frames, and write back.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "stack/header/address.h"
#include "stack/util/expected.h"

namespace netstack::header {

inline constexpr uint8_t kProtocolTcp = 6;
inline constexpr size_t kIpv4MinHeaderLength = 20;
inline constexpr size_t kIpv4MaxHeaderLength = 60;
inline constexpr size_t kIpv6HeaderLength = 40;

enum class IpError : uint8_t {
  kTruncated,        // shorter than the fixed header
  kBadVersion,       // version nibble is not 4 (resp. 6)
  kBadHeaderLength,  // IHL < 5 or beyond the packet
  kBadTotalLength,   // total/payload length beyond the packet or below the header
  kBadChecksum,      // IPv4 header checksum does not verify
};
std::string_view to_string(IpError e);

struct Ipv4Header {
  uint8_t tos = 0;
  uint16_t total_length = 0;
  uint16_t id = 0;
  bool reserved_flag = false;  // RFC 791's reserved bit, kept so round trips are exact
  bool dont_fragment = false;
  bool more_fragments = false;
  uint16_t fragment_offset = 0;  // in 8-byte units
  uint8_t ttl = 64;
  uint8_t protocol = kProtocolTcp;
  uint16_t checksum = 0;
  IpAddress src;
  IpAddress dst;
  // Raw option bytes (IHL*4 - 20 of them); the stack skips them.
  std::span<const uint8_t> options;

  bool is_fragment() const { return more_fragments || fragment_offset != 0; }
  size_t header_length() const { return kIpv4MinHeaderLength + options.size(); }
  bool operator==(const Ipv4Header& o) const;
};

struct Ipv4Packet {
  Ipv4Header header;
  // Bytes after the header, up to total_length (link padding removed).
  std::span<const uint8_t> payload;
};

// Validates version, IHL, total length and the header checksum.
Expected<Ipv4Packet, IpError> parse_ipv4(std::span<const uint8_t> packet);
// Writes the header (with h.options, which must be a multiple of 4 bytes and
// at most 40) into out and fills in the checksum; returns the header length.
// total_length is taken from h as given.
size_t write_ipv4(std::span<uint8_t> out, const Ipv4Header& h);

struct Ipv6Header {
  uint8_t traffic_class = 0;
  uint32_t flow_label = 0;
  uint16_t payload_length = 0;
  uint8_t next_header = kProtocolTcp;
  uint8_t hop_limit = 64;
  IpAddress src;
  IpAddress dst;
  bool operator==(const Ipv6Header&) const = default;
};

struct Ipv6Packet {
  Ipv6Header header;
  std::span<const uint8_t> payload;
};

Expected<Ipv6Packet, IpError> parse_ipv6(std::span<const uint8_t> packet);
void write_ipv6(std::span<uint8_t> out, const Ipv6Header& h);

// Whether next_header names an IPv6 extension header (RFC 8200 section 4 and
// the IANA registry). The stack does not process them: such packets are
// dropped and counted.
bool is_ipv6_extension_header(uint8_t next_header);

}  // namespace netstack::header
