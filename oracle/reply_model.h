// The reply model: what a synchronized connection (ESTABLISHED through
// LAST-ACK; TIME-WAIT has rules of its own) owes a peer's segment, by its
// kind and where its sequence number falls (RFC 9293 3.10.7.4, RFC 5961,
// Linux where they leave a choice). One table for everything that judges
// replies: the reference oracle (connection_oracle.cc), stepped in every
// fuzz execution, and the connection model of the property suites
// (props/model/), which adds the state each segment leads to.
#pragma once

#include <cstdint>
#include <ostream>
#include <string_view>

namespace tcpfuzz::oracle {

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

// What the peer sends. All but kAckOfUnsent (acks beyond SND.MAX) and
// kRst/kSyn (bare) carry an acceptable ACK.
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

// The reply owed before Linux's out-of-window rate limit; `peer_fin_taken`
// when the connection took the peer's FIN (CLOSE-WAIT, CLOSING, LAST-ACK).
Reply owed_reply(SegmentKind kind, Placement placement, bool peer_fin_taken);
// Whether Linux's tcp_oow_rate_limited() may turn `reply` into silence.
bool rate_limitable(SegmentKind kind, Reply reply);

}  // namespace tcpfuzz::oracle
