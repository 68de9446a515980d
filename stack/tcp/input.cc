// Segment arrival: the dispatch by state (RFC 9293 3.10.7), and the
// synchronized states (RFC 9293 3.10.7.4), with the RFC 5961 defences and
// RFC 7323 timestamps, in Linux's order (tcp_validate_incoming(), tcp_ack(),
// tcp_data_queue(), tcp_fin()). Each of the RFC's eight steps is named at
// its check in handle_synchronized().
#include <algorithm>
#include <chrono>

#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

using namespace header::tcp_flag;

void Endpoint::handle_segment(InboundSegment& in) {
  ++protocol_.stats().segments_received;
  Segment s{.wire = in,
            .seq = seqnum::Value(in.tcp.seq),
            .ack = seqnum::Value(in.tcp.ack),
            .flags = in.tcp.flags,
            .window = in.tcp.window,
            .options = header::parse_tcp_options(in.tcp.options),
            .payload = in.payload};
  // Linux tcp_inbound_md5_hash(): a signed segment for a socket without a
  // TCP_MD5SIG key is dropped (TCPMD5Unexpected); TIME-WAIT does not check.
  if (s.options.md5_signature && state_ != State::kTimeWait) {
    ++protocol_.stats().md5_unexpected;
    trace_in(s, Verdict::kDropped);
    return;
  }
  // RFC 9293 3.10.7: by state.
  switch (state_) {
    case State::kListen:
      handle_listen(s);  // 3.10.7.2 (listener.cc)
      break;
    case State::kSynSent:
      handle_syn_sent(s);  // 3.10.7.3 (handshake.cc)
      break;
    case State::kSynRcvd:
      handle_syn_rcvd(s);  // 3.10.7.4 for SYN-RECEIVED (handshake.cc)
      break;
    case State::kTimeWait:
      handle_time_wait(s);  // 3.10.7.4 for TIME-WAIT (time_wait.cc)
      break;
    case State::kFinWait2:
      if (timewait_fin_wait2_) {
        handle_timewait_fin_wait2(s);  // Linux's orphaned FIN-WAIT-2 (time_wait.cc)
      } else {
        handle_synchronized(s);
      }
      break;
    case State::kClosed:
      // 3.10.7.1. Not registered any more; reachable only through a stale pointer.
      protocol_.send_reset_reply(in, id_, state_);
      break;
    default:
      handle_synchronized(s);  // 3.10.7.4, below
      break;
  }
  after_event();
}

bool Endpoint::sequence_acceptable(const Segment& s) const {
  // Linux tcp_sequence(): the segment must end at or after the point of the
  // last window update and start no later than the right window edge. This
  // is RFC 9293's test made lenient in the way Linux is (a zero-length
  // segment at the right edge, e.g. a zero-window probe, is acceptable).
  const seqnum::Value end = s.seq.add(s.logical_length());
  const seqnum::Value right = rcv_nxt_.add(seqnum::Size(receive_window()));
  return end.greater_equal(rcv_wup_) && s.seq.less_equal(right);
}

uint32_t Endpoint::receive_window() const {
  // Linux tcp_receive_window(): what is left of the window offered, never
  // negative (in-order data may run past its right edge).
  return rcv_nxt_.less_than(rcv_adv_) ? rcv_nxt_.size_to(rcv_adv_).bytes() : 0;
}

bool Endpoint::check_timestamp(const Segment& s) {
  // RFC 7323 3.2 says to drop a segment without TSopt here; Linux accepts
  // it (checked against Linux 6.18 with packetdrill), and Linux wins.
  if (!ts_enabled_ || !s.options.timestamps) return true;
  // RFC 7323 5.3 (PAWS): an older timestamp marks an old duplicate. Linux
  // accepts a RST regardless (tcp_validate_incoming()), and tcp_paws_check()
  // a TSval one tick behind (TCP_PAWS_WINDOW), any TSval once TS.Recent is
  // 24 days old, and any while TS.Recent is 0 (peers that start at 0).
  const auto behind = static_cast<int32_t>(ts_recent_ - s.options.timestamps->value);
  const bool old =
      behind > 1 && ts_recent_ != 0 && now() - ts_recent_stamp_ < std::chrono::hours(24 * 24);
  if (old && !s.has(kRst)) {
    ++protocol_.stats().paws_rejected;
    send_dup_ack_rate_limited(s, /*report_duplicate=*/true);
    trace_in(s, Verdict::kPawsRejected);
    return false;
  }
  return true;
}

void Endpoint::update_ts_recent(const Segment& s) {
  // RFC 7323 4.3: TS.Recent follows TSval of segments that cover Last.ACK.sent;
  // Linux tcp_replace_ts_recent() lets any TSval replace a TS.Recent of 0 or
  // one older than 24 days.
  if (!ts_enabled_ || !s.options.timestamps) return;
  const bool not_older = static_cast<int32_t>(s.options.timestamps->value - ts_recent_) >= 0 ||
                         ts_recent_ == 0 || now() - ts_recent_stamp_ >= std::chrono::hours(24 * 24);
  if (s.seq.less_equal(last_ack_sent_) && not_older) take_ts_recent(s);
}

bool Endpoint::passes_synchronized_checks(const Segment& s, bool handshake_syn_ack) {
  // Linux tcp_rcv_established() / tcp_rcv_state_process(): a segment with
  // none of ACK, RST and SYN is dropped before any check that could answer
  // it (RFC 9293 would ACK it when out of window).
  if (!s.has(kAck) && !s.has(kRst) && !s.has(kSyn)) {
    trace_in(s, Verdict::kNoAck);
    return false;
  }
  // RFC 7323 5.3: PAWS runs before the sequence number check.
  if (!check_timestamp(s)) return false;
  // RFC 9293 3.10.7.4, first, check the sequence number.
  if (!sequence_acceptable(s)) {
    ++protocol_.stats().out_of_window;
    if (s.has(kRst) && rst_matches_after_fin(s)) {
      handle_rst(s);
    } else if (s.has(kRst)) {
      trace_in(s, Verdict::kResetIgnored);
    } else if (s.has(kSyn)) {
      send_challenge_ack();  // Linux: out-of-window SYN → challenge ACK
      trace_in(s, Verdict::kChallengeAck);
    } else {
      send_dup_ack_rate_limited(s, /*report_duplicate=*/true);
      trace_in(s, Verdict::kOutOfWindow);
    }
    return false;
  }
  // Second, check the RST bit.
  if (s.has(kRst)) {
    handle_rst(s);
    return false;
  }
  // Third, check security: not implemented (no IP security compartments).
  // Fourth, check the SYN bit.
  if (s.has(kSyn) && !handshake_syn_ack) {
    // RFC 5961 4.2: a SYN in a synchronized state draws a challenge ACK.
    send_challenge_ack();
    trace_in(s, Verdict::kChallengeAck);
    return false;
  }
  return true;
}

void Endpoint::handle_synchronized(Segment& s) {
  if (!passes_synchronized_checks(s, /*handshake_syn_ack=*/false)) return;
  // Fifth, check the ACK field (what passed the checks carries one).
  if (!handle_ack(s)) return;
  trace_in(s, Verdict::kAccepted);
  if (state_ == State::kClosed || state_ == State::kTimeWait) return;
  // Sixth, check the URG bit.
  check_urgent(s);
  // Seventh, process the segment text; eighth, check the FIN bit (both in
  // handle_data(), which calls handle_fin() once the FIN is in order).
  handle_data(s);
  if (state_ == State::kFinWait1 && fin_acked()) enter_fin_wait2(s);
  // Linux tcp_data_snd_check(): send, then see to a waiting writer; then
  // tcp_ack_snd_check(): the ACK the segment called for, unless what was
  // just sent carried it.
  send_data();
  on_send_space_freed();
  flush_ack_check();
}

void Endpoint::check_urgent(const Segment& s) {
  const header::TcpHeader& h = s.wire.tcp;
  const std::optional<uint16_t> pointer =
      (h.flags & kUrg) != 0 ? std::optional<uint16_t>(h.urgent) : std::nullopt;
  const bool byte_was_waiting = urgent_.byte_waiting();
  // The old urgent byte leaves the stream unread (Linux copied_seq++).
  const UrgentReceiver::Stream stream{.copied_seq = copied_seq(),
                                      .rcv_nxt = rcv_nxt_,
                                      .unread = receive_queue_.size(),
                                      .inline_urgent = oob_inline_};
  if (urgent_.on_segment(seqnum::Value(h.seq), (h.flags & kSyn) != 0, pointer,
                         s.wire.payload.bytes(), stream)) {
    receive_queue_.pop_front(1);
    rwin_.consumed(1);
  }
  // Linux tcp_urg(): the urgent byte's arrival wakes readers (sk_data_ready).
  if (!byte_was_waiting && urgent_.byte_waiting()) ++wakeups_.readable;
}

bool Endpoint::runs_past_rcv_nxt(const Segment& s) const {
  // Linux: end_seq != seq && after(end_seq - fin, rcv_nxt).
  const seqnum::Value data_end = s.seq.add(seqnum::Size(static_cast<uint32_t>(s.payload.size())));
  return (!s.payload.empty() || s.has(kFin)) && data_end.greater_than(rcv_nxt_);
}

bool Endpoint::rst_matches_after_fin(const Segment& s) const {
  // Linux tcp_reset_check(): once the peer's FIN is in, a RST at RCV.NXT-1
  // resets too (the peer may not have seen our ACK of its FIN).
  const bool fin_in =
      state_ == State::kCloseWait || state_ == State::kLastAck || state_ == State::kClosing;
  return fin_in && s.seq == rcv_nxt_.sub(seqnum::Size(1));
}

void Endpoint::handle_rst(const Segment& s) {
  // RFC 5961 3.2: only an exact match resets; an in-window RST is challenged.
  // Linux tcp_validate_incoming() also takes one at the highest SACK
  // block's right edge, where RCV.NXT would be had the holes been filled.
  const bool at_sack_edge =
      sack_enabled_ && !sack_list_.empty() && s.seq == sack_list_.highest_end();
  if (!(s.seq == rcv_nxt_) && !rst_matches_after_fin(s) && !at_sack_edge) {
    send_challenge_ack();
    trace_in(s, Verdict::kChallengeAck);
    return;
  }
  ++protocol_.stats().resets_received;
  trace_in(s, Verdict::kResetAccepted);
  // Linux tcp_reset(): EPIPE in CLOSE-WAIT, ECONNRESET elsewhere; nothing to
  // report where the user has already closed.
  Errno e = ECONNRESET;
  if (state_ == State::kCloseWait) e = EPIPE;
  if (state_ == State::kClosing || state_ == State::kLastAck) e = 0;
  fail(e, "ext: rcv RST", /*send_rst=*/false);
}

void Endpoint::send_challenge_ack() {
  // Linux tcp_send_challenge_ack(): the per-socket out-of-window limit applies.
  if (now() - last_oow_ack_at_ < protocol_.config().oow_rate_limit &&
      last_oow_ack_at_ != Instant()) {
    ++protocol_.stats().challenge_acks_limited;
    return;
  }
  last_oow_ack_at_ = now();
  ++protocol_.stats().challenge_acks;
  send_ack();
}

void Endpoint::add_rtt_sample(Duration rtt) {
  rtt_.add_sample(rtt, snd_una_, snd_nxt_);
  recovery_.on_rtt_sample(rtt);
}

bool Endpoint::sample_rtt_from_echo(const Segment& s) {
  // RFC 7323 4.1: the echoed timestamp times the segment it acknowledges
  // (Linux tcp_ack_update_rtt() falls back on it when Karn forbids a sample).
  if (!ts_enabled_ || !s.options.timestamps || s.options.timestamps->echo_reply == 0) {
    return false;
  }
  const uint32_t rtt_ms = ts_value() - s.options.timestamps->echo_reply;
  if (rtt_ms >= 120'000) return false;
  add_rtt_sample(std::chrono::milliseconds(rtt_ms));
  return true;
}

void Endpoint::set_dsack(seqnum::Value seq, seqnum::Value end) {
  // Linux tcp_dsack_set() (tcp_dsack on by default): the duplicate part,
  // at most up to RCV.NXT.
  if (sack_enabled_ && end.greater_than(seq)) {
    dsack_ = header::SackBlock{seq.raw(), (end.less_equal(rcv_nxt_) ? end : rcv_nxt_).raw()};
  }
}

void Endpoint::send_dup_ack_rate_limited(const Segment& s, bool report_duplicate) {
  // Linux tcp_oow_rate_limited(): segments that occupy sequence space (data,
  // FIN) are always answered; pure ACKs and SYNs at most once per
  // tcp_invalid_ratelimit, against ACK loops.
  const bool pure = s.logical_length().bytes() == 0 || s.has(kSyn);
  if (pure && last_oow_ack_at_ != Instant() &&
      now() - last_oow_ack_at_ < protocol_.config().oow_rate_limit) {
    return;
  }
  if (pure) last_oow_ack_at_ = now();
  // Linux tcp_send_dupack(): what the peer sent again, before RCV.NXT, is
  // reported in a D-SACK block (RFC 2883), in quickack mode.
  const seqnum::Value end = s.seq.add(s.logical_length());
  if (report_duplicate && end != s.seq && s.seq.less_than(rcv_nxt_)) {
    enter_quickack_mode();
    set_dsack(s.seq, end);
  }
  send_ack();
}

bool Endpoint::handle_ack(const Segment& s) {
  if (s.ack.greater_than(snd_max_)) {
    // RFC 5961 5.2 / Linux 6.x tcp_ack(): an ACK of data never sent draws a
    // (rate-limited) challenge ACK and is dropped.
    send_challenge_ack();
    trace_in(s, Verdict::kAckOfUnsentData);
    return false;
  }
  // RFC 5961 5.2: too old to be a duplicate, challenge it. Linux tcp_ack()
  // also never looks back past what the peer has acknowledged so far.
  const auto max_window = static_cast<uint32_t>(std::min<uint64_t>(max_snd_wnd_, bytes_acked_));
  if (s.ack.less_than(snd_una_.sub(seqnum::Size(max_window)))) {
    send_challenge_ack();
    trace_in(s, Verdict::kOldAck);
    return false;
  }
  // Linux tcp_ack() "old_ack": an ACK behind SND.UNA updates neither the
  // window nor the keepalive state; only its SACK blocks count.
  const bool old_ack = s.ack.less_than(snd_una_);
  if (!old_ack) {
    last_ack_received_at_ = now();
    keepalive_unacked_ = 0;
    // Linux tcp_ack(): an acceptable ACK means something worked; the last
    // soft error is forgotten. TS.Recent is taken here too, past the
    // "old_ack" exit: an ACK below SND.UNA leaves it.
    soft_error_ = 0;
    update_ts_recent(s);
  }
  const uint32_t window = uint32_t{s.window} << snd_wscale_;
  const uint32_t prior_window = snd_wnd_;
  // Linux tcp_may_update_window(): a newer ACK or segment, or the same one
  // with a larger (or zero) window.
  if (!old_ack && (s.ack.greater_than(snd_una_) || s.seq.greater_than(snd_wl1_) ||
                   (s.seq == snd_wl1_ && (window > snd_wnd_ || window == 0)))) {
    snd_wnd_ = window;
    snd_wl1_ = s.seq;
    snd_wl2_ = s.ack;
    if (window > max_snd_wnd_) {
      max_snd_wnd_ = window;
      bound_mss_to_window();
    }
  }
  if (!old_ack && sent_.packets_out() == 0) on_ack_with_nothing_in_flight();
  LossRecovery::AckEvent e;
  e.prior_fack = sent_.highest_sacked();
  if (s.options.timestamps) e.ts_echo = s.options.timestamps->echo_reply;
  // Linux tcp_ack(): with nothing in flight an ACK leaves by "no_queue",
  // before tcp_fastretrans_alert() could take its ECE for a congestion mark.
  e.ece = ecn_echoed(s) && sent_.packets_out() > 0;
  if (sack_enabled_) recovery_.on_sack_blocks(s.options.sacks(), s.ack, snd_una_, snd_max_, e);
  if (s.ack.less_equal(snd_una_)) {
    // Duplicate ACK (RFC 5681 section 2 definition) while data is in flight;
    // a window update is not one (Linux FLAG_WIN_UPDATE).
    e.duplicate = s.ack == snd_una_ && s.payload.empty() && !s.has(kFin) && snd_una_ != snd_max_ &&
                  window == prior_window;
    delivered_ += e.delivered.segments;  // tcpi_delivered counts SACKed segments too
    recovery_.on_ack(sender_view(), e);
    return true;
  }
  // New data acknowledged.
  const uint32_t acked = snd_una_.size_to(s.ack).bytes();
  const bool fin_was_unacked = fin_sent_ && !fin_acked();
  size_t data_acked = std::min<size_t>(acked, send_queue_.size());
  send_queue_.pop_front(data_acked);
  snd_una_ = s.ack;
  bytes_acked_ += acked;
  // Linux: the freed buffers complete MSG_ZEROCOPY sends and take ACK
  // timestamps (sk_error_report); a writer waiting for the space is seen
  // to once the reply has gone (on_send_space_freed()).
  // (__msg_zerocopy_callback() reports even a completion that joined the
  // queued range.)
  const size_t errors_before = error_queue_.size();
  const bool completed = zerocopy_notes_.on_acked(snd_una_, error_queue_);
  tx_stamps_.on_acked(snd_una_.sub(seqnum::Size(acked)), snd_una_, send_skbs_, snd_mss_, now(),
                      error_queue_);
  if (completed || error_queue_.size() != errors_before) ++wakeups_.error;
  send_skbs_.release(snd_una_);
  // Linux tcp_clean_rtx_queue(): urgent mode ends once the peer has all of
  // the urgent data.
  if (snd_up_ && !snd_una_.less_than(*snd_up_)) snd_up_.reset();
  while (!push_marks_.empty() && push_marks_.front().less_equal(snd_una_)) push_marks_.pop_front();
  while (!eor_marks_.empty() && eor_marks_.front().less_equal(snd_una_)) eor_marks_.pop_front();
  if (snd_nxt_.less_than(snd_una_)) snd_nxt_ = snd_una_;
  e.una_advanced = true;
  sent_.acknowledge(snd_una_, e.delivered);
  bool sampled = true;
  if (rtt_probe_ && rtt_probe_->first.less_than(s.ack)) {
    add_rtt_sample(now() - rtt_probe_->second);
    rtt_probe_.reset();
  } else {
    sampled = sample_rtt_from_echo(s);
  }
  // RFC 6298 5.7 / Linux tcp_ack_update_rtt(): the backed-off RTO stays
  // until an RTT sample is valid (Karn: none from retransmitted data).
  if (sampled) rtt_.reset_backoff();
  consecutive_timeouts_ = 0;
  retrans_stamp_.reset();
  delivered_ += e.delivered.segments;
  recovery_.on_ack(sender_view(), e);
  // The probe episode ends once the ACK covers what it probed.
  if (tlp_high_seq_ && snd_una_.greater_equal(*tlp_high_seq_)) tlp_high_seq_.reset();
  if (snd_una_ == snd_max_) {
    retransmit_timer_.cancel();
    loss_probe_armed_ = false;
  } else {
    rto_deadline_ = now() + rtt_.rto();  // Linux tcp_rearm_rto() on forward progress
    set_xmit_timer();
  }
  if (fin_was_unacked && fin_acked()) {
    switch (state_) {
      case State::kFinWait1:
        // A FIN on this same segment takes the direct edge to TIME-WAIT
        // (handle_fin); if that FIN is not taken (out of order, beyond the
        // window), handle_synchronized() moves to FIN-WAIT-2 after the data.
        if (!s.has(kFin)) {
          enter_fin_wait2(s);
          // Linux: what became a timewait sock (or was reset) takes nothing more
          // from the segment.
          if (state_ != State::kFinWait2 || timewait_fin_wait2_) {
            trace_in(s, Verdict::kAccepted);
            return false;
          }
        }
        break;
      case State::kClosing:
        trace_in(s, Verdict::kAccepted);
        enter_time_wait("rcv ACK of FIN");
        return false;
      case State::kLastAck:
        trace_in(s, Verdict::kAccepted);
        release_resources();
        transition(State::kClosed, "rcv ACK of FIN");
        return false;
      default:
        break;
    }
  }
  reset_keepalive();
  return true;
}

void Endpoint::handle_data(Segment& s) {
  // RFC 9293 3.10.7.4, seventh, process the segment text.
  if (s.payload.empty() && !s.has(kFin)) return;
  switch (state_) {
    case State::kCloseWait:
    case State::kClosing:
    case State::kLastAck:
      // The peer's FIN has been received: nothing new can follow it (Linux
      // tcp_rcv_state_process() step 7 ignores it), but a retransmission of
      // what came before goes through tcp_data_queue() (a D-SACK, an
      // immediate ACK); one that carries data past the FIN finds the
      // receive side shut (RCV_SHUTDOWN): the connection is reset and the
      // segment draws a RST.
      if (!s.seq.less_than(rcv_nxt_)) return;
      if (runs_past_rcv_nxt(s)) {
        protocol_.send_reset_reply(s.wire, id_, state_);
        fail(state_ == State::kCloseWait ? EPIPE : ECONNRESET, "ext: data after FIN",
             /*send_rst=*/false);
        return;
      }
      break;
    case State::kFinWait1:
    case State::kFinWait2:
      // RFC 1122 4.2.2.13, as Linux tcp_rcv_state_process() reads it: once
      // the read side is shut (close() or SHUT_RD), new data aborts with RST,
      // and so does a FIN that arrives out of order.
      if (read_shutdown_ && runs_past_rcv_nxt(s)) {
        ++protocol_.stats().aborts_on_data;
        protocol_.send_reset_reply(s.wire, id_, state_);
        fail(user_closed_ ? 0 : ECONNRESET, "ext: data after close", /*send_rst=*/false);
        return;
      }
      break;
    default:
      break;
  }
  ecn_on_data(s);
  seqnum::Value seq = s.seq;
  View payload = std::move(s.payload);
  const seqnum::Value fin_at = seq.add(seqnum::Size(static_cast<uint32_t>(payload.size())));
  // Drop what was already received.
  if (seq.less_than(rcv_nxt_)) {
    const uint32_t dup = seq.size_to(rcv_nxt_).bytes();
    // RFC 2883 (Linux tcp_data_queue()): the duplicate part, a FIN's
    // sequence number included, goes in a D-SACK block.
    set_dsack(seq, fin_at.add(seqnum::Size(s.has(kFin) ? 1 : 0)));
    if (dup >= payload.size()) {
      if (!(s.has(kFin) && fin_at == rcv_nxt_)) {
        // A retransmission of data we have: ACK at once (Linux tcp_data_queue()).
        enter_quickack_mode();
        schedule_immediate_ack();
        return;
      }
      payload = View();
    } else {
      payload.remove_prefix(dup);
    }
    seq = rcv_nxt_;
  }
  // Linux tests the window only where a segment starts (tcp_sequence(),
  // tcp_data_queue()) and never trims one at the right edge: what it starts
  // to queue it queues whole, memory permitting. Our one cut keeps the
  // payload held within SO_RCVBUF, which Linux's per-skb memory charge
  // bounds instead (it overshoots by at most one segment).
  const uint32_t window = receive_window();
  const size_t held = receive_queue_.size() + reassembly_.bytes();
  const size_t room = rcvbuf_ > held ? rcvbuf_ - held : 0;
  if (seq == rcv_nxt_) {
    if (window == 0 && !payload.empty()) {
      // Linux tcp_data_queue(): data into a zero window is dropped, ACKed at once.
      enter_quickack_mode();
      schedule_immediate_ack();
      return;
    }
    if (payload.size() > room) payload.truncate(room);
    // Linux tcp_try_rmem_schedule() -> tcp_prune_queue() -> tcp_clamp_window():
    // data that finds receive memory over SO_RCVBUF ends quickack mode (the
    // ACK is delayed) and caps rcv_ssthresh (found by tcpfuzz diff).
    if (!payload.empty() && rwin_.clamp_if_over_budget()) delayed_ack_.end_quickack();
    if (!payload.empty() && !receive_queue_.empty() &&
        protocol_.allocation_fails(AllocationSite::kReceiveQueue)) {
      // Linux tcp_data_queue(): no memory for the data (and the queue is not
      // empty, else it forces the charge) drops the segment, FIN included,
      // and ACKs at once.
      schedule_immediate_ack();
      return;
    }
    // The out-of-order queue holds a FIN on its own too (Linux queues it as
    // an skb like any other).
    const bool filled_gap = !reassembly_.empty() || !ooo_fins_.empty();
    if (!payload.empty()) {
      const auto len = static_cast<uint32_t>(payload.size());
      rcv_nxt_ = rcv_nxt_.add(seqnum::Size(len));
      rwin_.queued(len);
      receive_queue_.append(std::move(payload));
      report_out_of_order_passed();
      rcv_nxt_ = reassembly_.drain(rcv_nxt_, ooo_fins_.first_at(), [this](View v) {
        rwin_.queued(static_cast<uint32_t>(v.size()));
        receive_queue_.append(std::move(v));
      });
      rwin_.set_ooo(static_cast<uint32_t>(reassembly_.bytes()),
                    static_cast<uint32_t>(reassembly_.segments()));
      on_data_received(s.wire.packet.gso_size() != 0 ? s.wire.packet.gso_size() : len);
      last_data_received_at_ = now();
      ++wakeups_.readable;  // Linux sk_data_ready()
    }
    // RFC 5681 4.2: ACK at once when a gap is filled (Linux tcp_data_queue():
    // ICSK_ACK_NOW), and while one is still open (__tcp_ack_snd_check():
    // in-order data with a non-empty out-of-order queue moved RCV.NXT, so
    // its duplicate-ACK count starts again and the ACK goes at once).
    if (filled_gap) delayed_ack_.ack_now();
    // Eighth, check the FIN bit: a FIN counts once everything before it is in.
    const bool fin_now = (s.has(kFin) && fin_at == rcv_nxt_) || ooo_fins_.first_at() == rcv_nxt_;
    if (fin_now && !fin_received_) {
      handle_fin(s);
    } else {
      schedule_ack_check();
    }
    // Linux tcp_sack_remove(), after any ACK tcp_fin() sent: blocks RCV.NXT
    // reached go, and all of them once nothing is out of order.
    if (reassembly_.empty() && ooo_fins_.empty()) {
      sack_list_.clear();
    } else {
      sack_list_.remove_through(rcv_nxt_);
    }
    return;
  }
  // Out of order: queue within the window and send a duplicate ACK with SACK
  // blocks at once (RFC 5681 4.2 / RFC 2018). Linux (tcp_data_queue_ofo())
  // sends it without entering quickack mode, so a connection in interactive
  // mode stays in it; only a segment beyond the window enters quickack mode.
  if (rcv_nxt_.size_to(seq).bytes() >= window) {
    // Linux tcp_data_queue(): starting at or past the right edge, dropped.
    enter_quickack_mode();
    schedule_immediate_ack();
    return;
  }
  if (payload.size() > room || protocol_.allocation_fails(AllocationSite::kOutOfOrder)) {
    // Linux tcp_data_queue_ofo(): no memory drops the segment (TCPOFODrop)
    // before any ACK is scheduled.
    ++protocol_.stats().reassembly_dropped;
    return;
  }
  const seqnum::Value end = fin_at.add(seqnum::Size(s.has(kFin) ? 1 : 0));
  // Linux tcp_data_queue_ofo(): what was queued already, a queued FIN's
  // sequence number included, is reported in a D-SACK block
  // (tcp_dsack_set(), tcp_dsack_extend()). The FIN takes a sequence number:
  // queued data at its place makes it a duplicate too (Linux compares the
  // skbs' end_seq).
  auto dup =
      reassembly_.overlap(seq, static_cast<uint32_t>(payload.size()) + (s.has(kFin) ? 1u : 0u));
  const auto queued_fin = ooo_fins_.find_in(
      seq, end, [&](seqnum::Value fin) { return !dup || seqnum::Value(dup->end) == fin; });
  if (queued_fin) {
    dup = header::SackBlock{dup ? dup->start : queued_fin->raw(), queued_fin->raw() + 1};
  }
  if (sack_enabled_ && dup) dsack_ = *dup;
  // Linux tcp_data_queue_ofo(): a segment all of whose sequence numbers are
  // queued already is dropped, a FIN it carries with it.
  const bool all_present =
      dup && seqnum::Value(dup->start) == seq && seqnum::Value(dup->end) == end;
  if (all_present) {
    if (sack_enabled_) sack_list_.add(seq, end);
  } else if (reassembly_.insert(rcv_nxt_, seq, std::move(payload))) {
    ooo_fins_.on_queued(seq, end, s.has(kFin) ? std::optional(fin_at) : std::nullopt);
    // Linux tcp_data_queue_ofo() -> tcp_sack_new_ofo_skb(): the arrival
    // as a whole, FIN included, whatever of it was queued already (the list
    // is empty whenever the queue is: it is cleared wherever that empties).
    if (sack_enabled_) sack_list_.add(seq, end);
  } else {
    ++protocol_.stats().reassembly_dropped;
  }
  rwin_.set_ooo(static_cast<uint32_t>(reassembly_.bytes()),
                static_cast<uint32_t>(reassembly_.segments()));
  schedule_immediate_ack();
}

void Endpoint::report_out_of_order_passed() {
  // Linux tcp_ofo_queue(): the first queued skb that starts below the new
  // RCV.NXT arrived twice; its part below RCV.NXT goes in a D-SACK block. A
  // queued FIN that RCV.NXT passed is dropped with its skb.
  std::optional<header::SackBlock> first = reassembly_.first();
  const auto fin = ooo_fins_.first();
  if (fin && (!first || !seqnum::Value(first->start).less_than(fin->skb))) {
    first = header::SackBlock{fin->skb.raw(), fin->at.add(seqnum::Size(1)).raw()};
  }
  if (first && seqnum::Value(first->start).less_than(rcv_nxt_) && !dsack_) {
    set_dsack(seqnum::Value(first->start), seqnum::Value(first->end));
  }
  ooo_fins_.drop_below(rcv_nxt_);
}

void Endpoint::take_fin() {
  fin_received_ = true;
  ++wakeups_.state;  // Linux tcp_fin(): sk_state_change()
  ooo_fins_.clear();
  rcv_nxt_ = rcv_nxt_.add(seqnum::Size(1));
  // Linux tcp_fin(): in ESTABLISHED the connection turns interactive
  // (pingpong), so the ACK may wait for our own FIN or data.
  if (state_ == State::kEstablished) {
    delayed_ack_.enter_pingpong();
    transition(State::kCloseWait, "rcv FIN");
  }
}

void Endpoint::handle_fin(const Segment& s) {
  (void)s;
  const State before = state_;
  take_fin();
  // Linux tcp_fin(): in ESTABLISHED the ACK is scheduled; in FIN-WAIT it
  // goes at once.
  switch (before) {
    case State::kEstablished:
      schedule_ack_check();
      break;
    case State::kFinWait1:
      send_ack();
      if (fin_acked()) {
        enter_time_wait("rcv FIN,ACK of FIN");
      } else {
        transition(State::kClosing, "rcv FIN");
      }
      break;
    case State::kFinWait2:
      send_ack();
      enter_time_wait("rcv FIN");
      break;
    default:
      send_ack();
      break;
  }
  // Linux tcp_fin(): whatever is still out of order (it lies past the FIN)
  // is dropped, with the SACK blocks, once the ACK has gone.
  reassembly_.clear();
  sack_list_.clear();
  rwin_.set_ooo(0, 0);
}

}  // namespace netstack::tcp
