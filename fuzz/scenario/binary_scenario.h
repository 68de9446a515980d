// The binary scenario encoding fuzzers mutate: compact events whose segment
// numbers are relative to the live connection, so random bytes land in the
// window often enough to reach deep states.
//
// An input is a sequence of records, each an opcode byte and a fixed body:
//   0 inject (11 bytes): flags, seq delta (i16), ack delta (i16), window (u16),
//     payload length (u8), options (u8 bits: 1 MSS, 2 WS, 4 SACK-perm, 8 TS,
//     16 SACK block), mode (u8: bit 0 = seq/ack absolute from the deltas)
//   1 advance (2 bytes): milliseconds of fake time (u16)
//   2 call (3 bytes): socket call (u8, see CallOp), argument (u16)
// Opcodes are taken modulo 3; a truncated last record is ignored, so every
// byte string decodes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tcpfuzz::scenario {

struct InjectSegment {
  uint8_t flags = 0;
  int16_t seq_delta = 0;  // from the peer's next sequence number
  int16_t ack_delta = 0;  // from the stack's highest sequence number sent
  uint16_t window = 0;
  uint8_t payload = 0;
  uint8_t options = 0;
  bool absolute = false;  // deltas are taken as absolute (small) numbers
};

struct AdvanceClock {
  uint16_t ms = 0;
};

enum class CallOp : uint8_t {
  kListen,
  kConnect,
  kAccept,
  kRead,
  kWrite,
  kShutdownWrite,
  kShutdownRead,
  kClose,
  kAbort,
  kNoDelay,
  kKeepAlive,
  kUserTimeout,
  kLinger2,
  kLingerZero,
  kRcvBuf,
  kCork,
};
inline constexpr uint8_t kCallOpCount = 16;

struct SocketCall {
  CallOp op = CallOp::kListen;
  uint16_t arg = 0;
};

using BinaryEvent = std::variant<InjectSegment, AdvanceClock, SocketCall>;

std::vector<BinaryEvent> decode_binary(std::span<const uint8_t> bytes);
std::vector<uint8_t> encode_binary(const std::vector<BinaryEvent>& events);
// Bytes encode_binary() writes for one event, opcode included.
size_t encoded_size(const BinaryEvent& e);

// One line per event, for `tcpfuzz replay`: "inject S. seq+0 ack+1 win 65535
// len 0 <mss,sackOK,TS>", "advance 200 ms", "call write 1000".
std::string describe(const BinaryEvent& e);
std::string_view to_string(CallOp op);

}  // namespace tcpfuzz::scenario
