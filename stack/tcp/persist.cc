// Zero-window probes (RFC 9293 3.8.6.1; Linux tcp_probe_timer(),
// tcp_write_wakeup(), tcp_check_probe_timer()): while the peer offers no
// window and nothing is in flight to draw an ACK, the probe timer keeps
// asking, with the retransmission backoff, until the window opens or the
// probes run out. The same timer sends data that cork or MSG_MORE holds
// back while nothing is in flight.
#include <algorithm>

#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

using namespace header::tcp_flag;

void Endpoint::arm_persist_timer() {
  if (!persist_timer_.armed()) persist_timer_.arm_after(rtt_.rto());
}

void Endpoint::on_ack_with_nothing_in_flight() {
  seqnum::Value head_end;
  if (notsent_bytes() > 0) {
    head_end = send_skbs_.end_of(snd_nxt_);
  } else if (fin_queued_ && !fin_sent_) {
    head_end = fin_seq().add(seqnum::Size(1));
  } else {
    return;  // nothing waits to be sent
  }
  if (head_end.less_equal(snd_una_.add(seqnum::Size(snd_wnd_)))) {
    persist_timer_.cancel();
    probes_out_ = 0;
    probes_started_.reset();
    rtt_.end_probe_backoff();
  } else {
    persist_timer_.arm_after(next_probe_in());
  }
}

Duration Endpoint::next_probe_in() const {
  Duration next = rtt_.probe_timeout();
  // Linux tcp_clamp_probe0_to_user_timeout(): the next probe comes no later
  // than the user timeout's deadline.
  if (user_timeout_ > Duration(0) && probes_started_) {
    const Duration left = user_timeout_ - (now() - *probes_started_);
    next = std::max(std::min(next, left), Duration(std::chrono::milliseconds(1)));
  }
  return next;
}

void Endpoint::on_persist_timer() {
  if (Tracer* t = protocol_.tracer()) t->on_timer(now(), id_, state_, TimerKind::kPersist);
  if (!is_synchronized(state_)) {
    after_event();
    return;
  }
  if (snd_wnd_ != 0) {
    // Linux tcp_write_wakeup(): with the window open, the probe timer sends
    // what cork or MSG_MORE was holding back.
    push_pending_ = probe_push_ = true;
    send_data();
    push_pending_ = probe_push_ = false;
    // It sends outside tcp_write_xmit(), so new data in flight arms the
    // RTO (tcp_event_new_data_sent()), never a tail loss probe.
    // Linux tcp_send_probe0(): with packets out the probing is over.
    if (sent_.packets_out() > 0) rtt_.end_probe_backoff();
    if (loss_probe_armed_) arm_retransmit();
    after_event();
    return;
  }
  // Linux tcp_probe_timer(): give up after tcp_retries2 probes, or once
  // TCP_USER_TIMEOUT has passed since the first probe, answered or not.
  const bool user_expired =
      user_timeout_ > Duration(0) && probes_started_ && now() - *probes_started_ >= user_timeout_;
  if (probes_out_ >= protocol_.config().retries2 || user_expired) {
    ++protocol_.stats().timeouts;
    fail(timeout_error(), "ext: timeout", /*send_rst=*/false);
    after_event();
    return;
  }
  if (!probes_started_) probes_started_ = now();
  ++probes_out_;
  // Linux tcp_write_wakeup() with a closed window: a pure ACK with SEQ =
  // SND.UNA - 1, after one at SND.UNA in urgent mode (each carries the
  // urgent pointer, emit()).
  if (snd_up_ && snd_una_.size_to(*snd_up_).bytes() <= 0xFFFF) {
    send_control(kAck, snd_una_, rcv_nxt_);
  }
  send_control(kAck, snd_una_.sub(seqnum::Size(1)), rcv_nxt_);
  rtt_.probe_backoff();
  persist_timer_.arm_after(next_probe_in());
  after_event();
}

}  // namespace netstack::tcp
