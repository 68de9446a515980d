// Timer expiry: retransmission (RFC 6298 section 5) and tail loss probes,
// keepalive (RFC 1122 4.2.3.6) and FIN-WAIT-2 linger (gVisor connect.go's
// main loop wakers; Linux tcp_timer.c). The other timers live with their
// behaviour: delayed ACK (DelayedAck, output.cc), TIME-WAIT (time_wait.cc),
// zero-window probes (persist.cc), RACK reordering (LossRecovery).
#include <algorithm>

#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

using namespace header::tcp_flag;

namespace {

// Linux tcp_model_timeout(): how long `boundary` doubling retransmissions
// starting at rto_base take, the doubling capped at TCP_RTO_MAX.
Duration model_timeout(uint32_t boundary, Duration rto_base, Duration rto_max) {
  uint32_t linear_threshold = 0;
  while ((rto_base * (2 << linear_threshold)) <= rto_max) ++linear_threshold;
  if (boundary <= linear_threshold) return rto_base * ((2 << boundary) - 1);
  return rto_base * ((2 << linear_threshold) - 1) + (boundary - linear_threshold) * rto_max;
}

}  // namespace

void Endpoint::arm_retransmit() {
  loss_probe_armed_ = false;
  Duration rto = rtt_.rto();
  // Linux tcp_clamp_rto_to_user_timeout(): never sleep past TCP_USER_TIMEOUT.
  if (user_timeout_ > Duration(0) && retrans_stamp_) {
    const Duration left = user_timeout_ - (now() - *retrans_stamp_);
    rto = std::max(std::min(rto, left), Duration(std::chrono::milliseconds(1)));
  }
  rto_deadline_ = now() + rto;
  retransmit_timer_.arm(rto_deadline_);
}

void Endpoint::set_xmit_timer() {
  if (!schedule_loss_probe()) arm_retransmit();
}

bool Endpoint::schedule_loss_probe() {
  // RFC 8985 7.2 as Linux does it (tcp_schedule_loss_probe(), with
  // tcp_early_retrans=3/4): one probe per tail-loss episode, SACK
  // connections only, in the Open (or CWR) state.
  const CaState ca = recovery_.state();
  const bool open = ca == CaState::kOpen || ca == CaState::kCwr;
  if (!sack_enabled_ || snd_una_ == snd_max_ || tlp_high_seq_ || consecutive_timeouts_ > 0 ||
      !open || !rtt_.has_sample()) {
    return false;
  }
  // PTO = 2*SRTT, plus room for a delayed ACK when one segment is out
  // (Linux counts packets: a full segment carrying the FIN is one).
  Duration pto = 2 * rtt_.srtt() + (sent_.packets_out() == 1 ? protocol_.config().rto.min
                                                             : std::chrono::milliseconds(2));
  // Never later than the RTO of the oldest data would fire (tcp_rto_delta_us()).
  if (rto_deadline_ > now()) pto = std::min(pto, rto_deadline_ - now());
  loss_probe_armed_ = true;
  retransmit_timer_.arm_after(pto);
  return true;
}

void Endpoint::on_loss_probe() {
  // Send new data if the window allows, else retransmit the last segment.
  tlp_high_seq_ = snd_max_;
  const size_t sent = snd_una_.size_to(snd_max_).bytes();
  const bool new_data = send_queue_.size() > std::min(sent, send_queue_.size()) &&
                        snd_nxt_ == snd_max_ && sent + snd_mss_ <= snd_wnd_;
  if (new_data) {
    send_one_segment(snd_nxt_, std::min<size_t>(snd_mss_, send_queue_.size() - sent), false);
    send_skbs_.split_at(snd_nxt_);
  } else if (const SentSegment* last = sent_.last()) {
    const uint32_t payload = last->start.size_to(last->end).bytes() - (last->fin ? 1 : 0);
    send_one_segment(last->start, std::min(payload, snd_mss_), /*retransmit=*/true);
  }
  arm_retransmit();
}

bool Endpoint::retransmits_exhausted() const {
  if (!retrans_stamp_) return false;
  const RtoBounds& b = protocol_.config().rto;
  // TCP_USER_TIMEOUT replaces the retries2 budget (Linux retransmits_timed_out()).
  const Duration limit = user_timeout_ > Duration(0)
                             ? user_timeout_
                             : model_timeout(protocol_.config().retries2, b.min, b.max);
  return now() - *retrans_stamp_ >= limit;
}

bool Endpoint::syn_retries_exhausted() const {
  // Linux tcp_write_timeout(): TCP_SYNCNT (else tcp_syn_retries) more SYNs
  // than the linear ones, or the time that many doubling ones would take
  // from the first SYN (retransmits_timed_out() with tcp_timeout_init()).
  const Config& c = protocol_.config();
  const uint32_t retry_until = syn_count_ != 0 ? syn_count_ : c.syn_retries;
  const uint32_t linear = state_ == State::kSynSent ? c.syn_linear_timeouts : 0;
  if (syn_retries_ >= retry_until + linear) return true;
  return syn_retries_ > 0 &&
         now() - handshake_started_ >= model_timeout(retry_until, c.rto.initial, c.rto.max);
}

uint32_t Endpoint::synack_retry_limit() const {
  const Endpoint* l = protocol_.find(listener_);
  return l != nullptr && l->syn_count_ != 0 ? l->syn_count_ : protocol_.config().synack_retries;
}

void Endpoint::on_retransmit_timer() {
  if (Tracer* t = protocol_.tracer()) t->on_timer(now(), id_, state_, TimerKind::kRetransmit);
  if (state_ == State::kSynSent || state_ == State::kSynRcvd) {
    const bool passive = listener_ != kNoEndpoint;
    const Config& c = protocol_.config();
    if (passive ? syn_retries_ >= synack_retry_limit() : syn_retries_exhausted()) {
      ++protocol_.stats().timeouts;
      if (passive) {
        // Linux drops an expired request silently.
        release_resources();
        transition(State::kClosed, "ext: timeout");
      } else {
        fail(timeout_error(), "ext: timeout", /*send_rst=*/false);
      }
      after_event();
      return;
    }
    ++syn_retries_;
    ++total_retransmits_;
    ++protocol_.stats().retransmits;
    rtt_probe_.reset();
    // Linux 6.x tcp_syn_linear_timeouts: the first SYN retransmissions keep
    // the initial RTO; doubling starts after them.
    if (state_ == State::kSynSent && syn_retries_ <= c.syn_linear_timeouts) {
      rtt_.reset_backoff();
    } else {
      rtt_.backoff();
    }
    if (state_ == State::kSynSent) {
      send_syn();
    } else {
      send_syn_ack();
    }
    after_event();
    return;
  }
  if (snd_una_ == snd_max_) {
    after_event();
    return;
  }
  if (loss_probe_armed_) {
    loss_probe_armed_ = false;
    on_loss_probe();
    after_event();
    return;
  }
  tlp_high_seq_.reset();
  // Linux: the clock for giving up (retries2, TCP_USER_TIMEOUT) starts at
  // the first RTO retransmission; a tail loss probe does not start it.
  if (!retrans_stamp_) retrans_stamp_ = now();
  if (retransmits_exhausted()) {
    // Linux tcp_write_err(): ETIMEDOUT, no RST.
    ++protocol_.stats().timeouts;
    fail(timeout_error(), "ext: timeout", /*send_rst=*/false);
    after_event();
    return;
  }
  // RFC 5681 (4) / Linux tcp_enter_loss(): everything outstanding is lost,
  // the window restarts from one segment, and the first segment goes now.
  recovery_.on_rto(sender_view(), consecutive_timeouts_);
  ++consecutive_timeouts_;
  rtt_.backoff();
  rtt_probe_.reset();  // Karn's algorithm
  if (const SentSegment* head = sent_.next_lost()) {
    const uint32_t payload = head->start.size_to(head->end).bytes() - (head->fin ? 1 : 0);
    send_one_segment(head->start, std::min(payload, snd_mss_), /*retransmit=*/true);
  }
  arm_retransmit();
  after_event();
}

void Endpoint::reset_keepalive() {
  const bool eligible = keepalive_ && is_synchronized(state_) && state_ != State::kTimeWait;
  if (!eligible) {
    keepalive_timer_.cancel();
    return;
  }
  // Linux re-arms for what is left of the idle time (tcp_sock_set_keepidle()).
  keepalive_timer_.arm(std::max(last_ack_received_at_ + keep_idle_, now()));
}

void Endpoint::on_keepalive_timer() {
  if (Tracer* t = protocol_.tracer()) t->on_timer(now(), id_, state_, TimerKind::kKeepalive);
  if (!keepalive_ || !is_synchronized(state_) || state_ == State::kTimeWait) {
    after_event();
    return;
  }
  // Linux tcp_keepalive_timer(): nothing is probed while data is in flight
  // or queued; the retransmission timer covers that.
  if (snd_una_ != snd_max_ || !send_queue_.empty()) {
    keepalive_timer_.arm_after(keep_idle_);
    after_event();
    return;
  }
  const Duration idle = now() - last_ack_received_at_;
  if (idle < keep_idle_) {
    keepalive_timer_.arm(last_ack_received_at_ + keep_idle_);
    after_event();
    return;
  }
  const bool user_expired =
      user_timeout_ > Duration(0) && idle >= user_timeout_ && keepalive_unacked_ > 0;
  if (user_expired || (user_timeout_ == Duration(0) && keepalive_unacked_ >= keep_cnt_)) {
    // Linux sends a RST when keepalive gives up (tcp_send_active_reset()).
    ++protocol_.stats().timeouts;
    fail(timeout_error(), "ext: timeout", /*send_rst=*/true);
    after_event();
    return;
  }
  // RFC 1122 4.2.3.6: a probe is an ACK with SEG.SEQ = SND.NXT - 1, no data.
  ++keepalive_unacked_;
  send_control(kAck, snd_nxt_.sub(seqnum::Size(1)), rcv_nxt_);
  keepalive_timer_.arm_after(keep_intvl_);
  after_event();
}

void Endpoint::on_reorder_timer() {
  if (Tracer* t = protocol_.tracer()) t->on_timer(now(), id_, state_, TimerKind::kReorder);
  if (recovery_.on_reorder_timeout(sender_view())) send_data();
  after_event();
}

void Endpoint::on_fin_wait2_timer() {
  if (Tracer* t = protocol_.tracer()) t->on_timer(now(), id_, state_, TimerKind::kFinWait2);
  if (state_ == State::kFinWait2) {
    // Linux tcp_keepalive_timer(): a full-socket orphan that waited the
    // part beyond TIME-WAIT's length waits the rest as a timewait sock
    // (for tcp_fin_time() less TIME-WAIT's length, once more); one with no
    // such rest is reset. A timewait sock just ends.
    const Duration rest = fin_wait2_lifetime() - protocol_.config().time_wait;
    if (!timewait_fin_wait2_ && linger2_ >= Duration(0) && rest > Duration(0)) {
      become_timewait_fin_wait2(rest);
    } else if (!timewait_fin_wait2_) {
      fail(0, "ext: linger2 timeout", /*send_rst=*/true);
    } else {
      release_resources();
      transition(State::kClosed, "ext: linger2 timeout");
    }
  }
  after_event();
}

}  // namespace netstack::tcp
