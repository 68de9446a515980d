#include "props/model/connection_model.h"

namespace tcpfuzz::props {

using netstack::tcp::State;

namespace {

constexpr int64_t kOowRateLimitMs = 500;  // Linux net.ipv4.tcp_invalid_ratelimit

bool synchronized(State s) {
  switch (s) {
    case State::kEstablished:
    case State::kFinWait1:
    case State::kFinWait2:
    case State::kCloseWait:
    case State::kClosing:
    case State::kLastAck:
      return true;
    default:
      return false;  // TIME-WAIT has its own rules (RFC 9293 3.10.7.4, Linux
                     // tcp_timewait_state_process)
  }
}

bool fin_received(State s) {
  return s == State::kCloseWait || s == State::kClosing || s == State::kLastAck;
}

}  // namespace

bool ConnectionModel::covers(SegmentKind kind, Placement placement) const {
  if (!synchronized(state)) return false;
  // Linux turns an orphaned FIN-WAIT-2 into a timewait mini-socket with
  // rules of its own for RST, SYN and bad ACKs (tcp_timewait_state_process()).
  if (state == State::kFinWait2 && user_closed &&
      (kind == SegmentKind::kRst || kind == SegmentKind::kSyn ||
       kind == SegmentKind::kAckOfUnsent)) {
    return false;
  }
  switch (kind) {
    case SegmentKind::kRst:
      // RCV.NXT-1 is acceptable or not depending on unacknowledged data
      // (RCV.WUP), which the model does not track; after the peer's FIN
      // Linux resets on it whatever the window says.
      return placement != Placement::kExactMinusOne || fin_received(state);
    case SegmentKind::kSyn:
    case SegmentKind::kAck:
    case SegmentKind::kData:
      return placement != Placement::kExactMinusOne;
    case SegmentKind::kFin:
      // A FIN at RCV.NXT after the peer's FIN, or out of order, is not modelled.
      if (placement == Placement::kExactMinusOne || placement == Placement::kInWindow) return false;
      return !(placement == Placement::kExact && fin_received(state));
    case SegmentKind::kAckOfUnsent:
      return placement == Placement::kExact;
  }
  return false;
}

Reply ConnectionModel::rate_limited(Reply reply) {
  // Linux tcp_oow_rate_limited(): one such ACK per socket per 500 ms.
  if (last_oow_reply_ms && now_ms - *last_oow_reply_ms < kOowRateLimitMs) {
    return Reply::kSilentDrop;
  }
  last_oow_reply_ms = now_ms;
  return reply;
}

Reply ConnectionModel::receive(SegmentKind kind, Placement placement) {
  const Reply owed = oracle::owed_reply(kind, placement, fin_received(state));
  if (owed == Reply::kResetAccepted) {
    state = State::kClosed;
    return owed;
  }
  if (owed != Reply::kAccept) {
    return oracle::rate_limitable(kind, owed) ? rate_limited(owed) : owed;
  }
  // The segment acknowledges everything the stack sent, its FIN included.
  switch (state) {
    case State::kFinWait1:
      state = State::kFinWait2;
      // Linux tcp_time_wait(): the timewait sock an orphan becomes starts
      // its own out-of-window ACK limit.
      if (user_closed) last_oow_reply_ms.reset();
      break;
    case State::kClosing:
      state = State::kTimeWait;
      return Reply::kAccept;
    case State::kLastAck:
      state = State::kClosed;
      return Reply::kAccept;
    default:
      break;
  }
  if (kind == SegmentKind::kData && user_closed &&
      (state == State::kFinWait1 || state == State::kFinWait2)) {
    // Linux (RFC 1122 4.2.2.13): new data after close() aborts with RST.
    state = State::kClosed;
    return Reply::kReset;
  }
  if (kind == SegmentKind::kData && placement == Placement::kExact &&
      (state == State::kEstablished || state == State::kFinWait1 || state == State::kFinWait2)) {
    unread_data = true;
  }
  if (kind == SegmentKind::kFin) {
    // kExact only (see covers()).
    if (state == State::kEstablished) state = State::kCloseWait;
    if (state == State::kFinWait2) state = State::kTimeWait;
  }
  return Reply::kAccept;
}

void ConnectionModel::close() {
  user_closed = true;
  if (unread_data && state != State::kSynSent) {
    // RFC 2525 2.17 / Linux tcp_close(): unread data aborts with RST.
    state = State::kClosed;
    return;
  }
  switch (state) {
    case State::kEstablished:
      state = State::kFinWait1;
      break;
    case State::kCloseWait:
      state = State::kLastAck;
      break;
    case State::kSynSent:
      state = State::kClosed;
      break;
    default:
      break;
  }
}

}  // namespace tcpfuzz::props
