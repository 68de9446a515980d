#include "oracle/rules.h"

namespace tcpfuzz::oracle {

std::string_view to_string(Rule r) {
  switch (r) {
    case Rule::kAckOfUnreceived:
      return "ack-of-unreceived";
    case Rule::kAcceptedUnacceptable:
      return "accepted-unacceptable-data";
    case Rule::kAckWentBack:
      return "ack-went-back";
    case Rule::kWindowShrunk:
      return "window-shrunk";
    case Rule::kSentBeyondPeerWindow:
      return "sent-beyond-peer-window";
    case Rule::kDataOnSynSequence:
      return "data-on-syn-sequence";
    case Rule::kDataAfterFin:
      return "data-after-fin";
    case Rule::kUnacceptableNotAcked:
      return "unacceptable-not-acked";
    case Rule::kRstAnsweredWithRst:
      return "rst-answered-with-rst";
    case Rule::kInWindowRstNotChallenged:
      return "in-window-rst-not-challenged";
    case Rule::kResetWithoutExactRst:
      return "reset-without-exact-rst";
    case Rule::kSynNotChallenged:
      return "syn-not-challenged";
    case Rule::kSynSentBadAckNotReset:
      return "syn-sent-bad-ack-not-reset";
    case Rule::kSynSentNoSynAnswered:
      return "syn-sent-no-syn-answered";
    case Rule::kSynReceivedBadAckNotReset:
      return "syn-received-bad-ack-not-reset";
    case Rule::kReadBeyondReceived:
      return "read-beyond-received";
    case Rule::kEofBeforeData:
      return "eof-before-data";
    case Rule::kOutOfWindowRstAnswered:
      return "out-of-window-rst-answered";
    case Rule::kRefusedWithoutRst:
      return "refused-without-rst";
    case Rule::kAckDelayedTooLong:
      return "ack-delayed-too-long";
    case Rule::kRetransmissionMissing:
      return "retransmission-missing";
    case Rule::kRetransmittedTooEarly:
      return "retransmitted-too-early";
    case Rule::kReadWrongBytes:
      return "read-wrong-bytes";
    case Rule::kTimeWaitNotKept:
      return "time-wait-not-kept";
    case Rule::kClosedNotReset:
      return "closed-not-reset";
    case Rule::kUnsentDataStalled:
      return "unsent-data-stalled";
    case Rule::kKeepaliveMissing:
      return "keepalive-missing";
  }
  return "?";
}

}  // namespace tcpfuzz::oracle
