// Linux's timewait sock (tcp_time_wait(), tcp_timewait_state_process()).
// TIME-WAIT (RFC 9293 3.10.7.4 and 3.6): the connection that closed first
// keeps its 4-tuple for 2*MSL, ACKs retransmitted FINs, lets a RST end it
// (RFC 1337, as Linux with tcp_rfc1337=0), and lets a newer SYN reopen the
// 4-tuple through a matching listener. An orphaned FIN-WAIT-2 waits for the
// peer's FIN the same way, with tcp_rcv_state_process()'s checks redone on
// the little the timewait sock keeps.
#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

using namespace header::tcp_flag;

void Endpoint::enter_time_wait(std::string_view cause) {
  cancel_all_timers();
  transition(State::kTimeWait, cause);
  time_wait_timer_.arm_after(protocol_.config().time_wait);
  // Linux: the timewait sock starts its out-of-window ACK limit afresh
  // (it was already one if it waited in FIN-WAIT-2).
  if (!timewait_fin_wait2_) last_oow_ack_at_ = Instant();
  timewait_fin_wait2_ = false;
}

void Endpoint::take_ts_recent(const Segment& s) {
  if (!ts_enabled_ || !s.options.timestamps) return;
  ts_recent_ = s.options.timestamps->value;
  ts_recent_stamp_ = now();
}

void Endpoint::end_timewait_sock_on_rst(const Segment& s) {
  ++protocol_.stats().resets_received;
  trace_in(s, Verdict::kResetAccepted);
  release_resources();
  transition(State::kClosed, "ext: rcv RST");
}

void Endpoint::reset_timewait_sock(const Segment& s, std::string_view cause) {
  trace_in(s, Verdict::kDropped);
  protocol_.send_reset_reply(s.wire, id_, state_);
  release_resources();
  transition(State::kClosed, cause);
}

bool Endpoint::timewait_paws_reject(const Segment& s) const {
  // Linux tcp_paws_reject(): no tick of slack, nothing to check against a
  // TS.Recent of 0, and a RST passes once TS.Recent is older than an MSL.
  if (!ts_enabled_ || !s.options.timestamps || ts_recent_ == 0) return false;
  return static_cast<int32_t>(s.options.timestamps->value - ts_recent_) < 0 &&
         !(s.has(kRst) && now() - ts_recent_stamp_ >= std::chrono::seconds(60));
}

Duration Endpoint::fin_wait2_lifetime() const {
  // Linux tcp_fin_time(): TCP_LINGER2 (else tcp_fin_timeout), at least 3.5 RTO.
  const Duration rto = rtt_.rto();
  return std::max(linger2_, rto * 7 / 2);
}

void Endpoint::enter_fin_wait2(const Segment& s) {
  if (user_closed_ && (linger2_ < Duration(0) || runs_past_rcv_nxt(s))) {
    // Linux tcp_rcv_state_process(): an orphan whose FIN the segment acks
    // is reset if the segment brings new data or an out-of-order FIN
    // (TCPAbortOnData), or if TCP_LINGER2 < 0 forbids waiting at all.
    const bool on_data = linger2_ >= Duration(0);
    if (on_data) ++protocol_.stats().aborts_on_data;
    protocol_.send_reset_reply(s.wire, id_, state_);
    fail(0, on_data ? "ext: data after close" : "ext: abort on linger", /*send_rst=*/false);
    return;
  }
  transition(State::kFinWait2, "rcv ACK of FIN");
  if (user_closed_) linger_in_fin_wait2(s.has(kFin));
}

void Endpoint::linger_in_fin_wait2(bool fin_arriving) {
  if (linger2_ < Duration(0)) {
    // Linux tcp_close(): TCP_LINGER2 < 0 resets an orphan in FIN-WAIT-2.
    fail(0, "ext: abort on linger", /*send_rst=*/true);
    return;
  }
  // Linux tcp_close()/tcp_rcv_state_process(): the orphan waits as a
  // timewait sock when that is no longer than TIME-WAIT; a longer wait (or
  // a FIN on the very segment, Linux's "bad case") keeps the full socket,
  // for the part beyond TIME-WAIT's length.
  const Duration lifetime = fin_wait2_lifetime();
  const Duration time_wait = protocol_.config().time_wait;
  if (lifetime > time_wait) {
    fin_wait2_timer_.arm_after(lifetime - time_wait);
  } else if (fin_arriving) {
    fin_wait2_timer_.arm_after(lifetime);
  } else {
    become_timewait_fin_wait2(lifetime);
  }
}

void Endpoint::become_timewait_fin_wait2(Duration lifetime) {
  cancel_all_timers();
  timewait_fin_wait2_ = true;
  last_oow_ack_at_ = Instant();
  fin_wait2_timer_.arm_after(lifetime);
}

void Endpoint::handle_timewait_fin_wait2(Segment& s) {
  // Linux tcp_timewait_state_process(), substate FIN_WAIT2: first the
  // window (tcp_in_window() against the window last offered) and PAWS.
  const seqnum::Value end = s.seq.add(s.logical_length());
  const seqnum::Value right = rcv_nxt_.add(seqnum::Size(receive_window()));
  const bool in_window = s.seq == rcv_nxt_ ||
                         (end.greater_than(rcv_nxt_) && s.seq.less_than(right)) ||
                         (s.seq == right && s.seq == end);
  const bool paws_reject = timewait_paws_reject(s);
  if (!in_window || paws_reject) {
    send_dup_ack_rate_limited(s);
    trace_in(s, paws_reject ? Verdict::kPawsRejected : Verdict::kOutOfWindow);
    return;
  }
  // No RFC 5961 challenge here: any RST in the window ends it.
  if (s.has(kRst)) {
    end_timewait_sock_on_rst(s);
    return;
  }
  if (s.has(kSyn) && s.seq.greater_equal(rcv_nxt_)) {
    reset_timewait_sock(s, "ext: rcv SYN after close");
    return;
  }
  // A segment without ACK: dropped; a bare ACK, or one that brings nothing
  // new: taken, with nothing to answer.
  if (!s.has(kAck)) {
    trace_in(s, Verdict::kNoAck);
    return;
  }
  if (!end.greater_than(rcv_nxt_) || end == s.seq) {
    trace_in(s, Verdict::kAccepted);
    return;
  }
  // New data after close(), or a FIN that is not the next byte: reset.
  if (!s.has(kFin) || end != rcv_nxt_.add(seqnum::Size(1))) {
    ++protocol_.stats().aborts_on_data;
    reset_timewait_sock(s, "ext: data after close");
    return;
  }
  // The peer's FIN: TIME-WAIT proper, the FIN acknowledged.
  trace_in(s, Verdict::kAccepted);
  rcv_nxt_ = end;
  fin_received_ = true;
  take_ts_recent(s);
  enter_time_wait("rcv FIN");
  send_ack();
}

void Endpoint::handle_time_wait(Segment& s) {
  // Linux tcp_timewait_state_process(), substate TIME_WAIT.
  const bool paws_reject = timewait_paws_reject(s);
  const bool bare = s.payload.empty() && !s.has(kSyn) && !s.has(kFin);
  if (!paws_reject && s.seq == rcv_nxt_ && (bare || s.has(kRst))) {
    if (s.has(kRst)) {
      // RFC 1337 "TIME-WAIT assassination": Linux (tcp_rfc1337=0) lets the RST end it.
      end_timewait_sock_on_rst(s);
      return;
    }
    trace_in(s, Verdict::kAccepted);
    time_wait_timer_.arm_after(protocol_.config().time_wait);
    // Linux: an acceptable bare ACK's TSval becomes TS.Recent, which the
    // TIME-WAIT ACKs then echo.
    take_ts_recent(s);
    return;
  }
  // A new SYN beyond the old connection's sequence space (or with a newer
  // timestamp) reopens the 4-tuple through a matching listener.
  const bool newer = s.seq.greater_than(rcv_nxt_) ||
                     (ts_enabled_ && s.options.timestamps &&
                      static_cast<int32_t>(ts_recent_ - s.options.timestamps->value) < 0);
  Endpoint* l = protocol_.find_listener(tuple_.local_address, tuple_.local_port);
  if (s.has(kSyn) && !s.has(kRst) && !s.has(kAck) && !paws_reject && newer && l != nullptr) {
    trace_in(s, Verdict::kTimeWaitReused);
    // Linux picks the new ISN past the old connection's: snd_nxt + 65535 + 2.
    const seqnum::Value isn = snd_nxt_.add(seqnum::Size(65537));
    release_resources();
    transition(State::kClosed, "ext: SYN reuses TIME-WAIT");
    if (!l->take_reopening_syn(s, isn)) protocol_.send_reset_reply(s.wire, id_, state_);
    return;
  }
  if (s.has(kSyn) && !s.has(kRst) && !s.has(kAck) && !paws_reject && newer) {
    // Linux tcp_v4_rcv(): TCP_TW_SYN with no listener falls through to the
    // TIME-WAIT ACK (not rate-limited, the timer left alone).
    send_ack();
    trace_in(s, Verdict::kOutOfWindow);
    return;
  }
  if (s.has(kRst)) {
    trace_in(s, Verdict::kResetIgnored);
    return;
  }
  // Everything else (a retransmitted FIN, an old segment) is ACKed and, if
  // it carries an ACK or failed PAWS, restarts the 2*MSL timer.
  if (paws_reject || s.has(kAck)) time_wait_timer_.arm_after(protocol_.config().time_wait);
  send_dup_ack_rate_limited(s);
  trace_in(s, paws_reject ? Verdict::kPawsRejected : Verdict::kOutOfWindow);
}

void Endpoint::on_time_wait_timer() {
  if (Tracer* t = protocol_.tracer()) t->on_timer(now(), id_, state_, TimerKind::kTimeWait);
  release_resources();
  transition(State::kClosed, "timeout 2MSL");
  after_event();
}

}  // namespace netstack::tcp
