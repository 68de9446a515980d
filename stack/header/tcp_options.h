// TCP options: parsing as Linux's tcp_parse_options() does, and writing in
// the order and layout Linux's tcp_options_write() uses, because packetdrill
// scripts and real peers expect those bytes.
//
// Malformed input, as Linux treats it (net/ipv4/tcp_input.c):
//   - EOL ends parsing; NOP is one byte.
//   - Any other kind needs a length byte. If no length byte fits, or the
//     length is < 2 ("silly options"), or the length runs past the end of the
//     option space ("partial options"), parsing stops there; options parsed
//     before that point are kept.
//   - A known option with the wrong length is skipped by its length, not
//     used (e.g. MSS with length 3, timestamps with length 8).
//   - An MSS of 0 is ignored as absent; a window scale above 14 is clamped
//     to 14 (RFC 7323 section 2.3, Linux logs and clamps).
//   - SACK blocks: length must be 2 + 8n; n is then at most 4 since the
//     option space is 40 bytes.
//   - Unknown kinds are skipped by their length.
//   - Fast Open (RFC 7413 kind 34, or experimental kind 254 with the magic
//     0xF989; Linux tcp_parse_fastopen_option()): a cookie of 4..16 bytes of
//     even length, or none at all (a cookie request). An odd cookie length is
//     ignored; any other even length (2, or over 16) clears a cookie parsed
//     before it. A kind 254 without the magic is some other experiment.
// Whether an option *counts* (MSS/WS/SACK-permitted only on SYN, SACK only
// when negotiated) is the TCP layer's decision, not the parser's.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace netstack::header {

namespace tcp_option {
inline constexpr uint8_t kEol = 0;
inline constexpr uint8_t kNop = 1;
inline constexpr uint8_t kMss = 2;
inline constexpr uint8_t kWindowScale = 3;
inline constexpr uint8_t kSackPermitted = 4;
inline constexpr uint8_t kSack = 5;
inline constexpr uint8_t kTimestamps = 8;
inline constexpr uint8_t kMd5Signature = 19;   // RFC 2385
inline constexpr uint8_t kFastOpen = 34;       // RFC 7413
inline constexpr uint8_t kExperimental = 254;  // RFC 6994
inline constexpr uint16_t kFastOpenMagic = 0xF989;
}  // namespace tcp_option

inline constexpr uint8_t kMaxWindowScale = 14;  // RFC 7323 section 2.3
inline constexpr size_t kMaxSackBlocks = 4;

struct SackBlock {
  uint32_t start = 0;  // first sequence number of the block
  uint32_t end = 0;    // one past the last
  bool operator==(const SackBlock&) const = default;
};

struct Timestamps {
  uint32_t value = 0;
  uint32_t echo_reply = 0;
  bool operator==(const Timestamps&) const = default;
};

// A Fast Open cookie: empty is a cookie request (RFC 7413 4.1.1).
struct FastOpenCookie {
  static constexpr size_t kMinLength = 4;   // Linux TCP_FASTOPEN_COOKIE_MIN
  static constexpr size_t kMaxLength = 16;  // Linux TCP_FASTOPEN_COOKIE_MAX
  std::array<uint8_t, kMaxLength> bytes{};
  uint8_t length = 0;
  bool experimental = false;  // sent as kind 254 with the magic

  std::span<const uint8_t> value() const { return {bytes.data(), length}; }
  bool operator==(const FastOpenCookie&) const = default;
};

// RFC 2385: the MD5 digest the option carries.
inline constexpr size_t kMd5SignatureLength = 16;

struct TcpOptions {
  std::optional<uint16_t> mss;
  std::optional<uint8_t> window_scale;
  bool sack_permitted = false;
  std::optional<Timestamps> timestamps;
  std::array<SackBlock, kMaxSackBlocks> sack_blocks{};
  uint8_t sack_block_count = 0;
  std::optional<FastOpenCookie> fast_open;
  // RFC 2385 MD5 signature (kind 19, length 18; Linux tcp_parse_md5sig_option()
  // takes no other length). Parsed only: this stack holds no keys.
  std::optional<std::array<uint8_t, kMd5SignatureLength>> md5_signature;

  std::span<const SackBlock> sacks() const { return {sack_blocks.data(), sack_block_count}; }
  void add_sack(SackBlock b) {
    if (sack_block_count < kMaxSackBlocks) sack_blocks[sack_block_count++] = b;
  }
  bool operator==(const TcpOptions& o) const;
};

// Never fails: malformed options end parsing as described above.
TcpOptions parse_tcp_options(std::span<const uint8_t> bytes);

// Bytes write_tcp_options() needs for these options (a multiple of 4).
size_t tcp_options_size(const TcpOptions& opts);

// Writes opts in Linux's layout:
//   MSS; SACK-permitted+TS, or NOP NOP TS, or NOP NOP SACK-permitted;
//   NOP WS; NOP NOP SACK blocks; Fast Open (NOP NOP after a cookie whose
//   option length is 2 mod 4, Linux tcp_options_write()).
// Returns the bytes written, or nullopt (nothing written) when they do not
// fit in out or in the 40-byte option space.
std::optional<size_t> write_tcp_options(std::span<uint8_t> out, const TcpOptions& opts);

}  // namespace netstack::header
