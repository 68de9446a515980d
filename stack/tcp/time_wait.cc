// TIME-WAIT (RFC 9293 3.10.7.4 and 3.6; Linux tcp_time_wait() and
// tcp_timewait_state_process()): the connection that closed first keeps
// its 4-tuple for 2*MSL, ACKs retransmitted FINs, lets a RST end it
// (RFC 1337, as Linux with tcp_rfc1337=0), and lets a newer SYN reopen the
// 4-tuple through a matching listener.
#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

using namespace header::tcp_flag;

void Endpoint::enter_time_wait(std::string_view cause) {
  cancel_all_timers();
  transition(State::kTimeWait, cause);
  time_wait_timer_.arm_after(protocol_.config().time_wait);
}

void Endpoint::handle_time_wait(Segment& s) {
  // Linux tcp_timewait_state_process().
  bool paws_reject = false;
  if (ts_enabled_ && s.options.timestamps) {
    paws_reject = static_cast<int32_t>(s.options.timestamps->value - ts_recent_) < 0;
  }
  const bool bare = s.payload.empty() && !s.has(kSyn) && !s.has(kFin);
  if (!paws_reject && s.seq == rcv_nxt_ && (bare || s.has(kRst))) {
    if (s.has(kRst)) {
      // RFC 1337 "TIME-WAIT assassination": Linux (tcp_rfc1337=0) lets the RST end it.
      ++protocol_.stats().resets_received;
      trace_in(s, Verdict::kResetAccepted);
      release_resources();
      transition(State::kClosed, "ext: rcv RST");
      return;
    }
    trace_in(s, Verdict::kAccepted);
    time_wait_timer_.arm_after(protocol_.config().time_wait);
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
