#include "oracle/reply_model.h"

namespace tcpfuzz::oracle {

namespace {

// RFC 9293 3.10.7.4 acceptability, as Linux tcp_sequence() applies it.
bool acceptable(Placement p) {
  return p == Placement::kExact || p == Placement::kInWindow;
}

bool occupies_sequence_space(SegmentKind kind) {
  return kind == SegmentKind::kData || kind == SegmentKind::kFin;
}

}  // namespace

std::string_view to_string(Placement p) {
  switch (p) {
    case Placement::kExact:
      return "RCV.NXT";
    case Placement::kExactMinusOne:
      return "RCV.NXT-1";
    case Placement::kInWindow:
      return "in the window";
    case Placement::kBeyondWindow:
      return "beyond the window";
    case Placement::kOld:
      return "old";
    case Placement::kWrapped:
      return "2^31 away";
  }
  return "?";
}

std::string_view to_string(SegmentKind k) {
  switch (k) {
    case SegmentKind::kRst:
      return "RST";
    case SegmentKind::kSyn:
      return "SYN";
    case SegmentKind::kAck:
      return "ACK";
    case SegmentKind::kData:
      return "data";
    case SegmentKind::kFin:
      return "FIN";
    case SegmentKind::kAckOfUnsent:
      return "ACK of unsent data";
  }
  return "?";
}

std::string_view to_string(Reply r) {
  switch (r) {
    case Reply::kAccept:
      return "accept";
    case Reply::kResetAccepted:
      return "reset accepted";
    case Reply::kAckAndDrop:
      return "ACK and drop";
    case Reply::kChallengeAck:
      return "challenge ACK";
    case Reply::kReset:
      return "RST";
    case Reply::kSilentDrop:
      return "silent drop";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& o, Reply r) {
  return o << to_string(r);
}

Reply owed_reply(SegmentKind kind, Placement placement, bool peer_fin_taken) {
  if (kind == SegmentKind::kRst) {
    // RFC 5961 3.2: reset on an exact match only, challenge in the window,
    // silence outside it (RFC 9293 3.10.7.4 first); Linux tcp_reset_check()
    // also resets on RCV.NXT-1 once the FIN is in.
    if (placement == Placement::kExact ||
        (placement == Placement::kExactMinusOne && peer_fin_taken)) {
      return Reply::kResetAccepted;
    }
    return placement == Placement::kInWindow ? Reply::kChallengeAck : Reply::kSilentDrop;
  }
  // RFC 5961 4.2: a SYN, in the window or not (Linux), draws a challenge ACK.
  if (kind == SegmentKind::kSyn) return Reply::kChallengeAck;
  // RFC 9293 3.10.7.4 first: an unacceptable segment is ACKed and dropped.
  if (!acceptable(placement)) return Reply::kAckAndDrop;
  // RFC 5961 5.2 (Linux 6.x): an ACK of data never sent is challenged.
  if (kind == SegmentKind::kAckOfUnsent) return Reply::kChallengeAck;
  return Reply::kAccept;
}

bool rate_limitable(SegmentKind kind, Reply reply) {
  // Linux tcp_oow_rate_limited(): one such ACK per socket per 500 ms, but
  // a segment that occupies sequence space is always answered.
  if (reply == Reply::kChallengeAck) return true;
  return reply == Reply::kAckAndDrop && !occupies_sequence_space(kind);
}

}  // namespace tcpfuzz::oracle
