// How the close ends a connection, from the wire (RFC 9293 3.10.7.4 for
// CLOSING, LAST-ACK and TIME-WAIT; Linux tcp_rcv_state_process(),
// tcp_time_wait(), tcp_timewait_state_process(), tcp_done()):
// - the side that closed first (its user's close() or shutdown(SHUT_WR)
//   came before any FIN of the peer's arrived: FIN-WAIT-1, then CLOSING or
//   FIN-WAIT-2) enters TIME-WAIT once its FIN is acknowledged and it has
//   taken the peer's; there, for TCP_TIMEWAIT_LEN, every segment but a bare
//   ACK at RCV.NXT (or a RST, or a SYN that may open anew) draws an ACK;
// - the side that took the peer's FIN first (it had acknowledged it when
//   its user closed: CLOSE-WAIT, then LAST-ACK) is gone once its FIN is
//   acknowledged, and so is TIME-WAIT once it ends: a segment then draws a
//   RST, as to no connection (RFC 9293 3.10.7.1).
// A close between the peer's FIN arriving and the stack acknowledging it
// may be either, and is not judged.
// The oracle judges only once the wire proves the state, with the bounds
// on when it was entered that the wire gives.
#include <algorithm>

#include "oracle/connection_internal.h"

namespace tcpfuzz::oracle {

using namespace internal;
using netstack::Instant;
namespace flag = netstack::header::tcp_flag;

void ConnectionOracle::note_close_sent(const WireSegment& s, Instant at) {
  if (s.has(flag::kRst)) {
    closing_.ended = true;
    return;
  }
  if (!closing_.peer_fin && irs_known_ && s.has(flag::kAck)) {
    // The stack acknowledged one past a FIN of the peer's, and no data was
    // ever offered in the FIN's place: it took that FIN.
    const uint32_t fin = s.ack - 1;
    for (size_t i = 0; i < peer_fin_count_; ++i) {
      if (peer_fins_[i] != fin || stream_.offered(fin - irs_ - 1)) continue;
      closing_.peer_fin = fin;
      closing_.peer_fin_first_at = peer_fins_at_[i];
      closing_.peer_fin_acked_at = at;
      break;
    }
  }
  // The user's call, not the wire's order, then decides the side: a FIN
  // queued in SYN-RECEIVED or behind data may leave after the peer's was taken.
  if (s.has(flag::kFin)) closing_.stack_fin_sent = true;
}

void ConnectionOracle::note_close_call() {
  if (closing_.close_called) return;
  closing_.close_called = true;
  closing_.closed_before_peer_fin = !peer_fin_seen_;
  closing_.closed_after_peer_fin_acked = closing_.peer_fin.has_value();
}

void ConnectionOracle::note_close_arrival(const WireSegment& s, const Arrival& a) {
  if (!closing_.stack_fin_sent || !stack_fin_) return;
  if (s.has(flag::kRst) || s.has(flag::kSyn)) {
    closing_.ended = true;
    return;
  }
  if (!s.has(flag::kAck) || s.ack != *stack_fin_ + 1) return;
  if (!closing_.fin_ack_first_at) closing_.fin_ack_first_at = a.at;
  // Linux tcp_validate_incoming() passes it (tcp_sequence(), PAWS) and
  // tcp_ack() takes it: the stack's FIN is acknowledged.
  const bool taken = a.phase == Phase::kSynchronized && !s.md5 && !a.paws_maybe_old &&
                     !before(s.end(), a.rcv_wup) && !after(s.seq, a.right_edge);
  if (taken && !closing_.fin_ack_taken_at) closing_.fin_ack_taken_at = a.at;
}

bool ConnectionOracle::surely_in_time_wait(Instant at) const {
  if (closing_.ended || !closing_.active() || !closing_.peer_fin || !closing_.fin_ack_taken_at) {
    return false;
  }
  // It entered TIME-WAIT no sooner than both the peer's FIN and an ACK of
  // the stack's FIN arrived; it stays there at least TCP_TIMEWAIT_LEN.
  const Instant earliest = std::max(closing_.peer_fin_first_at, *closing_.fin_ack_first_at);
  return at < earliest + kTimeWait - std::chrono::milliseconds(1);
}

bool ConnectionOracle::surely_gone(Instant at) const {
  if (closing_.ended || !closing_.stack_fin_sent || !closing_.peer_fin ||
      !closing_.fin_ack_taken_at) {
    return false;
  }
  if (closing_.passive()) return true;  // LAST-ACK took the ACK of its FIN
  if (!closing_.active()) return false;
  // TIME-WAIT was entered by the time the stack had acknowledged the peer's
  // FIN and taken the ACK of its own; any segment since may have restarted it.
  const Instant latest =
      std::max({closing_.peer_fin_acked_at, *closing_.fin_ack_taken_at, last_arrival_at_});
  return at > latest + with_timer_slack(kTimeWait);
}

std::optional<Violation> ConnectionOracle::judge_after_close(const Arrival& a, bool acked,
                                                             const WireSegment* rst, bool owed,
                                                             bool owed_unless_limited) const {
  const WireSegment& s = a.segment;
  // A SYN may open a new connection on a listener; a RST draws nothing.
  if (s.has(flag::kRst) || s.has(flag::kSyn) || !s.has(flag::kAck) || s.md5) return std::nullopt;
  if (a.time_wait) {
    // Linux tcp_timewait_state_process(): a bare ACK at RCV.NXT passes in
    // silence; everything else is ACKed, pure ACKs rate-limited.
    const bool bare_at_rcv_nxt = s.seq == a.peer_fin_end && s.logical_length() == 0;
    const bool owes = s.logical_length() > 0 ? owed : owed_unless_limited;
    if (!bare_at_rcv_nxt && owes && (!acked || rst != nullptr)) {
      return violation(
          Rule::kTimeWaitNotKept,
          "the peer sent " + describe(s) +
              " to a connection in TIME-WAIT (its FIN and the peer's both acknowledged, "
              "the stack's first); the stack answered " +
              (rst != nullptr ? describe(*rst) : std::string("nothing")));
    }
  }
  if (a.gone && owed && rst == nullptr) {
    return violation(Rule::kClosedNotReset,
                     "the peer sent " + describe(s) + " after the connection ended (" +
                         (closing_.active() ? "TIME-WAIT over" : "LAST-ACK acknowledged") +
                         "); the stack sent no RST");
  }
  return std::nullopt;
}

}  // namespace tcpfuzz::oracle
