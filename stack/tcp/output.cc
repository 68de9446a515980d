// Sending: data segmentation within the send and congestion windows, Nagle,
// pure ACKs (immediate and delayed), RSTs, and the one place segments are
// built (gVisor snd.go sendData()/sendSegment(); Linux tcp_output.c).
#include <algorithm>
#include <utility>

#include "stack/header/ip.h"
#include "stack/header/tcp_packet.h"
#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

using namespace header::tcp_flag;

namespace {

// Push marks ascend within one window of sequence space.
bool before(seqnum::Value a, seqnum::Value b) {
  return a.less_than(b);
}

}  // namespace

seqnum::Value Endpoint::fin_seq() const {
  return snd_una_.add(seqnum::Size(static_cast<uint32_t>(send_queue_.size())));
}

bool Endpoint::fin_acked() const {
  return fin_sent_ && snd_una_.greater_than(fin_sent_seq_);
}

uint32_t Endpoint::window_candidate() {
  // Linux __tcp_select_window(): with less than half the buffer free,
  // quickack mode ends (the ACKs that follow may be delayed).
  if (rwin_.under_half_free()) delayed_ack_.end_quickack();
  return rwin_.select(rcv_mss_, rcv_wscale_, rcv_adv_.raw() - rcv_wup_.raw());
}

uint32_t Endpoint::current_mss() const {
  if (!sack_enabled_ || (sack_list_.empty() && !dsack_)) return snd_mss_;
  // As emit() lays them out: two NOPs, kind and length, 8 bytes a block.
  const size_t room = ts_enabled_ ? 3 : 4;
  const size_t n = std::min(room, (dsack_ ? 1 : 0) + sack_list_.blocks().size());
  const auto option_bytes = static_cast<uint32_t>(4 + 8 * n);
  return std::max<uint32_t>(snd_mss_ - option_bytes, 48);  // Linux TCP_MIN_SND_MSS
}

uint16_t Endpoint::window_to_advertise() {
  const uint32_t unit = uint32_t{1} << rcv_wscale_;
  // What is left of the window offered before.
  const uint32_t current = rcv_nxt_.less_than(rcv_adv_) ? rcv_nxt_.size_to(rcv_adv_).bytes() : 0;
  if (state_ == State::kSynRcvd) {
    // A SYN-RECEIVED connection repeats the SYN-ACK's offer and keeps the
    // window it stands for (Linux request socks, tcp_synack_window()).
    return static_cast<uint16_t>(std::min<uint32_t>(current, 65535) >> rcv_wscale_);
  }
  uint32_t window = window_candidate();
  // RFC 7323 2.4 / RFC 9293 3.8.6.2.2: the right edge never moves left
  // (Linux tcp_select_window()).
  if (window < current) window = (current + unit - 1) / unit * unit;
  window = std::min<uint32_t>(window, uint32_t{65535} << rcv_wscale_);
  rcv_adv_ = rcv_nxt_.add(seqnum::Size(window));
  rcv_wup_ = rcv_nxt_;
  return static_cast<uint16_t>(window >> rcv_wscale_);
}

size_t Endpoint::emit(uint8_t flags, seqnum::Value seq, seqnum::Value ack,
                      std::span<const uint8_t> payload, bool syn_options, bool new_data) {
  if (protocol_.allocation_fails(AllocationSite::kOutputSegment)) {
    // No buffer for the segment: it is not sent, and nothing about it is
    // recorded (window, D-SACK, timestamps). Data, SYN and FIN stay in
    // flight and go again when the retransmission timer fires (Linux keeps
    // them unsent and retries on its probe or resource timers instead); a
    // bare ACK is retried by the delayed-ACK timer (Linux __tcp_send_ack()
    // does, with a backoff); a RST is lost.
    if (flags == kAck && payload.empty()) delayed_ack_.retry_failed_ack(now());
    return 0;
  }
  const Config& c = protocol_.config();
  header::TcpPacketSpec spec;
  spec.src = tuple_.local_address;
  spec.dst = tuple_.remote_address;
  spec.tcp.src_port = tuple_.local_port;
  spec.tcp.dst_port = tuple_.remote_port;
  spec.tcp.seq = seq.raw();
  spec.tos = ecn_on_send(&flags, new_data && !payload.empty());
  // Linux __tcp_transmit_skb(): in urgent mode a segment that starts before
  // the urgent pointer carries it, relative to its own sequence number
  // (0xFFFF when it is farther, while sequence numbers that far are unsent).
  if (snd_up_ && seq.less_than(*snd_up_)) {
    const uint32_t distance = seq.size_to(*snd_up_).bytes();
    if (distance < 0x10000) {
      flags |= kUrg;
      spec.tcp.urgent = static_cast<uint16_t>(distance);
    } else if (seq.add(seqnum::Size(0xFFFF)).greater_than(snd_nxt_)) {
      flags |= kUrg;
      spec.tcp.urgent = 0xFFFF;
    }
  }
  spec.tcp.flags = flags;
  if ((flags & kAck) != 0) spec.tcp.ack = ack.raw();
  header::TcpOptions& o = spec.options;
  if (syn_options) {
    // RFC 7323 2.2: the window of a SYN or SYN-ACK is never scaled.
    spec.tcp.window = rwin_.syn_window();
    if ((flags & kAck) != 0) {
      // Linux's rcv_wnd is the whole initial window, not the at most 65535
      // bytes a SYN-ACK can say; later windows never shrink below it
      // (tcp_select_window()), so the first ACK keeps e.g. 64240.
      rcv_adv_ = rcv_nxt_.add(seqnum::Size(rwin_.rcv_wnd()));
      rcv_wup_ = rcv_nxt_;
    }
    o.mss = advertised_mss_;
    const bool syn_ack = (flags & kAck) != 0;
    // A SYN offers what is enabled; a SYN-ACK echoes what the peer offered,
    // except in a simultaneous open, where Linux sends a SYN-ACK with its
    // SYN's options (tcp_send_synack() uses tcp_syn_options()).
    const bool echoes = syn_ack && !simultaneous_open_;
    if (echoes ? ts_enabled_ : c.timestamps) {
      o.timestamps = header::Timestamps{ts_value(), syn_ack ? ts_recent_ : 0};
    }
    if (syn_ack && o.timestamps) {
      const uint32_t tsval = o.timestamps->value;
      synack_tsvals_ = std::make_pair(synack_tsvals_ ? synack_tsvals_->first : tsval, tsval);
    } else if (o.timestamps && !syn_tsval_) {
      syn_tsval_ = o.timestamps->value;
    }
    o.sack_permitted = echoes ? sack_enabled_ : c.sack;
    if (echoes ? wscale_ok_ : c.window_scaling) {
      o.window_scale = syn_ack && !echoes ? syn_wscale_ : rcv_wscale_;
    }
    // Linux tcp_syn_options()/tcp_synack_options(): the Fast Open option
    // goes last, and only if it fits.
    if (syn_fast_open_) {
      header::TcpOptions with = o;
      with.fast_open = syn_fast_open_;
      if (header::tcp_options_size(with) <= header::kTcpMaxOptionsLength) o = with;
    }
  } else {
    if (state_ != State::kSynSent) spec.tcp.window = window_to_advertise();
    // Linux answers from a request or timewait sock with tcp_v4_send_ack(),
    // which leaves the timestamp option out when it has nothing to echo
    // (ts_recent 0: the peer's TSval was 0).
    if (ts_enabled_ && !(is_minisock() && ts_recent_ == 0)) {
      o.timestamps = header::Timestamps{ts_value(), ts_recent_};
    }
    // Linux answers from a request or timewait sock without SACK blocks
    // (tcp_v4_send_ack() has none to send).
    if (sack_enabled_ && (flags & kAck) != 0 && (!sack_list_.empty() || dsack_) && !is_minisock()) {
      // With timestamps only three blocks fit in the 40 option bytes; a
      // D-SACK block goes first (RFC 2883 4), even when the list repeats
      // it (Linux tcp_options_write()).
      size_t room = ts_enabled_ ? 3 : 4;
      if (dsack_) {
        o.add_sack(*dsack_);
        dsack_.reset();
        --room;
      }
      for (const header::SackBlock& b :
           sack_list_.blocks().first(std::min(room, sack_list_.blocks().size()))) {
        o.add_sack(b);
      }
    }
  }
  spec.payload = payload;
  if ((flags & kAck) != 0) {
    // Linux tcp_event_ack_sent(): quickack credits pay for the segments acked.
    uint32_t acked = 0;
    if (delayed_ack_.has_quickack_credits()) {
      acked = std::max<uint32_t>(1, (rcv_wup_.size_to(rcv_nxt_).bytes() + rcv_mss_ - 1) / rcv_mss_);
    }
    last_ack_sent_ = ack;
    delayed_ack_.on_ack_sent(acked);
    ack_check_due_ = false;  // Linux tcp_event_ack_sent(): the scheduled ACK went
  }
  last_send_at_ = now();
  ++protocol_.stats().segments_sent;
  if ((flags & kRst) != 0) ++protocol_.stats().resets_sent;
  View packet = header::build_tcp_packet(spec);
  if (Tracer* t = protocol_.tracer()) {
    // The traced header carries the option bytes exactly as sent.
    auto parsed = header::parse_tcp(packet.bytes().subspan(
        tuple_.local_address.is_v4() ? header::kIpv4MinHeaderLength : header::kIpv6HeaderLength));
    t->on_segment_out(now(), id_, state_, SegmentOut{parsed->header, o, payload});
  }
  const size_t length = packet.size();
  protocol_.stack().send(std::move(packet), spec.src);
  return length;
}

void Endpoint::send_control(uint8_t flags, seqnum::Value seq, seqnum::Value ack) {
  emit(flags, seq, ack, {}, false);
}

bool Endpoint::is_minisock() const {
  return state_ == State::kTimeWait || timewait_fin_wait2_ ||
         (state_ == State::kSynRcvd && listener_ != kNoEndpoint && !full_socket_child_ &&
          !passive_fastopen_);
}

seqnum::Value Endpoint::acceptable_seq() const {
  // Linux tcp_acceptable_seq(): SND.NXT, unless the peer shrank its window
  // below it, then the window's right edge.
  const seqnum::Value wnd_end = snd_una_.add(seqnum::Size(snd_wnd_));
  if (wnd_end.less_than(snd_nxt_) &&
      !(wscale_ok_ && wnd_end.size_to(snd_nxt_).bytes() < (1u << rcv_wscale_))) {
    return wnd_end;
  }
  return snd_nxt_;
}

void Endpoint::send_ack() {
  if (state_ == State::kClosed || state_ == State::kListen || state_ == State::kSynSent) return;
  // Linux __tcp_send_ack() numbers a bare ACK as a RST (tcp_acceptable_seq());
  // a request or timewait sock, with SND.NXT.
  emit(kAck, is_minisock() ? snd_nxt_ : acceptable_seq(), rcv_nxt_, {}, false);
}

void Endpoint::send_rst_for_abort() {
  if (!is_synchronized(state_) && state_ != State::kSynRcvd) return;
  emit(kRst | kAck, acceptable_seq(), rcv_nxt_, {}, false);
}

void Endpoint::enter_quickack_mode() {
  delayed_ack_.enter_quickack_mode(rcv_adv_.raw() - rcv_wup_.raw(), rcv_mss_);
}

void Endpoint::on_data_received(uint32_t len) {
  // Linux tcp_measure_rcv_mss(): the largest segment seen (a GSO packet's
  // segment size), at most our MSS.
  if (len >= rcv_mss_) {
    rcv_mss_ = std::min<uint32_t>(len, advertised_mss_ != 0 ? advertised_mss_ : len);
  }
  const bool grew = rwin_.grow(rcv_mss_);
  autotune_.measure_rtt(now(), rcv_nxt_, rcv_adv_, rcv_mss_);
  delayed_ack_.on_data_received(now(), rcv_adv_.raw() - rcv_wup_.raw(), rcv_mss_);
  // Linux tcp_grow_window() (for segments of 128 bytes or more): a window
  // that may grow asks for one ACK at once (icsk_ack.quick |= 1).
  if (grew && len >= 128) delayed_ack_.add_quickack_credit();
}

void Endpoint::ack_check() {
  const bool more_than_a_segment = rcv_wup_.size_to(rcv_nxt_).bytes() > rcv_mss_ &&
                                   window_candidate() >= rcv_adv_.raw() - rcv_wup_.raw();
  if (more_than_a_segment || delayed_ack_.ack_due_now()) {
    send_ack();
    return;
  }
  // Linux tcp_send_delayed_ack(): ato, bounded in interactive mode or by the RTT.
  if (!delayed_ack_.schedule(now())) send_ack();
}

void Endpoint::schedule_immediate_ack() {
  delayed_ack_.ack_now();
  ack_check_due_ = true;
}

void Endpoint::flush_ack_check() {
  if (std::exchange(ack_check_due_, false)) ack_check();
}

void Endpoint::on_delayed_ack_timer() {
  if (Tracer* t = protocol_.tracer()) t->on_timer(now(), id_, state_, TimerKind::kDelayedAck);
  delayed_ack_.on_timer_fired();
  if (is_synchronized(state_) && state_ != State::kTimeWait) send_ack();
  after_event();
}

bool Endpoint::send_one_segment(seqnum::Value seq, size_t len, bool retransmit) {
  // A resent segment larger than that is split (Linux tcp_retransmit_skb()
  // fragments it), or the packet would exceed the MTU.
  const uint32_t mss = current_mss();
  len = std::min<size_t>(len, mss);
  const size_t offset = snd_una_.size_to(seq).bytes();
  const View payload = send_queue_.slice(offset, len);
  const size_t copied = payload.size();
  const seqnum::Value end = seq.add(seqnum::Size(static_cast<uint32_t>(copied)));
  uint8_t flags = kAck;
  // PSH where Linux's write path marked a push (see mark_push()), and on
  // what the probe timer sends (tcp_write_wakeup()).
  const bool marked = std::ranges::any_of(
      push_marks_, [&](seqnum::Value m) { return seq.less_than(m) && m.less_equal(end); });
  if ((marked || probe_push_) && copied > 0) flags |= kPsh;
  // Linux tcp_write_wakeup() sets PSH on the skb it sends: a resend keeps
  // it, and so does the rest of an skb the window cut (tcp_fragment()
  // gives the remainder the skb's flags).
  if (probe_push_ && copied > 0) {
    if (!marked) add_push_mark(end);
    const seqnum::Value skb_end = send_skbs_.end_of(seq);
    if (!retransmit && skb_end.greater_than(end)) add_push_mark(skb_end);
  }
  bool with_fin = false;
  if (fin_queued_ && end == fin_seq()) {
    const uint32_t usable = snd_una_.add(seqnum::Size(snd_wnd_)).raw() - end.raw();
    if (copied == 0 || static_cast<int32_t>(usable) > 0 || retransmit) {
      flags |= kFin;
      with_fin = true;
    }
  }
  if (copied == 0 && !with_fin) return false;
  const seqnum::Value next = end.add(seqnum::Size(with_fin ? 1 : 0));
  const seqnum::Value snd_max_before = snd_max_;
  recovery_.on_segment_sent();
  if (seq.less_than(snd_max_)) {
    ++total_retransmits_;
    ++protocol_.stats().retransmits;
    if (rtt_probe_ && !rtt_probe_->first.less_than(seq)) rtt_probe_.reset();  // Karn
    sent_.on_retransmit(seq, next.less_than(snd_max_) ? next : snd_max_, now());
    // Linux tcp_retransmit_skb() resends a segment's worth: tcp_fragment().
    send_skbs_.split_at(end);
    // A FIN joining a resent segment goes for the first time.
    if (next.greater_than(snd_max_)) sent_.on_transmit(snd_max_, next, with_fin, now());
    if (recovery_.undo_armed()) {
      recovery_.on_retransmit(ts_enabled_ ? std::optional<uint32_t>(ts_value()) : std::nullopt);
    }
  } else {
    // Sending resumes after an idle period: only a segment actually sent
    // counts (Linux tcp_event_data_sent()).
    if (sent_.packets_out() == 0) recovery_.restart_after_idle(now(), rtt_.rto());
    sent_.on_transmit(seq, next, with_fin, now());
    recovery_.on_new_data_sent(now());
    if (!rtt_probe_) rtt_probe_.emplace(seq, now());
    // Linux tcp_event_data_sent(): a reply within ato of the last data
    // received makes the connection interactive (TCP_PINGPONG_THRESH 1).
    if (copied > 0) delayed_ack_.on_data_sent(now());
  }
  const size_t packet_length = emit(flags, seq, rcv_nxt_, payload.bytes(), false,
                                    /*new_data=*/!seq.less_than(snd_max_before));
  const size_t errors_before = error_queue_.size();
  // A segment that was never sent is never timestamped.
  if (packet_length > 0) {
    tx_stamps_.on_transmit(seq, static_cast<uint32_t>(copied), static_cast<uint32_t>(packet_length),
                           now(), error_queue_);
  }
  if (error_queue_.size() != errors_before) ++wakeups_.error;  // sk_error_report
  persist_timer_.cancel();                                     // data is moving: no probe needed
  // Linux tcp_minshall_update() runs for new data only (tcp_write_xmit()),
  // not for retransmissions.
  if (copied < mss && !seq.less_than(snd_max_before)) snd_sml_ = end;
  if (with_fin) {
    fin_sent_ = true;
    fin_sent_seq_ = end;
  }
  if (snd_nxt_.less_than(next) || snd_nxt_ == seq) snd_nxt_ = next;
  if (snd_max_.less_than(next)) snd_max_ = next;
  if (!retransmit_timer_.armed()) {
    rto_deadline_ = now() + rtt_.rto();
    set_xmit_timer();
  }
  return true;
}

bool Endpoint::retransmit_lost() {
  while (SentSegment* lost = sent_.next_lost()) {
    if (!recovery_.can_send()) return false;
    // Linux tcp_retransmit_skb(): beyond the peer's window only the head goes.
    const seqnum::Value wnd_end = snd_una_.add(seqnum::Size(snd_wnd_));
    if (!lost->start.less_than(wnd_end) && !(lost->start == snd_una_)) return false;
    const uint32_t payload = lost->start.size_to(lost->end).bytes() - (lost->fin ? 1 : 0);
    const seqnum::Value start = lost->start;
    if (!send_one_segment(start, std::min(payload, snd_mss_), /*retransmit=*/true)) return false;
    // Linux tcp_xmit_retransmit_queue(): resending the head restarts the
    // RTO (and replaces a pending loss probe).
    if (start == snd_una_ && !recovery_.reorder_timer_armed()) arm_retransmit();
  }
  return true;
}

void Endpoint::mark_push(seqnum::Value at) {
  add_push_mark(at);
  pushed_seq_ = at;
}

void Endpoint::add_push_mark(seqnum::Value at) {
  const auto after = std::ranges::upper_bound(push_marks_, at, before);
  if (after == push_marks_.begin() || !(*std::prev(after) == at)) push_marks_.insert(after, at);
}

bool Endpoint::clear_push_mark(seqnum::Value at) {
  const auto it = std::ranges::lower_bound(push_marks_, at, before);
  if (it == push_marks_.end() || !(*it == at)) return false;
  push_marks_.erase(it);
  return true;
}

seqnum::Value Endpoint::grow_send_head(seqnum::Value end, uint32_t mss) {
  // Linux tcp_grow_skb() (6.10+): the skb about to go takes bytes from the
  // next unsent one, up to what the congestion window lets go in one burst
  // (tcp_cwnd_test()'s quota, at most gso_max_segs segments), and swallows
  // it when it takes all. So skbs cut small earlier (a smaller MSS, SACK
  // blocks taking room, half a tiny window) go out in full segments.
  const seqnum::Value next_end = send_skbs_.end_of(end);
  if (next_end == end) return end;  // the last skb
  // tcp_skb_can_collapse_to(): an skb that ends a record takes no more.
  if (std::ranges::find(eor_marks_, end) != eor_marks_.end()) return end;
  // No skb grows past the GSO limit (GSO_LEGACY_MAX_SIZE).
  const uint64_t burst = std::min<uint64_t>(
      uint64_t{std::min(recovery_.cwnd_quota(), protocol_.config().gso_max_segs)} * mss,
      SendSkbs::kMaxBytes);
  const uint32_t len = snd_nxt_.size_to(end).bytes();
  if (burst <= len) return end;
  const auto take =
      static_cast<uint32_t>(std::min<uint64_t>(burst - len, end.size_to(next_end).bytes()));
  const seqnum::Value grown = end.add(seqnum::Size(take));
  // The PSH flag belongs to the skb: it moves to the grown end (and joins
  // the swallowed skb's own).
  const bool pushed = clear_push_mark(end);
  send_skbs_.move_end(end, grown);
  if (pushed) add_push_mark(grown);
  return grown;
}

void Endpoint::queue_write(std::span<const uint8_t> data, bool more, bool eor, bool forced_pushes) {
  const seqnum::Value sent_up_to = snd_nxt_;
  seqnum::Value write_seq = snd_una_.add(seqnum::Size(static_cast<uint32_t>(send_queue_.size())));
  // The last buffer takes more data only while none of it has been sent and
  // it does not end a record (Linux tcp_skb_can_collapse_to()).
  const bool record_end = !eor_marks_.empty() && eor_marks_.back() == write_seq;
  if (record_end || !write_seq.sub(seqnum::Size(tail_buffer_)).greater_equal(sent_up_to)) {
    tail_buffer_ = 0;
  }
  auto forced_push = [&] {
    return forced_pushes && write_seq.greater_than(pushed_seq_.add(seqnum::Size(max_snd_wnd_ / 2)));
  };
  size_t left = data.size();
  while (left > 0) {
    if (tail_buffer_ >= snd_mss_) tail_buffer_ = 0;  // full: a new buffer starts
    const size_t copy = std::min<size_t>(snd_mss_ - tail_buffer_, left);
    tail_buffer_ += static_cast<uint32_t>(copy);
    write_seq = write_seq.add(seqnum::Size(static_cast<uint32_t>(copy)));
    left -= copy;
    if (left > 0 && tail_buffer_ >= snd_mss_ && forced_push()) mark_push(write_seq);
  }
  send_queue_.append_copy(data);
  if (!more || forced_push()) mark_push(write_seq);
  if (eor) eor_marks_.push_back(write_seq);
}

void Endpoint::send_data() {
  switch (state_) {
    case State::kSynRcvd:
      // Linux: a passive Fast Open socket sends before the handshake ends.
      if (!passive_fastopen_) return;
      break;
    case State::kEstablished:
    case State::kCloseWait:
    case State::kFinWait1:
    case State::kClosing:
    case State::kLastAck:
      break;
    default:
      return;
  }
  sync_mss_to_route();
  const uint64_t sent_before = protocol_.stats().segments_sent;
  const bool cwnd_hit = transmit();
  // Linux tso_fragment(): where the windows stopped sending, an skb splits.
  send_skbs_.split_at(snd_nxt_);
  if (cwnd_hit || protocol_.stats().segments_sent != sent_before) {
    recovery_.validate_cwnd(cwnd_hit, snd_una_, snd_nxt_);
  }
}

bool Endpoint::new_data_ready() const {
  const size_t sent = std::min<size_t>(snd_una_.size_to(snd_nxt_).bytes(), send_queue_.size());
  return send_queue_.size() > sent && snd_una_.add(seqnum::Size(snd_wnd_)).greater_than(snd_nxt_);
}

bool Endpoint::transmit() {
  // F-RTO step 2.b (Linux tcp_xmit_recovery() REXMIT_NEW): new data before
  // the retransmissions; if none could go, they go as usual.
  if (recovery_.take_send_new_first()) {
    const seqnum::Value before = snd_max_;
    const bool cwnd_limited = send_new_data(/*nagle_off=*/true);
    if (snd_max_.greater_than(before)) return cwnd_limited;
    recovery_.on_no_new_data_sent();
  }
  // RFC 6675 NextSeg() rule 1: what is lost goes before new data.
  if (!retransmit_lost()) return !recovery_.can_send();
  return send_new_data();
}

bool Endpoint::send_new_data(bool nagle_off) {
  seqnum::Value skb_end = snd_nxt_;
  while (true) {
    const uint32_t in_flight = snd_una_.size_to(snd_nxt_).bytes();
    const uint32_t usable = snd_wnd_ > in_flight ? snd_wnd_ - in_flight : 0;
    const size_t sent_data =
        std::min<size_t>(snd_una_.size_to(snd_nxt_).bytes(), send_queue_.size());
    const size_t unsent = send_queue_.size() - sent_data;
    if (unsent == 0) {
      // Only the FIN may be left.
      if (fin_queued_ && !fin_sent_ && snd_nxt_ == fin_seq()) {
        if (snd_wnd_ == 0 && in_flight == 0) {
          arm_persist_timer();  // RFC 9293 3.8.6.1: probe a zero window
          return false;
        }
        send_one_segment(snd_nxt_, 0, false);
      }
      return false;
    }
    // Linux tcp_cwnd_test(): segments in flight against the window.
    if (!recovery_.can_send()) return true;
    const uint32_t mss = current_mss();
    if (!snd_nxt_.less_than(skb_end)) {
      // Linux tcp_snd_wnd_test(): an skb goes only if its first segment
      // fits in the peer's window; what is left waits for the window to
      // open, or for the probe timer, which sends what fits
      // (tcp_write_wakeup()).
      skb_end = grow_send_head(send_skbs_.end_of(snd_nxt_), mss);
      if (!probe_push_ && std::min(snd_nxt_.size_to(skb_end).bytes(), mss) > usable) {
        if (in_flight == 0) arm_persist_timer();  // RFC 9293 3.8.6.1
        return false;
      }
    }
    // Linux sends each skb on its own: a segment takes bytes of one only.
    size_t len = std::min<size_t>({unsent, mss, usable, snd_nxt_.size_to(skb_end).bytes()});
    // MSG_EOR: a segment ends at a record's end.
    for (const seqnum::Value mark : eor_marks_) {
      if (snd_nxt_.less_than(mark)) {
        len = std::min<size_t>(len, snd_nxt_.size_to(mark).bytes());
        break;
      }
    }
    if (len == 0) {
      if (snd_wnd_ == 0 && in_flight == 0) arm_persist_timer();  // RFC 9293 3.8.6.1
      return false;
    }
    // Linux tcp_nagle_test(): urgent mode sends small segments at once,
    // corked or not.
    if (len < mss && !snd_up_) {
      // Nagle (RFC 896 / RFC 9293 3.7.4): hold a small segment while data is
      // unacknowledged, unless TCP_NODELAY; TCP_CORK holds it regardless.
      const bool last_piece = len == unsent;
      const bool held = (cork_ || hold_for_more_) && !push_pending_;
      if (held && last_piece && !fin_queued_) {
        // Linux arms the probe timer when nothing is in flight to carry the
        // held data out eventually (tcp_check_probe_timer()).
        if (in_flight == 0) arm_persist_timer();
        return false;
      }
      // Linux uses Minshall's variant: only an unacknowledged *small*
      // segment holds the next one back.
      const bool small_in_flight = snd_sml_.greater_than(snd_una_);
      // A window-limited runt goes out as Linux's tcp_mss_split_point() sends it.
      if (!nodelay_ && !nagle_off && small_in_flight && last_piece && !fin_queued_) return false;
    }
    if (!send_one_segment(snd_nxt_, len, /*retransmit=*/false)) return false;
    // Linux tcp_write_xmit(): after sending, the loss probe is rescheduled
    // for what is now in flight.
    if (loss_probe_armed_) schedule_loss_probe();
  }
}

}  // namespace netstack::tcp
