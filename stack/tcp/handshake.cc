// The three-way handshake: active open, simultaneous open, and the
// SYN-RECEIVED half of a passive open (gVisor connect.go's handshake type;
// Linux tcp_rcv_synsent_state_process() and tcp_check_req()).
#include <algorithm>

#include "stack/header/ip.h"
#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

using namespace header::tcp_flag;

uint8_t Endpoint::window_scale_to_offer() const {
  // Linux tcp_select_initial_window(): the smallest scale whose 64 KiB window
  // covers the largest buffer the socket may grow to, the larger of
  // tcp_rmem[2] and net.core.rmem_max (SO_RCVBUF's limit).
  const Config& c = protocol_.config();
  return c.window_scaling ? rwin_.scale_to_offer(std::max(c.rmem_max, c.core_rmem_max)) : 0;
}

uint16_t Endpoint::mss_to_advertise() const {
  // RFC 9293 3.7.1: MTU minus the fixed IP and TCP headers; TCP_MAXSEG lowers it.
  // Linux tcp_advertise_mss(): the route's MTU, which path MTU discovery lowers.
  const uint32_t mtu = route_mtu();
  const uint32_t headers = (family_ == IpAddress::Family::kV6 ? header::kIpv6HeaderLength
                                                              : header::kIpv4MinHeaderLength) +
                           header::kTcpMinHeaderLength;
  uint32_t mss = mtu > headers ? mtu - headers : 536;
  if (user_mss_ != 0) mss = std::min<uint32_t>(mss, user_mss_);
  return static_cast<uint16_t>(std::min<uint32_t>(mss, 65535));
}

uint32_t Endpoint::ts_value() const {
  // Linux: a millisecond clock plus a per-connection offset from a keyed hash
  // of the 4-tuple (secure_tcp_ts_off()).
  const auto ms = static_cast<uint32_t>(now().nanos() / 1'000'000);
  return ms + protocol_.isn().keyed_hash(tuple_, 0x7473u);
}

void Endpoint::send_syn() {
  advertised_mss_ = mss_to_advertise();
  // Linux tcp_connect_init() fixes the scale once: a retransmitted SYN
  // offers the same, whatever SO_RCVBUF became since (the peer may answer
  // either SYN). Its MSS follows the route's MTU each time
  // (tcp_advertise_mss()).
  if (snd_max_ == iss_) {
    rcv_wscale_ = syn_wscale_ = window_scale_to_offer();
    simultaneous_open_ = false;
  }
  // An active open sizes its window before it knows about timestamps.
  if (syn_retries_ == 0) rwin_.initialize(advertised_mss_);
  if (syn_retries_ == 0) rtt_probe_.emplace(iss_, now());
  if (syn_retries_ == 0) handshake_started_ = now();  // Linux retrans_stamp of the SYN
  // Linux tcp_send_syn_data(): only the first SYN carries Fast Open data and
  // option; retransmissions are plain SYNs.
  const std::span<const uint8_t> data = syn_retries_ == 0 && !syn_resent_
                                            ? std::span<const uint8_t>(syn_data_)
                                            : std::span<const uint8_t>();
  emit(kSyn | ecn_syn_flags(), iss_, seqnum::Value(0), data, /*syn_options=*/true);
  syn_fastopen_exp_ = syn_fast_open_ && syn_fast_open_->experimental;
  syn_fast_open_.reset();  // Linux: cookie.len = -1 once the SYN went
  if (snd_max_ == iss_) {
    snd_max_ = iss_.add(seqnum::Size(1 + static_cast<uint32_t>(data.size())));
  }
  snd_nxt_ = iss_.add(seqnum::Size(1));
  arm_retransmit();
}

void Endpoint::send_syn_ack() {
  transmit_syn_ack();
  arm_retransmit();
}

void Endpoint::transmit_syn_ack() {
  if (syn_retries_ == 0) rtt_probe_.emplace(iss_, now());
  // RFC 3168 6.1.1: a SYN-ACK agreeing to ECN carries ECE alone.
  emit(kSyn | kAck | (ecn_ok_ ? kEce : 0), iss_, rcv_nxt_, {}, /*syn_options=*/true);
  syn_fast_open_.reset();  // Linux: a retransmitted SYN-ACK has no cookie (no foc)
  if (snd_max_ == iss_) snd_max_ = iss_.add(seqnum::Size(1));
  // A Fast Open child's data may follow the SYN-ACK already.
  if (!passive_fastopen_) snd_nxt_ = iss_.add(seqnum::Size(1));
}

void Endpoint::negotiate_syn_options(const header::TcpOptions& peer) {
  const Config& c = protocol_.config();
  // RFC 9293 3.7.1: without an MSS option the peer can take 536 bytes.
  peer_mss_ = peer.mss.value_or(536);
  // RFC 7323 2.2: scaling is used only when both SYNs carried the option.
  wscale_ok_ = c.window_scaling && peer.window_scale.has_value();
  snd_wscale_ = wscale_ok_ ? *peer.window_scale : 0;
  // RFC 7323 2.2: without the peer's option neither side scales. (Linux
  // keeps its own shift in a simultaneous open; see docs/linux-differences.md.)
  if (!wscale_ok_) rcv_wscale_ = 0;
  ts_enabled_ = c.timestamps && peer.timestamps.has_value();
  if (ts_enabled_) {
    ts_recent_ = peer.timestamps->value;
    ts_recent_stamp_ = now();
  }
  // Linux: SACK is permitted only when both sides offered it.
  sack_enabled_ = c.sack && peer.sack_permitted;
  const uint32_t our_mss = advertised_mss_ != 0 ? advertised_mss_ : mss_to_advertise();
  uint32_t mss = std::min<uint32_t>(peer_mss_, our_mss);
  if (user_mss_ != 0) mss = std::min<uint32_t>(mss, user_mss_);
  // Linux tcp_mss_to_mtu() minus options: timestamps take 12 bytes of each segment.
  if (ts_enabled_) mss -= 12;
  set_path_mss(std::max<uint32_t>(mss, 48));  // Linux TCP_MIN_SND_MSS
  mss_mtu_ = route_mtu();
}

void Endpoint::handle_syn_sent(Segment& s) {
  // RFC 9293 3.10.7.3, first check the ACK bit.
  if (s.has(kAck) && (s.ack.less_equal(iss_) || s.ack.greater_than(snd_max_))) {
    // Linux: "previous FIN/ACK or RST/ACK might be ignored", so the SYN goes
    // again almost at once (TCP_TIMEOUT_MIN) unless it was retransmitted already.
    if (syn_retries_ == 0) retransmit_timer_.arm_after(std::chrono::milliseconds(2));
    protocol_.send_reset_reply(s.wire, id_, state_);
    trace_in(s, Verdict::kBadAck);
    return;
  }
  // Linux tcp_rcv_synsent_state_process() (PAWSACTIVEREJECTED): an ACK
  // whose TSecr no SYN of ours can have carried, before our first SYN's
  // TSval or after now, draws a RST too.
  if (s.has(kAck) && syn_tsval_ && s.options.timestamps && s.options.timestamps->echo_reply != 0 &&
      s.options.timestamps->echo_reply - *syn_tsval_ > ts_value() - *syn_tsval_) {
    protocol_.send_reset_reply(s.wire, id_, state_);
    trace_in(s, Verdict::kBadAck);
    return;
  }
  if (s.has(kRst)) {
    if (s.has(kAck)) {
      // The RFC calls this "connection reset"; Linux (and gVisor) report ECONNREFUSED.
      ++protocol_.stats().resets_received;
      trace_in(s, Verdict::kResetAccepted);
      fail(ECONNREFUSED, "ext: rcv RST", /*send_rst=*/false);
    } else {
      trace_in(s, Verdict::kResetIgnored);
    }
    return;
  }
  if (!s.has(kSyn)) {
    trace_in(s, Verdict::kDropped);
    return;
  }
  irs_ = s.seq;
  rcv_nxt_ = s.seq.add(seqnum::Size(1));
  // The window our SYN offered starts at the peer's ISN + 1 (Linux
  // tcp_rcv_synsent_state_process(): rcv_wup = rcv_nxt, rcv_wnd kept).
  rcv_wup_ = rcv_nxt_;
  rcv_adv_ = rcv_nxt_.add(seqnum::Size(rwin_.syn_window()));
  simultaneous_open_ = !s.has(kAck);
  negotiate_syn_options(s.options);
  if (s.has(kAck)) {
    // Linux tcp_rcv_synsent_state_process(): the window offered so far is
    // the whole initial one, whatever the SYN could carry.
    rcv_adv_ = rcv_nxt_.add(seqnum::Size(rwin_.rcv_wnd()));
    rcv_wup_ = rcv_nxt_;
    bytes_acked_ += snd_una_.size_to(s.ack).bytes();
    snd_una_ = s.ack;
    syn_acked_ = true;
    ecn_on_synack(s);
    snd_wnd_ = s.window;  // RFC 7323 2.2: the window in a SYN is never scaled
    snd_wl1_ = s.seq;
    snd_wl2_ = s.ack;
    trace_in(s, Verdict::kAccepted);
    complete_handshake(s, "rcv SYN,ACK");
    bool data_again = false;
    if (syn_fastopen_ || !syn_data_.empty()) {
      data_again = on_fast_open_synack(s);
      // Linux tcp_fastopen_add_skb(): with Fast Open, data on the SYN-ACK
      // is taken, and a FIN on it (tcp_fin(): on to CLOSE-WAIT).
      if (!s.payload.empty()) {
        const auto len = static_cast<uint32_t>(s.payload.size());
        rwin_.queued(len);
        receive_queue_.append(s.payload);
        rcv_nxt_ = rcv_nxt_.add(seqnum::Size(len));
      }
      if (s.has(kFin)) take_fin();
    }
    // Linux drops data carried on a SYN-ACK (without Fast Open) and ACKs the
    // SYN, unless SYN data goes again and carries the ACK (tcp_rcv_fastopen_synack()).
    const bool ack_delayed = write_pending_ && !data_again;
    if (ack_delayed) {
      // Linux: a writer waits (sk_write_pending), so the ACK is saved for
      // its data to carry (delayed up to TCP_DELACK_MAX, quickack mode).
      enter_quickack_mode();
      delayed_ack_.delay_for_writer(now());
    } else if (!data_again) {
      send_ack();
    }
    // Linux tcp_rcv_state_process(): after a SYN-ACK answered at once, "step
    // 6 onward by hand": its urgent pointer counts (tcp_urg()).
    if (!ack_delayed) check_urgent(s);
    send_data();
    return;
  }
  // Simultaneous open (RFC 9293 figure 8): answer with SYN-ACK and wait.
  trace_in(s, Verdict::kAccepted);
  transition(State::kSynRcvd, "rcv SYN");
  ecn_on_simultaneous_syn(s);
  snd_wnd_ = s.window;
  // Linux tcp_rcv_synsent_state_process(): max_window from the SYN, and
  // the MSS synced to it.
  max_snd_wnd_ = snd_wnd_;
  bound_mss_to_window();
  // Linux tcp_send_synack() turns our SYN into the SYN-ACK and leaves its
  // retransmission timer running (checked on Linux 6.18).
  transmit_syn_ack();
}

bool Endpoint::echoes_a_synack(const Segment& s) const {
  // Linux tcp_check_req(): on a passive open with timestamps, a non-zero
  // TSecr must be the TSval of one of our SYN-ACKs.
  if (listener_ == kNoEndpoint || !ts_enabled_ || !synack_tsvals_ || !s.options.timestamps ||
      s.options.timestamps->echo_reply == 0) {
    return true;
  }
  const uint32_t ecr = s.options.timestamps->echo_reply;
  return ecr - synack_tsvals_->first <= synack_tsvals_->second - synack_tsvals_->first;
}

void Endpoint::handle_syn_rcvd(Segment& s) {
  // A Fast Open child stays on Linux's request-sock path (tcp_check_req()
  // with fastopen) after accept() has detached it from its listener.
  if ((listener_ == kNoEndpoint && !passive_fastopen_) || full_socket_child_) {
    handle_full_socket_syn_rcvd(s);
    return;
  }
  // Linux tcp_check_req(), in its order. Only RST, SYN and ACK count as
  // flags there: a SYN with FIN, PSH or URG is the same SYN.
  const uint8_t flags = s.flags & (kRst | kSyn | kAck);
  const bool paws_reject = ts_enabled_ && s.options.timestamps && ts_recent_ != 0 &&
                           static_cast<int32_t>(ts_recent_ - s.options.timestamps->value) > 0;
  if (answered_in_syn_rcvd(s, flags == kSyn && s.seq == irs_ && !paws_reject)) return;
  const bool acceptable = in_request_window(s) && !paws_reject;
  if (!acceptable || !echoes_a_synack(s)) {
    // RFC 9293 3.10.7.4 step 1: ACK and drop (Linux rate-limits it). Linux
    // tcp_check_req() treats a TSecr that is no SYN-ACK's TSval
    // ("tsecr_reject") the same way, whatever the flags (found by tcpfuzz diff).
    if (!s.has(kRst)) send_dup_ack_rate_limited(s);
    if (!acceptable) ++protocol_.stats().out_of_window;
    trace_in(s, acceptable ? Verdict::kDropped : Verdict::kOutOfWindow);
    return;
  }
  if (s.has(kRst) && s.seq != rcv_nxt_) {
    // RFC 5961 3.2 as Linux 6.18's tcp_check_req() applies it (checked on
    // Linux): a RST inside the window but not at RCV.NXT draws a
    // rate-limited ACK and leaves the request be. Its limit spares no data
    // (a RST with data arms it too), as a challenge ACK's.
    send_challenge_ack();
    trace_in(s, Verdict::kChallengeAck);
    return;
  }
  // The SYN of a segment at the peer's ISN lies before the window: Linux
  // tcp_check_req() takes it off, so SYN+ACK there is the handshake's ACK.
  const bool syn_at_isn = s.seq == irs_ && s.has(kSyn);
  if (syn_at_isn) s.flags &= static_cast<uint8_t>(~kSyn);
  if (s.has(kRst) || s.has(kSyn)) {
    // Linux embryonic_reset: the request is dropped (RFC 9293: back to
    // LISTEN, which the listener never left); a SYN is answered with RST.
    protocol_.send_reset_reply(s.wire, id_, state_);
    if (s.has(kRst)) ++protocol_.stats().resets_received;
    trace_in(s, Verdict::kResetAccepted);
    if (passive_fastopen_) {
      // Linux embryonic_reset with a Fast Open child: it is a full socket
      // already in the accept queue; a RST resets it like an established
      // one (tcp_reset()), a SYN only draws the RST and leaves it be.
      if (s.has(kRst)) {
        end_passive_fast_open();
        fail(ECONNRESET, "ext: rcv RST", /*send_rst=*/false);
      }
      return;
    }
    release_resources();
    if (s.has(kRst)) {
      transition(State::kListen, "rcv RST");
      transition(State::kClosed, "ext: child discarded");
    } else {
      transition(State::kClosed, "ext: rcv RST");
    }
    return;
  }
  if (!s.has(kAck)) {
    trace_in(s, Verdict::kNoAck);
    return;
  }
  if (passive_fastopen_) {
    // A Fast Open child is in the accept queue already.
    accept_handshake_ack(s);
    return;
  }
  // TCP_DEFER_ACCEPT: a bare ACK does not complete the handshake until the
  // defer period has passed (gVisor's rule; Linux counts SYN-ACK retransmits).
  if (defer_accept_ > Duration(0) && s.payload.empty() && !s.has(kFin) &&
      now() - handshake_started_ < defer_accept_) {
    deferred_ack_seen_ = true;
    trace_in(s, Verdict::kDeferredAck);
    return;
  }
  const ListenQueue* q = listener_queue();
  if (q != nullptr && q->accept_queue_full()) {
    // Linux: accept queue full, the ACK is dropped and the SYN-ACK will be
    // retransmitted (tcp_abort_on_overflow=0).
    ++protocol_.stats().listen_overflows;
    trace_in(s, Verdict::kListenDropped);
    return;
  }
  if (syn_at_isn) {
    become_full_socket_child(s);
    return;
  }
  accept_handshake_ack(s);
}

void Endpoint::become_full_socket_child(Segment& s) {
  // Linux tcp_check_req() made the child from the request (its SND.UNA is
  // past the SYN-ACK, its window the segment's) and queued it for accept();
  // the child, still in SYN-RECEIVED, then sees the SYN bit
  // (tcp_validate_incoming()): a challenge ACK, the segment dropped with
  // its data and FIN. Nothing retransmits the SYN-ACK any more.
  if (ts_enabled_) update_ts_recent(s);
  snd_una_ = snd_nxt_ = snd_max_ = snd_sml_ = pushed_seq_ = s.ack;
  snd_wnd_ = uint32_t{s.window} << snd_wscale_;
  max_snd_wnd_ = std::max(max_snd_wnd_, snd_wnd_);  // Linux tcp_create_openreq_child()
  bound_mss_to_window();
  snd_wl1_ = s.seq;
  snd_wl2_ = s.ack;
  syn_acked_ = true;
  retransmit_timer_.cancel();
  full_socket_child_ = true;
  if (ListenQueue* q = listener_queue()) q->established(id_);
  send_challenge_ack();
  trace_in(s, Verdict::kChallengeAck);
}

void Endpoint::handle_full_socket_syn_rcvd(Segment& s) {
  // A full socket's SYN-RECEIVED (Linux tcp_rcv_state_process()): the
  // synchronized states' checks come first (tcp_validate_incoming()), so a
  // RST must sit at RCV.NXT and a SYN draws a challenge ACK. Only the peer's
  // pure SYN-ACK at its ISN that acks all we sent (SYN data too: SND.NXT)
  // passes as the handshake's ACK, and only once a socket holds the
  // connection (sk->sk_socket: a child before accept() challenges it).
  const bool handshake_syn_ack = (s.flags & (kSyn | kAck | kRst | kFin)) == (kSyn | kAck) &&
                                 s.payload.empty() && s.seq.add(seqnum::Size(1)) == rcv_nxt_ &&
                                 s.ack == snd_max_ && listener_ == kNoEndpoint;
  if (!passes_synchronized_checks(s, handshake_syn_ack)) return;
  if (handshake_syn_ack) s.flags &= static_cast<uint8_t>(~kSyn);
  if (answered_in_syn_rcvd(s, /*retransmitted_syn=*/false)) return;
  // Linux tcp_ack() from SND.UNA = ISS: the SYN and any SYN data count as
  // acked bytes (a passive child starts at ISS + 1 and counts none).
  bytes_acked_ += snd_una_.size_to(s.ack).bytes();
  accept_handshake_ack(s);
  if (handshake_syn_ack && state_ == State::kEstablished) {
    // Linux tcp_data_queue(): its SYN is then a duplicate of the peer's
    // first, D-SACKed and ACKed at once.
    if (sack_enabled_) dsack_ = header::SackBlock{s.seq.raw(), s.seq.raw() + 1};
    enter_quickack_mode();
    send_ack();
  }
}

bool Endpoint::answered_in_syn_rcvd(const Segment& s, bool retransmitted_syn) {
  // A retransmitted SYN gets the SYN-ACK again.
  if (retransmitted_syn) {
    trace_in(s, Verdict::kAccepted);
    emit(kSyn | kAck | (ecn_ok_ ? kEce : 0), iss_, rcv_nxt_, {}, /*syn_options=*/true);
    return true;
  }
  // RFC 9293 3.10.7.4 step 5 for unsynchronized states: an ACK of
  // something not sent draws a RST and changes nothing. A RST is judged by
  // its sequence number alone, whatever it acknowledges (checked on Linux).
  // A Fast Open child, or a simultaneous open whose SYN carried data, may
  // have sent data already: an ACK of it counts too.
  const bool ack_in_range = s.ack.greater_than(iss_) && s.ack.less_equal(snd_max_);
  if (s.has(kAck) && !s.has(kRst) && !ack_in_range) {
    protocol_.send_reset_reply(s.wire, id_, state_);
    trace_in(s, Verdict::kBadAck);
    return true;
  }
  return false;
}

bool Endpoint::in_request_window(const Segment& s) const {
  // Linux tcp_in_window() for a request sock: the segment starts at RCV.NXT,
  // or overlaps the window the SYN-ACK offered (tcp_synack_window(): what
  // its unscaled field can say), or is empty at its right edge.
  const seqnum::Value end = s.seq.add(s.logical_length());
  const seqnum::Value right =
      rcv_nxt_.add(seqnum::Size(std::min<uint32_t>(rcv_nxt_.size_to(rcv_adv_).bytes(), 65535)));
  if (s.seq == rcv_nxt_) return true;
  if (end.greater_than(rcv_nxt_) && s.seq.less_than(right)) return true;
  return s.seq == right && s.seq == end;
}

void Endpoint::accept_handshake_ack(Segment& s) {
  // Linux tcp_rcv_state_process() in SYN-RECEIVED for a Fast Open child,
  // which may have sent data already: the ACK establishes, then is processed
  // like any other (tcp_ack()).
  const bool fast_open = passive_fastopen_;
  if (ts_enabled_) update_ts_recent(s);
  if (!fast_open) snd_una_ = s.ack;
  syn_acked_ = true;
  // RFC 7323 2.2: windows after the SYN are scaled.
  snd_wnd_ = uint32_t{s.window} << snd_wscale_;
  snd_wl1_ = s.seq;
  snd_wl2_ = s.ack;
  trace_in(s, Verdict::kAccepted);
  complete_handshake(s, "rcv ACK of SYN");
  if (!syn_data_.empty()) settle_syn_data(s.ack, /*mark_lost=*/false);
  if (fast_open && s.ack.greater_than(snd_una_) && !handle_ack(s)) return;
  // Data (and FIN) riding on the final ACK are processed, not dropped.
  if (!s.payload.empty() || s.has(kFin)) handle_data(s);
  send_data();
  flush_ack_check();
}

void Endpoint::complete_handshake(const Segment& s, std::string_view cause) {
  retransmit_timer_.cancel();
  // Karn: a SYN that was retransmitted gives no RTT sample, unless the
  // echoed timestamp times it (RFC 7323 4.1; Linux tcp_ack_update_rtt()
  // from tcp_ack() or tcp_synack_rtt_meas()).
  if (syn_retries_ == 0 && rtt_probe_) {
    add_rtt_sample(now() - rtt_probe_->second);
  } else {
    sample_rtt_from_echo(s);
  }
  rtt_probe_.reset();
  rtt_.reset_backoff();
  // RFC 6298 (5.7) / Linux tcp_init_transfer(): after lost SYNs or SYN-ACKs
  // the window starts at one segment, but only after more than one
  // retransmission ("in light of the 1 s initial RTO"), and not when the
  // peer echoes our first SYN's or SYN-ACK's TSval: the timeout was
  // spurious (tcp_try_undo_spurious_syn()).
  const std::optional<uint32_t> first_tsval = listener_ != kNoEndpoint && synack_tsvals_
                                                  ? std::optional(synack_tsvals_->first)
                                                  : syn_tsval_;
  const bool spurious = ts_enabled_ && s.options.timestamps && first_tsval &&
                        s.options.timestamps->echo_reply == *first_tsval;
  recovery_.set_initial_window(syn_retries_ > 1 && !spurious ? 1 : protocol_.config().initial_cwnd);
  max_snd_wnd_ = std::max(max_snd_wnd_, snd_wnd_);
  bound_mss_to_window();
  // SYN-ACK delivered (Linux counts it by hand: tcp_ack() does not see it).
  ++delivered_;
  // A Fast Open child's data, sent before the handshake ended, stays in flight.
  if (!passive_fastopen_) snd_nxt_ = snd_max_ = snd_sml_ = pushed_seq_ = snd_una_;
  if (passive_fastopen_ && snd_una_ != snd_max_) arm_retransmit();
  end_passive_fast_open();
  last_ack_received_at_ = now();
  ++protocol_.stats().established;
  // Linux tcp_init_buffer_space(): the buffer grows unless SO_SNDBUF fixed it.
  if (!sndbuf_locked_) expand_sndbuf();
  // tp->advmss: a passive open keeps the route's MSS, an active one takes
  // the timestamp option off (tcp_rcv_synsent_state_process()).
  const bool active = listener_ == kNoEndpoint && state_ == State::kSynSent;
  rwin_.establish(advertised_mss_ - (active && ts_enabled_ ? 12u : 0u), rcv_wscale_);
  transition(State::kEstablished, cause);
  if (ListenQueue* q = listener_queue(); q != nullptr && !q->awaiting_accept(id_)) {
    q->established(id_);
  }
  reset_keepalive();
}

}  // namespace netstack::tcp
