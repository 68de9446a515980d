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
//
// Call numbers are taken modulo 16 (kClassicCallOpCount), as they always
// were, unless the input starts with an extended marker: then modulo the
// call count of the format version the marker names (kExtendedFormats),
// which reaches the calls added later (TCP_INQ, MSG_ZEROCOPY, epoll, TCP
// Fast Open, urgent data, ...). The marker is a call record that the
// classic decoding runs as a no-op (a read before any connection exists),
// and each version keeps its count, so old corpora keep their meaning.
// encode_binary() writes a marker only when an event needs one, naming the
// oldest version that has every call the input makes.
#pragma once

#include <array>
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
  uint8_t urgent = 0;     // the urgent pointer, when the flags have URG
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
  // The extended calls (after kExtendedMarker).
  kInq,              // setsockopt TCP_INQ (arg & 1)
  kSiocInq,          // ioctl SIOCINQ
  kZerocopy,         // setsockopt SO_ZEROCOPY (arg & 1)
  kSendZerocopy,     // send(arg bytes, MSG_ZEROCOPY)
  kReadErrorQueue,   // recvmsg(MSG_ERRQUEUE)
  kEpollWait,        // epoll_ctl(ADD/MOD, events from arg), then epoll_wait(timeout 0)
  kMark,             // setsockopt SO_MARK (arg)
  kNotSentLowat,     // setsockopt TCP_NOTSENT_LOWAT (arg)
  kTimestamping,     // setsockopt SO_TIMESTAMPING (SOF_TIMESTAMPING_* bits in arg)
  kFastOpenSendto,   // a new socket: sendto(arg bytes, MSG_FASTOPEN)
  kFastOpenConnect,  // a new socket: TCP_FASTOPEN_CONNECT, then connect()
  kFastOpenQueue,    // setsockopt TCP_FASTOPEN (arg % 16) on the listener
  kPoll,             // poll(POLLIN | POLLOUT | POLLPRI, timeout 0)
  // Format version 3.
  kSendOob,    // send(arg bytes, MSG_OOB)
  kRecvOob,    // recv(1, MSG_OOB), with MSG_PEEK when arg is odd
  kAtMark,     // ioctl SIOCATMARK
  kOobInline,  // setsockopt SO_OOBINLINE (arg & 1)
  kSplice,     // splice(arg bytes) into a pipe (made by the first one)
};
inline constexpr uint8_t kClassicCallOpCount = 16;
// The extended formats, oldest first: the tag that ends the marker, and
// how many calls the format has.
struct ExtendedFormat {
  uint8_t tag;
  uint8_t call_ops;
};
inline constexpr std::array<ExtendedFormat, 2> kExtendedFormats{{{'2', 29}, {'3', 34}}};
inline constexpr uint8_t kCallOpCount = kExtendedFormats.back().call_ops;
// The first record of an extended input; its last byte is the format's tag.
inline constexpr std::array<uint8_t, 4> kExtendedMarker{2, 0x83, 'v', kExtendedFormats.back().tag};

struct SocketCall {
  CallOp op = CallOp::kListen;
  uint16_t arg = 0;
};

using BinaryEvent = std::variant<InjectSegment, AdvanceClock, SocketCall>;

std::vector<BinaryEvent> decode_binary(std::span<const uint8_t> bytes);
std::vector<uint8_t> encode_binary(const std::vector<BinaryEvent>& events);
// Bytes encode_binary() writes for one event, opcode included.
size_t encoded_size(const BinaryEvent& e);
// Whether `events` need kExtendedMarker (a call beyond the classic ones).
bool needs_extended_marker(const std::vector<BinaryEvent>& events);

// One line per event, for `tcpfuzz replay`: "inject S. seq+0 ack+1 win 65535
// len 0 <mss,sackOK,TS>", "advance 200 ms", "call write 1000".
std::string describe(const BinaryEvent& e);
std::string_view to_string(CallOp op);

}  // namespace tcpfuzz::scenario
