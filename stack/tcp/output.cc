// Sending: data segmentation within the send and congestion windows, Nagle,
// pure ACKs (immediate and delayed), RSTs, and the one place segments are
// built (gVisor snd.go sendData()/sendSegment(); Linux tcp_output.c).
#include <algorithm>
#include <array>
#include <vector>

#include "stack/header/ip.h"
#include "stack/header/tcp_packet.h"
#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

using namespace header::tcp_flag;

seqnum::Value Endpoint::fin_seq() const {
  return snd_una_.add(seqnum::Size(static_cast<uint32_t>(send_queue_.size())));
}

bool Endpoint::fin_acked() const { return fin_sent_ && snd_una_.greater_than(fin_sent_seq_); }

uint32_t Endpoint::receive_space() const {
  // Linux tcp_space(): half the buffer carries payload, the rest overhead.
  const size_t used = receive_queue_.size() + reassembly_.bytes();
  const size_t half = rcvbuf_ / 2;
  return used >= half ? 0 : static_cast<uint32_t>(half - used);
}

uint32_t Endpoint::window_candidate() const {
  // Linux __tcp_select_window(): free space, capped by the growth threshold.
  uint32_t free = std::min(receive_space(), std::max(rcv_ssthresh_, snd_mss_));
  // Receiver-side silly window avoidance (RFC 1122 4.2.3.3): a window
  // smaller than one MSS is offered as zero.
  if (free < std::min<uint32_t>(snd_mss_, rcvbuf_ / 4)) free = 0;
  return free;
}

uint16_t Endpoint::window_to_advertise() {
  uint32_t free = window_candidate();
  // RFC 7323 2.4 / RFC 9293 3.8.6.2.2: the right edge never moves left.
  const uint32_t current = rcv_adv_.raw() - rcv_nxt_.raw();
  const bool edge_known = is_synchronized(state_) || state_ == State::kSynRcvd;
  if (edge_known && free < current && current <= (uint32_t{65535} << rcv_wscale_)) free = current;
  // Linux rounds a scaled window up to the scale's granularity.
  if (rcv_wscale_ > 0) {
    const uint32_t unit = 1u << rcv_wscale_;
    free = (free + unit - 1) & ~(unit - 1);
  }
  free = std::min<uint32_t>(free, uint32_t{65535} << rcv_wscale_);
  rcv_adv_ = rcv_nxt_.add(seqnum::Size(free));
  rcv_wup_ = rcv_nxt_;
  return static_cast<uint16_t>(free >> rcv_wscale_);
}

void Endpoint::emit(uint8_t flags, seqnum::Value seq, seqnum::Value ack,
                    std::span<const uint8_t> payload, bool syn_options) {
  const Config& c = protocol_.config();
  header::TcpPacketSpec spec;
  spec.src = tuple_.local_address;
  spec.dst = tuple_.remote_address;
  spec.tcp.src_port = tuple_.local_port;
  spec.tcp.dst_port = tuple_.remote_port;
  spec.tcp.seq = seq.raw();
  spec.tcp.flags = flags;
  if ((flags & kAck) != 0) spec.tcp.ack = ack.raw();
  header::TcpOptions& o = spec.options;
  if (syn_options) {
    // Linux's SYN and SYN-ACK: the window is never scaled and is the
    // initial window rounded down to whole segments.
    const uint32_t mss = advertised_mss_;
    rcv_ssthresh_ = std::min<uint32_t>(65535, rcvbuf_ / 2) / mss * mss;
    spec.tcp.window = static_cast<uint16_t>(rcv_ssthresh_);
    if ((flags & kAck) != 0) {
      rcv_adv_ = rcv_nxt_.add(seqnum::Size(rcv_ssthresh_));
      rcv_wup_ = rcv_nxt_;
    }
    o.mss = advertised_mss_;
    const bool syn_ack = (flags & kAck) != 0;
    // A SYN offers what is enabled; a SYN-ACK echoes what the peer offered.
    if (syn_ack ? ts_enabled_ : c.timestamps) o.timestamps = header::Timestamps{ts_value(), syn_ack ? ts_recent_ : 0};
    o.sack_permitted = syn_ack ? sack_enabled_ : c.sack;
    if (syn_ack ? wscale_ok_ : c.window_scaling) o.window_scale = rcv_wscale_;
  } else {
    if (state_ != State::kSynSent) spec.tcp.window = window_to_advertise();
    if (ts_enabled_) o.timestamps = header::Timestamps{ts_value(), ts_recent_};
    if (sack_enabled_ && (flags & kAck) != 0 && !reassembly_.empty()) {
      std::array<header::SackBlock, header::kMaxSackBlocks> blocks{};
      // With timestamps only three blocks fit in the 40 option bytes.
      const size_t room = ts_enabled_ ? 3 : 4;
      const size_t n = reassembly_.sack_blocks(std::span(blocks).first(room));
      for (size_t i = 0; i < n; ++i) o.add_sack(blocks[i]);
    }
  }
  spec.payload = payload;
  if ((flags & kAck) != 0) {
    last_ack_sent_ = ack;
    acks_pending_ = 0;
    delayed_ack_timer_.cancel();
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
  protocol_.stack().send(std::move(packet), spec.src);
}

void Endpoint::send_control(uint8_t flags, seqnum::Value seq, seqnum::Value ack) {
  emit(flags, seq, ack, {}, false);
}

void Endpoint::send_ack() {
  if (state_ == State::kClosed || state_ == State::kListen || state_ == State::kSynSent) return;
  emit(kAck, snd_nxt_, rcv_nxt_, {}, false);
}

void Endpoint::send_rst_for_abort() {
  if (!is_synchronized(state_) && state_ != State::kSynRcvd) return;
  // Linux tcp_acceptable_seq(): SND.NXT, unless the peer shrank its window
  // below it, then the window's right edge.
  const seqnum::Value wnd_end = snd_una_.add(seqnum::Size(snd_wnd_));
  seqnum::Value seq = snd_nxt_;
  if (wnd_end.less_than(snd_nxt_) &&
      !(wscale_ok_ && wnd_end.size_to(snd_nxt_).bytes() < (1u << rcv_wscale_))) {
    seq = wnd_end;
  }
  emit(kRst | kAck, seq, rcv_nxt_, {}, false);
}

void Endpoint::schedule_ack() {
  // Linux __tcp_ack_snd_check(): ACK at once after two full segments or in
  // quickack mode; otherwise a delayed ACK within TCP_DELACK_MIN.
  if (quick_acks_ == 0 && !delayed_ack_timer_.armed() && acks_pending_ <= 1 &&
      last_ack_sent_ == irs_.add(seqnum::Size(1))) {
    // The first data of a connection: Linux starts in quickack mode.
    const uint32_t segs = std::max<uint32_t>(1, (rcv_adv_.raw() - rcv_nxt_.raw()) / (2 * snd_mss_));
    quick_acks_ = std::min<uint32_t>(segs, 16);
  }
  if (quick_acks_ > 0) {
    --quick_acks_;
    send_ack();
    return;
  }
  if (acks_pending_ >= 2) {
    send_ack();
    return;
  }
  if (!delayed_ack_timer_.armed()) delayed_ack_timer_.arm_after(protocol_.config().delayed_ack_min);
}

bool Endpoint::send_one_segment(seqnum::Value seq, size_t len, bool retransmit, bool push) {
  const size_t offset = snd_una_.size_to(seq).bytes();
  std::vector<uint8_t> payload(len);
  const size_t copied = send_queue_.copy_out(offset, payload);
  payload.resize(copied);
  const seqnum::Value end = seq.add(seqnum::Size(static_cast<uint32_t>(copied)));
  uint8_t flags = kAck;
  // Linux marks the end of what the application has written with PSH,
  // unless the write said more was coming (MSG_MORE).
  if (offset + copied == send_queue_.size() && copied > 0 && !more_) flags |= kPsh;
  if ((probe_push_ || push) && copied > 0) flags |= kPsh;
  bool with_fin = false;
  if (fin_queued_ && end == fin_seq()) {
    const uint32_t usable = snd_una_.add(seqnum::Size(snd_wnd_)).raw() - end.raw();
    if (copied == 0 || static_cast<int32_t>(usable) > 0 || retransmit) {
      flags |= kFin;
      with_fin = true;
    }
  }
  if (copied == 0 && !with_fin) return false;
  if (retransmit) {
    ++total_retransmits_;
    ++protocol_.stats().retransmits;
    if (rtt_probe_ && !rtt_probe_->first.less_than(seq)) rtt_probe_.reset();  // Karn
  } else if (!rtt_probe_) {
    rtt_probe_.emplace(seq, now());
  }
  emit(flags, seq, rcv_nxt_, payload, false);
  persist_timer_.cancel();  // data is moving: no probe needed
  if (copied < snd_mss_) snd_sml_ = end;
  seqnum::Value next = end;
  if (with_fin) {
    next = end.add(seqnum::Size(1));
    fin_sent_ = true;
    fin_sent_seq_ = end;
  }
  if (snd_nxt_.less_than(next) || snd_nxt_ == seq) snd_nxt_ = next;
  if (snd_max_.less_than(next)) snd_max_ = next;
  if (!retransmit_timer_.armed()) arm_retransmit();
  return true;
}

void Endpoint::send_data() {
  switch (state_) {
    case State::kEstablished:
    case State::kCloseWait:
    case State::kFinWait1:
    case State::kClosing:
    case State::kLastAck:
      break;
    default:
      return;
  }
  while (true) {
    const uint32_t in_flight = snd_una_.size_to(snd_nxt_).bytes();
    const uint32_t window = std::min(snd_wnd_, std::max(cwnd_, snd_mss_));
    const uint32_t usable = window > in_flight ? window - in_flight : 0;
    const size_t sent_data = std::min<size_t>(snd_una_.size_to(snd_nxt_).bytes(), send_queue_.size());
    const size_t unsent = send_queue_.size() - sent_data;
    if (unsent == 0) {
      // Only the FIN may be left.
      if (fin_queued_ && !fin_sent_ && snd_nxt_ == fin_seq()) {
        if (snd_wnd_ == 0 && in_flight == 0) {
          if (!persist_timer_.armed()) persist_timer_.arm_after(rtt_.rto());
          return;
        }
        send_one_segment(snd_nxt_, 0, false);
      } else if (fin_queued_ && fin_sent_ && snd_nxt_ == fin_seq()) {
        // After a timeout rewound SND.NXT, the FIN goes again.
        send_one_segment(snd_nxt_, 0, true);
      }
      return;
    }
    size_t len = std::min<size_t>({unsent, snd_mss_, usable});
    if (len == 0) {
      if (snd_wnd_ == 0 && in_flight == 0 && !persist_timer_.armed()) {
        persist_timer_.arm_after(rtt_.rto());  // RFC 9293 3.8.6.1: probe a zero window
      }
      return;
    }
    if (len < snd_mss_) {
      // Nagle (RFC 896 / RFC 9293 3.7.4): hold a small segment while data is
      // unacknowledged, unless TCP_NODELAY; TCP_CORK holds it regardless.
      const bool last_piece = len == unsent;
      const bool held = (cork_ || hold_for_more_) && !push_pending_;
      if (held && last_piece && !fin_queued_) {
        // Linux arms the probe timer when nothing is in flight to carry the
        // held data out eventually (tcp_check_probe_timer()).
        if (in_flight == 0 && !persist_timer_.armed()) persist_timer_.arm_after(rtt_.rto());
        return;
      }
      // Linux uses Minshall's variant: only an unacknowledged *small*
      // segment holds the next one back.
      const bool small_in_flight = snd_sml_.greater_than(snd_una_);
      // A window-limited runt goes out as Linux's tcp_mss_split_point() sends it.
      if (!nodelay_ && small_in_flight && last_piece && !fin_queued_) return;
    }
    const bool retransmit = snd_nxt_.less_than(snd_max_);
    // Linux sends a window's worth as one TSO burst whose last segment
    // carries PSH; a burst cut short by the send or congestion window ends
    // with PSH too.
    const bool window_limited = len == usable && unsent > len;
    if (!send_one_segment(snd_nxt_, len, retransmit, window_limited && !retransmit)) return;
  }
}

}  // namespace netstack::tcp
