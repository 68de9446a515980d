// The TCP header (RFC 9293 section 3.1): parse, write, checksum.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "stack/header/address.h"
#include "stack/util/expected.h"

namespace netstack::header {

inline constexpr size_t kTcpMinHeaderLength = 20;
inline constexpr size_t kTcpMaxHeaderLength = 60;
inline constexpr size_t kTcpMaxOptionsLength = kTcpMaxHeaderLength - kTcpMinHeaderLength;

namespace tcp_flag {
inline constexpr uint8_t kFin = 0x01;
inline constexpr uint8_t kSyn = 0x02;
inline constexpr uint8_t kRst = 0x04;
inline constexpr uint8_t kPsh = 0x08;
inline constexpr uint8_t kAck = 0x10;
inline constexpr uint8_t kUrg = 0x20;
inline constexpr uint8_t kEce = 0x40;
inline constexpr uint8_t kCwr = 0x80;
}  // namespace tcp_flag

// Flags in packetdrill's notation ("S.", "F.", "R", "P.", ...).
std::string flags_to_string(uint8_t flags);

enum class TcpError : uint8_t {
  kTruncated,      // shorter than 20 bytes
  kBadDataOffset,  // data offset < 5 words or beyond the segment
};
std::string_view to_string(TcpError e);

struct TcpHeader {
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t flags = 0;
  uint16_t window = 0;
  uint16_t checksum = 0;
  uint16_t urgent = 0;
  // Raw option bytes, a multiple of 4 and at most 40 long (see tcp_options.h).
  std::span<const uint8_t> options;
  // The 4 reserved bits between data offset and flags (RFC 9293: must be
  // zero when sent, ignored when received; kept so round trips are exact).
  uint8_t reserved = 0;

  size_t header_length() const { return kTcpMinHeaderLength + options.size(); }
  bool has(uint8_t flag) const { return (flags & flag) != 0; }
  bool operator==(const TcpHeader& o) const;
};

struct TcpSegment {
  TcpHeader header;
  std::span<const uint8_t> payload;
};

Expected<TcpSegment, TcpError> parse_tcp(std::span<const uint8_t> segment);

// Writes header and options into out (which must hold header_length() bytes);
// the checksum field is written as h.checksum. Returns the header length.
size_t write_tcp(std::span<uint8_t> out, const TcpHeader& h);

// The checksum over pseudo-header, header (checksum field as zero) and payload.
uint16_t tcp_checksum(std::span<const uint8_t> segment, const IpAddress& src, const IpAddress& dst);
// Computes the checksum of a complete segment and stores it in place.
void fill_tcp_checksum(std::span<uint8_t> segment, const IpAddress& src, const IpAddress& dst);
bool verify_tcp_checksum(std::span<const uint8_t> segment, const IpAddress& src,
                         const IpAddress& dst);

}  // namespace netstack::header
