// A model of one TCP connection as RFC 9293, RFC 5961 and Linux (where the
// RFCs leave a choice) say it behaves: its abstract state, and for each
// segment the peer may send, the class of reply and the next state. It
// knows no sequence numbers: a segment is described by where it falls
// relative to the receive window, which the property realises on the live
// connection.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string_view>

#include "stack/tcp/state.h"

namespace tcpfuzz::props {

// Where a segment's sequence number falls.
enum class Placement : uint8_t {
  kExact,          // RCV.NXT
  kExactMinusOne,  // RCV.NXT - 1
  kInWindow,       // strictly inside (RCV.NXT, RCV.NXT + RCV.WND]
  kBeyondWindow,   // past the right edge
  kOld,            // far to the left (an old duplicate)
  kWrapped,        // half the sequence space away
};
inline constexpr uint8_t kPlacementCount = 6;
std::string_view to_string(Placement p);

// What the peer sends in a synchronized state. Every one carries ACK of
// everything the stack sent, except kAckOfUnsent (acks beyond SND.MAX) and
// kRst/kSyn (bare).
enum class SegmentKind : uint8_t { kRst, kSyn, kAck, kData, kFin, kAckOfUnsent };
inline constexpr uint8_t kSegmentKindCount = 6;
std::string_view to_string(SegmentKind k);

// The class of the stack's reply.
enum class Reply : uint8_t {
  kAccept,         // processed (the ACK it owes may be delayed)
  kResetAccepted,  // a RST that ends the connection
  kAckAndDrop,     // dropped, answered with an ACK
  kChallengeAck,   // RFC 5961 challenge ACK
  kReset,          // answered with a RST
  kSilentDrop,     // dropped without a word (also: a rate-limited ACK)
};
std::string_view to_string(Reply r);
std::ostream& operator<<(std::ostream& o, Reply r);

struct ConnectionModel {
  netstack::tcp::State state = netstack::tcp::State::kClosed;
  bool user_closed = false;  // close() was called
  bool unread_data = false;  // in-order data the application has not read
  int64_t now_ms = 0;
  // When the stack last answered an out-of-window segment or sent a
  // challenge ACK (Linux's per-socket tcp_invalid_ratelimit, 500 ms).
  std::optional<int64_t> last_oow_reply_ms;

  // Whether the model covers `kind` at `placement` in the current state.
  bool covers(SegmentKind kind, Placement placement) const;
  // The reply to the segment, updating the model (state, rate limit).
  Reply receive(SegmentKind kind, Placement placement);
  // close() in a synchronized state or SYN-SENT.
  void close();
  void read_all() { unread_data = false; }
  void advance(int64_t ms) { now_ms += ms; }

 private:
  // An ACK that only the rate limit may suppress: kind `reply`, or silence.
  Reply rate_limited(Reply reply);
};

}  // namespace tcpfuzz::props
