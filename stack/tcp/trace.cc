#include "stack/tcp/trace.h"

namespace netstack::tcp {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::kAccepted:
      return "accepted";
    case Verdict::kOutOfWindow:
      return "out-of-window";
    case Verdict::kChallengeAck:
      return "challenge-ack";
    case Verdict::kResetAccepted:
      return "rst-accepted";
    case Verdict::kResetIgnored:
      return "rst-ignored";
    case Verdict::kBadAck:
      return "bad-ack";
    case Verdict::kAckOfUnsentData:
      return "ack-of-unsent-data";
    case Verdict::kOldAck:
      return "old-ack";
    case Verdict::kPawsRejected:
      return "paws-rejected";
    case Verdict::kNoAck:
      return "no-ack";
    case Verdict::kSynQueued:
      return "syn-queued";
    case Verdict::kSynCookie:
      return "syn-cookie";
    case Verdict::kCookieAccepted:
      return "cookie-accepted";
    case Verdict::kListenDropped:
      return "listen-dropped";
    case Verdict::kDeferredAck:
      return "deferred-ack";
    case Verdict::kTimeWaitReused:
      return "time-wait-reused";
    case Verdict::kNoConnection:
      return "no-connection";
    case Verdict::kDropped:
      return "dropped";
  }
  return "?";
}

std::string_view to_string(TimerKind k) {
  switch (k) {
    case TimerKind::kRetransmit:
      return "retransmit";
    case TimerKind::kDelayedAck:
      return "delayed-ack";
    case TimerKind::kKeepalive:
      return "keepalive";
    case TimerKind::kTimeWait:
      return "time-wait";
    case TimerKind::kFinWait2:
      return "fin-wait-2";
    case TimerKind::kPersist:
      return "persist";
    case TimerKind::kDeferAccept:
      return "defer-accept";
    case TimerKind::kReorder:
      return "reorder";
  }
  return "?";
}

}  // namespace netstack::tcp
