#include "oracle/connection_oracle.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <sstream>

#include "oracle/connection_internal.h"

namespace tcpfuzz::oracle {

namespace flag = netstack::header::tcp_flag;
using netstack::Duration;
using netstack::Instant;

using namespace internal;

std::string internal::describe(const WireSegment& s) {
  std::ostringstream o;
  o << netstack::header::flags_to_string(s.flags) << " seq " << s.seq;
  if (s.has(flag::kAck)) o << " ack " << s.ack;
  o << " win " << s.window << " len " << s.payload;
  if (s.ts_val) o << " TSval " << *s.ts_val;
  return o.str();
}

bool ConnectionOracle::matches(const WireSegment& s, bool outbound) const {
  if (outbound) {
    return s.src_port == local_port_ && s.dst_port == remote_port_ && s.src == local_ &&
           s.dst == remote_;
  }
  return s.dst_port == local_port_ && s.src_port == remote_port_ && s.dst == local_ &&
         s.src == remote_;
}

void ConnectionOracle::start_incarnation(uint32_t iss, bool passive, const WireSegment& syn,
                                         Instant at) {
  // Everything but the peer's recent SYNs belongs to the old incarnation.
  const auto syns = peer_syns_;
  const size_t count = peer_syn_count_;
  const uint32_t incarnation = incarnation_ + 1;
  PeerStream stream = release_stream();
  *this = ConnectionOracle(local_, local_port_, remote_, remote_port_);
  stream_ = std::move(stream);
  peer_syns_ = syns;
  peer_syn_count_ = count;
  incarnation_ = incarnation;
  iss_ = iss;
  passive_ = passive;
  snd_max_ = syn.end();
  stack_window_scale_ = syn.window_scale;
  stack_timestamps_ = syn.ts_val.has_value();
  started_at_ = at;
  peer_acked_ = iss;
  sure_acked_ = iss;
}

Phase ConnectionOracle::phase_if_alive() const {
  return phase_ == Phase::kMaybeClosed ? phase_before_rst_ : phase_;
}

bool ConnectionOracle::rst_may_be_exact(const Arrival& a) {
  // RFC 5961 3.2 / Linux tcp_reset_check(): RCV.NXT (anywhere between the
  // stack's last ACK and what the peer offered in order), or RCV.NXT - 1
  // once the peer's FIN is in. Linux tcp_validate_incoming() also takes the
  // highest SACK block's right edge: the one the stack last sent, or, when
  // its option was full, one it may have left out.
  const uint32_t seq = a.segment.seq;
  const bool in_window = !before(a.segment.end(), a.rcv_wup) && !after(seq, a.right_edge);
  return between(seq, a.rcv_wup, a.rcv_nxt_max) || (a.peer_fin_seen && seq == a.rcv_wup - 1) ||
         (a.sack_edge && seq == *a.sack_edge) || (a.sack_edge_unknown && in_window);
}

void ConnectionOracle::note_possible_reset() {
  // Linux tcp_reset(): in SYN-SENT the open is refused; a simultaneous
  // open's SYN-RECEIVED, a full socket, is reset (ECONNRESET).
  const Phase alive = phase_if_alive();
  if (alive == Phase::kSynSent || alive == Phase::kUnknown) {
    refusal_explained_ = true;
  }
  if (phase_ != Phase::kMaybeClosed) phase_before_rst_ = phase_;
  phase_ = Phase::kMaybeClosed;
  reset_explained_ = true;
}

const ConnectionOracle::PeerSyn* ConnectionOracle::acked_syn(uint32_t ack) const {
  for (size_t i = 0; i < peer_syn_count_ && i < peer_syns_.size(); ++i) {
    const PeerSyn& syn = peer_syns_[i];
    // RFC 7413 3: a Fast Open SYN-ACK may acknowledge the SYN's data (and
    // FIN: Linux tcp_fastopen_add_skb()) too.
    const uint32_t taken = syn.data + (syn.fin ? 1 : 0);
    if (syn.seq + 1 == ack || (taken > 0 && syn.seq + 1 + taken == ack)) return &syn;
  }
  return nullptr;
}

void ConnectionOracle::note_peer_fin(uint32_t seq, bool ahead, Instant at) {
  peer_fin_seen_ = true;
  const uint32_t isn = accepted_.isn();
  if (ahead && (!earliest_fin_ || seq - isn < *earliest_fin_ - isn)) earliest_fin_ = seq;
  const auto end = peer_fins_.begin() + static_cast<std::ptrdiff_t>(peer_fin_count_);
  if (std::find(peer_fins_.begin(), end, seq) != end) return;
  if (peer_fin_count_ < peer_fins_.size()) {
    peer_fins_[peer_fin_count_] = seq;
    peer_fins_at_[peer_fin_count_] = at;
    ++peer_fin_count_;
    return;
  }
  // Full (a fuzzed peer sends FINs everywhere): the place of the FIN least
  // likely to end the stream goes, or the new one is not kept.
  size_t weakest = 0;
  for (size_t i = 1; i < peer_fin_count_; ++i) {
    if (fin_likelihood(peer_fins_[i]) < fin_likelihood(peer_fins_[weakest])) weakest = i;
  }
  if (fin_likelihood(seq) <= fin_likelihood(peer_fins_[weakest])) return;
  peer_fins_[weakest] = seq;
  peer_fins_at_[weakest] = at;
}

uint64_t ConnectionOracle::fin_likelihood(uint32_t fin) const {
  // Where the stack's end of stream may be: never before the bytes read,
  // hardly where the peer also sent data (in-order data passing a queued
  // FIN drops it, Linux tcp_ofo_queue()), else the lowest FIN first (the
  // stack takes the first FIN that comes in order, and ignores the rest).
  const uint64_t before_fin = fin - accepted_.isn() - 1;
  if (before_fin < bytes_read_) return 0;
  if (stream_.offered(static_cast<uint32_t>(before_fin))) return 1;
  return (uint64_t{1} << 33) - before_fin;
}

void ConnectionOracle::learn_irs(const PeerSyn& syn, const WireSegment& ours) {
  irs_known_ = true;
  irs_ = syn.seq;
  accepted_.reset(syn.seq);
  offered_.reset(syn.seq);
  const uint32_t taken = syn.data + (syn.fin ? 1 : 0);
  if (taken > 0 && ours.ack == syn.seq + 1 + taken) {  // Fast Open: the SYN's data was taken
    accepted_.add(syn.seq + 1, taken);
    offered_.add(syn.seq + 1, taken);
    if (syn.fin) note_peer_fin(syn.seq + 1 + syn.data, /*ahead=*/true, Instant());
  }
  // RFC 7323 2.2: scaling only when both SYNs carried the option.
  const bool scaled = syn.window_scale.has_value() && stack_window_scale_.has_value();
  rcv_wscale_ = scaled ? *stack_window_scale_ : 0;
  snd_wscale_ = scaled ? *syn.window_scale : 0;
  ts_ok_ = syn.timestamps && stack_timestamps_;
  last_ack_ = ours.ack;
  right_edge_ = ours.ack;
  max_right_edge_ = ours.ack;
}

std::optional<Violation> ConnectionOracle::check_ack(const WireSegment& s) {
  if (!accepted_.covers_up_to(s.ack)) {
    // Linux tcp_sequence()/tcp_data_queue(), RFC 7323 5.3: data that starts
    // beyond the window or fails PAWS is dropped, never acknowledged.
    const Rule rule =
        offered_.covers_up_to(s.ack) ? Rule::kAcceptedUnacceptable : Rule::kAckOfUnreceived;
    return violation(rule, "the stack sent " + describe(s) +
                               " but the peer's bytes in order end at " +
                               std::to_string(accepted_.contiguous_end()));
  }
  // SYN segments carry an unscaled window (RFC 7323 2.2).
  const uint8_t shift = s.has(flag::kSyn) ? 0 : rcv_wscale_;
  const uint32_t edge = s.ack + (uint32_t{s.window} << shift);
  if (acked_ && before(s.ack, last_ack_)) {
    return violation(Rule::kAckWentBack, "the stack sent " + describe(s) + " after acknowledging " +
                                             std::to_string(last_ack_));
  }
  // Linux rounds the window of an ACK down to its scale unit, which the
  // unscaled window of its SYN-ACK was not (tcp_v4_reqsk_send_ack()).
  const uint32_t slack = edge_from_syn_ ? (1u << rcv_wscale_) - 1 : 0;
  if (acked_ && before(edge + slack, right_edge_)) {
    return violation(Rule::kWindowShrunk, "the stack sent " + describe(s) + ": right edge " +
                                              std::to_string(edge) + " after " +
                                              std::to_string(right_edge_));
  }
  if (!acked_ || after(s.ack, last_ack_)) last_ack_ = s.ack;
  right_edge_ = edge;
  if (!acked_ || after(edge, max_right_edge_)) max_right_edge_ = edge;
  edge_from_syn_ = s.has(flag::kSyn);
  acked_ = true;
  return std::nullopt;
}

std::optional<Violation> ConnectionOracle::check_data(const WireSegment& s) {
  const uint32_t data_end = s.seq + s.payload;
  if (s.payload > 0 && before(s.seq, iss_ + 1)) {
    return violation(Rule::kDataOnSynSequence,
                     "the stack sent " + describe(s) + " with ISS " + std::to_string(iss_));
  }
  if (s.has(flag::kFin)) {
    if (stack_fin_ && *stack_fin_ != data_end) {
      return violation(Rule::kDataAfterFin, "the stack sent " + describe(s) + " after its FIN at " +
                                                std::to_string(*stack_fin_));
    }
    stack_fin_ = data_end;
  } else if (stack_fin_ && s.payload > 0 && after(data_end, *stack_fin_)) {
    return violation(Rule::kDataAfterFin, "the stack sent " + describe(s) + " after its FIN at " +
                                              std::to_string(*stack_fin_));
  }
  // Linux tcp_snd_wnd_test(): no byte beyond the peer's window; its zero
  // window probes (tcp_xmit_probe_skb()) carry none.
  if (s.payload > 0 && peer_edge_ && after(data_end, *peer_edge_)) {
    return violation(Rule::kSentBeyondPeerWindow, "the stack sent " + describe(s) +
                                                      " but the peer's window ends at " +
                                                      std::to_string(*peer_edge_));
  }
  if (after(s.end(), snd_max_)) snd_max_ = s.end();
  return std::nullopt;
}

uint32_t ConnectionOracle::sure_una() const {
  // Synchronized, the stack surely took the ACK of its SYN.
  return after(sure_acked_, iss_ + 1) ? sure_acked_ : iss_ + 1;
}

std::optional<Violation> ConnectionOracle::on_sent(const WireSegment& s, Instant at) {
  const uint32_t incarnation = incarnation_;
  const bool resent = s.logical_length() > 0 && !s.has(flag::kRst) && phase_ != Phase::kNone &&
                      before(s.seq, snd_max_);
  const bool idle = !before(sure_una(), snd_max_);
  auto v = judge_sent(s, at);
  const bool same = incarnation == incarnation_;
  auto w = note_sent(s, at, resent && same, idle && same);
  note_close_sent(s, at);
  return v ? v : w;
}

std::optional<Violation> ConnectionOracle::note_sent(const WireSegment& s, Instant at, bool resent,
                                                     bool idle) {
  if (s.has(flag::kAck) || s.has(flag::kRst)) ack_owed_since_.reset();
  if (s.ts_val) {
    if (!first_tsval_) first_tsval_ = s.ts_val;
    last_tsval_ = *s.ts_val;
  }
  if (unsent_data() > 0) ++probes_;
  // Linux tcp_write_wakeup() on an idle connection: SEQ = SND.UNA - 1, no data.
  if (s.logical_length() == 0 && !s.has(flag::kRst) && s.seq == snd_max_ - 1 &&
      !before(peer_acked_, snd_max_)) {
    keepalive_.last_probe_at = at;
  }
  last_sent_at_ = at;
  if (s.logical_length() == 0 || s.has(flag::kRst)) return std::nullopt;
  last_space_sent_at_ = at;
  if (resent) ++retransmissions_;
  if (s.has(flag::kSyn) || phase_ != Phase::kSynchronized) return std::nullopt;
  if (idle) {
    // An ICMP error (fragmentation needed) makes Linux resend at once.
    epoch_clean_ = !icmp_seen_;
    epoch_sent_count_ = 0;
  }
  if (!epoch_clean_) return std::nullopt;
  if (!resent) {
    if (epoch_sent_count_ == epoch_sent_.size()) {
      epoch_clean_ = false;
    } else {
      epoch_sent_[epoch_sent_count_++] = SentSpan{s.seq, s.end(), at};
    }
    return std::nullopt;
  }
  epoch_clean_ = false;
  if (s.seq != sure_una()) return std::nullopt;  // a tail loss probe resends the last segment
  for (size_t i = 0; i < epoch_sent_count_; ++i) {
    const SentSpan& e = epoch_sent_[i];
    if (!between(s.seq, e.start, e.end - 1)) continue;
    if (at - e.at >= kRtoMin) break;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at - e.at).count();
    return violation(Rule::kRetransmittedTooEarly,
                     "the stack sent " + describe(s) + " again " + std::to_string(ms) +
                         " ms after it first left, with no duplicate ACK, SACK or loss before");
  }
  return std::nullopt;
}

void ConnectionOracle::note_arrival_for_rto(const WireSegment& s, const Arrival& a) {
  if (a.phase != Phase::kSynchronized) {
    epoch_clean_ = false;
    return;
  }
  // Linux tcp_sequence() (acceptable where it starts and ends) and tcp_ack()
  // (new data, none unsent): the stack takes this ACK.
  const bool taken = s.has(flag::kAck) && !s.has(flag::kRst) && !s.has(flag::kSyn) && !s.md5 &&
                     !a.paws_maybe_old && !before(s.end(), a.rcv_wup) &&
                     !after(s.seq, a.right_edge) && after(s.ack, sure_una()) &&
                     !after(s.ack, snd_max_);
  if (taken) sure_acked_ = s.ack;
  if (!taken || s.sack) epoch_clean_ = false;
}

std::optional<Violation> ConnectionOracle::judge_sent(const WireSegment& s, Instant at) {
  if (s.has(flag::kRst)) {
    reset_explained_ = true;
    // In SYN-SENT and SYN-RECEIVED the stack's RST answers a bad ACK and
    // leaves the connection as it was (RFC 9293 3.10.7.3, 3.10.7.4 fifth).
    const Phase alive = phase_if_alive();
    if (alive == Phase::kUnknown) {
      // Unless the handshake completed, the RST answered a bad ACK in
      // SYN-RECEIVED: a SYN-ACK sent again will tell.
      if (phase_ != Phase::kMaybeClosed) phase_before_rst_ = phase_;
      phase_ = Phase::kMaybeClosed;
    } else if (alive != Phase::kSynSent && alive != Phase::kSynReceived) {
      phase_ = Phase::kClosed;
    }
    return std::nullopt;
  }
  if (s.has(flag::kSyn) && !s.has(flag::kAck)) {
    if (phase_ != Phase::kSynSent || s.seq != iss_) {
      start_incarnation(s.seq, false, s, at);
      syn_tsval_ = s.ts_val;
      syn_sent_at_ = at;
    }
    phase_ = Phase::kSynSent;
    return std::nullopt;
  }
  if (s.has(flag::kSyn)) {  // SYN-ACK
    // A RST that may have ended the connection did not if the stack still
    // retransmits its SYN-ACK.
    const Phase alive = phase_if_alive();
    const bool same = s.seq == iss_ && (alive == Phase::kSynSent || alive == Phase::kSynReceived ||
                                        alive == Phase::kUnknown);
    if (!same) start_incarnation(s.seq, true, s, at);
    // A retransmitted SYN-ACK names the SYN it named before, however many
    // SYNs the peer has sent since.
    const bool known_syn =
        same && irs_known_ && after(s.ack, irs_) && !after(s.ack, accepted_.contiguous_end());
    const PeerSyn* syn = known_syn ? nullptr : acked_syn(s.ack);
    if (!known_syn && syn == nullptr) {
      return violation(Rule::kAckOfUnreceived, "the stack sent " + describe(s) +
                                                   " but no SYN of the peer's ends at " +
                                                   std::to_string(s.ack));
    }
    if (syn != nullptr && (!irs_known_ || accepted_.isn() != syn->seq)) learn_irs(*syn, s);
    phase_ = Phase::kSynReceived;
    if (auto v = check_ack(s)) return v;
    return std::nullopt;
  }
  if (phase_ == Phase::kNone) return std::nullopt;
  if (auto v = check_data(s)) return v;
  if (!s.has(flag::kAck)) return std::nullopt;
  if (!irs_known_) {
    // The stack's first ACK in an active open names the SYN-ACK it took.
    const PeerSyn* syn = acked_syn(s.ack);
    if (syn == nullptr) {
      return violation(Rule::kAckOfUnreceived, "the stack sent " + describe(s) +
                                                   " but no SYN of the peer's ends at " +
                                                   std::to_string(s.ack));
    }
    learn_irs(*syn, s);
  }
  if (auto v = check_ack(s)) return v;
  sack_edge_ = s.sack_edge;
  sack_edge_unknown_ = s.sack_full;
  if (phase_ == Phase::kMaybeClosed) phase_ = phase_before_rst_;
  // A passive open is complete once the stack sends data or acknowledges
  // some: in SYN-RECEIVED it only ever ACKs the SYN (Linux tcp_check_req()
  // answers unacceptable segments so, and a full accept queue leaves the
  // peer's ACK unanswered).
  const bool passive_proof = s.payload > 0 || s.has(flag::kFin) || after(s.ack, irs_ + 1);
  if (phase_ == Phase::kSynSent || (phase_ == Phase::kUnknown && (!passive_ || passive_proof)) ||
      (phase_ == Phase::kSynReceived && passive_proof)) {
    phase_ = Phase::kSynchronized;
  }
  if (s.payload == 0 && !s.has(flag::kFin)) limiter_armed_at_ = at;
  if (ts_ok_ && s.ts_ecr) {
    ts_recent_ = *s.ts_ecr;
    ts_recent_at_ = at;
    tsvals_since_echo_ = 0;
  }
  return std::nullopt;
}

Arrival ConnectionOracle::on_arrival(const WireSegment& s, Instant at,
                                     std::span<const uint8_t> data) {
  Arrival a;
  a.segment = s;
  a.at = at;
  a.phase = phase_;
  a.judged_states = phase_ == Phase::kSynchronized && !stack_fin_ && !user_closed_;
  a.user_closed = user_closed_;
  a.rcv_wup = last_ack_;
  a.right_edge = right_edge_;
  a.rcv_nxt_max = irs_known_ ? accepted_.contiguous_end() : 0;
  a.peer_fin_seen = peer_fin_seen_;
  a.sack_edge = sack_edge_;
  a.sack_edge_unknown = sack_edge_unknown_;
  a.paws_old = ts_ok_ && s.ts_val && ts_recent_ && !s.has(flag::kRst) &&
               at - ts_recent_at_ < kPawsIdle && older_than_every_ts_recent(*s.ts_val);
  a.paws_maybe_old =
      ts_ok_ && s.ts_val && !s.has(flag::kRst) && older_than_some_ts_recent(*s.ts_val);
  if (s.ts_val && !s.has(flag::kRst)) {
    if (tsvals_since_echo_ < peer_tsvals_.size()) peer_tsvals_[tsvals_since_echo_] = *s.ts_val;
    ++tsvals_since_echo_;
  }
  a.rate_limit_free = !limiter_armed_at_ || at - *limiter_armed_at_ >= kOowRateLimit;
  a.time_wait = surely_in_time_wait(at);
  a.gone = surely_gone(at);
  if (closing_.peer_fin) a.peer_fin_end = *closing_.peer_fin + 1;
  if (phase_if_alive() == Phase::kSynSent && syn_tsval_ && s.ts_ecr && *s.ts_ecr != 0) {
    // Linux: between the first SYN's TSval and now's, in 1 ms ticks; the
    // tick count since the SYN is known to within one.
    const auto ticks = std::chrono::duration_cast<std::chrono::milliseconds>(at - syn_sent_at_);
    const uint32_t surely_sent = ticks.count() > 0 ? static_cast<uint32_t>(ticks.count() - 1) : 0;
    a.tsecr_maybe_unsent = *s.ts_ecr - *syn_tsval_ > surely_sent;
  }
  last_arrival_at_ = at;
  if (s.ts_ecr && *s.ts_ecr != 0 && first_tsval_ &&
      (before(*s.ts_ecr, *first_tsval_) || after(*s.ts_ecr, last_tsval_))) {
    wild_echo_ = true;
  }
  // RFC 1122 4.2.3.2, Linux tcp_data_queue(): data or a FIN that starts
  // where RCV.NXT surely is or before, or beyond the window (data: at its
  // right edge already, which Linux drops and ACKs at once), draws an ACK,
  // at once or delayed, whether the stack takes it or not. Not one that may
  // be out of order inside the window: Linux tcp_data_queue_ofo() drops it
  // unanswered when receive memory runs out. Not a segment without ACK
  // (dropped unseen), nor one whose ACK may draw a rate-limited challenge
  // instead (below SND.UNA, or of unsent data).
  const bool ack_certain = !after(s.seq, a.rcv_wup) || after(s.seq, a.right_edge) ||
                           (s.payload > 0 && !edge_from_syn_ && s.seq == a.right_edge);
  if (a.judged_states && !a.peer_fin_seen && !ack_owed_since_ && !s.md5 && ack_certain &&
      s.logical_length() > 0 && s.has(flag::kAck) && !s.has(flag::kSyn) && !s.has(flag::kRst) &&
      between(s.ack, peer_acked_, snd_max_)) {
    ack_owed_since_ = at;
  }
  note_arrival_for_rto(s, a);
  if (s.has(flag::kAck) && !s.has(flag::kRst) && between(s.ack, iss_, snd_max_) &&
      after(s.ack, peer_acked_)) {
    peer_acked_ = s.ack;
  }

  if (s.has(flag::kSyn) && !s.has(flag::kRst)) {
    for (size_t i = peer_syns_.size() - 1; i > 0; --i) peer_syns_[i] = peer_syns_[i - 1];
    peer_syns_[0] =
        PeerSyn{s.seq, s.payload, s.has(flag::kFin), s.window_scale, s.ts_val.has_value()};
    if (peer_syn_count_ < peer_syns_.size()) ++peer_syn_count_;
  }
  if (s.has(flag::kUrg)) ++urgent_segments_;
  if (irs_known_ && !s.has(flag::kRst) && data.size() == s.payload) {
    // Bytes before the peer's first data byte are not in the stream.
    const uint32_t first = s.seq + (s.has(flag::kSyn) ? 1 : 0);
    const uint32_t skip = before(first, irs_ + 1) ? irs_ + 1 - first : 0;
    if (skip < data.size()) stream_.offer(first + skip - irs_ - 1, data.subspan(skip));
  }
  if (irs_known_ && !s.has(flag::kRst)) {
    offered_.add(s.seq, s.logical_length());
    // RFC 9293 3.10.7.4: only segments with ACK, starting inside the
    // window, passing PAWS and acknowledging nothing unsent carry data in.
    // Linux tcp_data_queue(): data starting at the right edge is dropped (a
    // zero window's included); a bare FIN there is taken. A SYN-ACK's
    // unscaled window may understate the edge: there the edge may take data.
    const bool starts_inside = s.payload > 0 && !edge_from_syn_ ? before(s.seq, max_right_edge_)
                                                                : !after(s.seq, max_right_edge_);
    // An orphaned FIN-WAIT-2 may be Linux's timewait sock already, which
    // takes the FIN at RCV.NXT whatever it acknowledges
    // (tcp_timewait_state_process() checks only that ACK is set).
    const bool timewait_sock_may_take =
        closing_.fin_wait() && closing_.orphaned && closing_.fin_ack_first_at.has_value();
    // It resets only a SYN at or past RCV.NXT: a SYN below it whose FIN
    // lands just past it is a FIN it takes.
    const bool syn_taken_as_fin = timewait_sock_may_take && s.has(flag::kSyn) &&
                                  s.has(flag::kFin) && before(s.seq, accepted_.contiguous_end()) &&
                                  s.end() == accepted_.contiguous_end() + 1;
    const bool takes = s.has(flag::kAck) && (!s.has(flag::kSyn) || syn_taken_as_fin) &&
                       (!after(s.ack, snd_max_) || timewait_sock_may_take) && starts_inside &&
                       !a.paws_old;
    if (takes && s.has(flag::kFin)) {
      const uint32_t fin = s.end() - 1;
      note_peer_fin(fin, !before(fin, accepted_.contiguous_end()), at);
    }
    if (takes) accepted_.add(s.seq, s.logical_length());
  }
  if (s.has(flag::kAck) && !s.has(flag::kRst) && between(s.ack, iss_, snd_max_)) {
    // Linux tcp_may_update_window() takes the window of newer segments; the
    // widest edge the peer ever offered bounds what the stack may send. A
    // SYN's window is not scaled (RFC 7323 2.2), except in the SYN-ACK that
    // completes SYN-RECEIVED: Linux tcp_rcv_state_process() and
    // tcp_create_openreq_child() shift it like any other.
    const bool scaled = !s.has(flag::kSyn) || phase_if_alive() == Phase::kSynReceived;
    const uint8_t shift = scaled ? snd_wscale_ : 0;
    const uint32_t edge = s.ack + (uint32_t{s.window} << shift);
    if (!peer_edge_ || after(edge, *peer_edge_)) peer_edge_ = edge;
  }

  note_close_arrival(s, a);
  const bool acceptable_ack = s.has(flag::kAck) && after(s.ack, iss_) && !after(s.ack, snd_max_);
  // After a RST that may have ended it, the connection moves on as if it
  // had not: should it prove alive, it is where these segments took it.
  Phase& phase = phase_ == Phase::kMaybeClosed ? phase_before_rst_ : phase_;
  switch (phase) {
    case Phase::kSynSent:
      if (acceptable_ack && s.has(flag::kRst)) {
        note_possible_reset();
      } else if (acceptable_ack && s.has(flag::kSyn)) {
        phase = Phase::kUnknown;
      }
      break;
    case Phase::kSynReceived:
      if (s.has(flag::kRst)) {
        note_possible_reset();  // Linux tcp_check_req(): embryonic reset
      } else if (passive_ && acceptable_ack && irs_known_ &&
                 (!s.has(flag::kSyn) || s.seq == irs_) && !before(s.end(), irs_ + 1) &&
                 !after(s.seq, right_edge_) && !a.paws_old) {
        // Linux tcp_check_req(): an acceptable ACK inside the window
        // (tcp_in_window()); a SYN at the peer's ISN is taken off first.
        phase = Phase::kUnknown;
      }
      break;
    case Phase::kSynchronized:
      if (s.has(flag::kRst) && rst_may_be_exact(a)) note_possible_reset();
      break;
    case Phase::kUnknown:
      if (s.has(flag::kRst)) note_possible_reset();
      break;
    case Phase::kMaybeClosed:  // never the phase before a RST
    case Phase::kNone:
    case Phase::kClosed:
      break;
  }
  return a;
}

std::optional<Violation> ConnectionOracle::judge(const Arrival& a,
                                                 std::span<const WireSegment> replies,
                                                 std::optional<size_t> processed) const {
  const WireSegment& s = a.segment;
  const WireSegment* rst = nullptr;
  bool acked = false;
  for (const WireSegment& r : replies) {
    if (r.has(flag::kRst)) {
      // The call's RST (close() with unread data, SO_LINGER 0) is not a reply.
      if (!a.replies_include_a_call) rst = &r;
    } else if (r.has(flag::kAck)) {
      acked = true;
    }
  }
  // Built only for a violation: judge() runs on every segment the peer sends.
  const auto what = [&s] { return "the peer sent " + describe(s); };
  // A reply is owed unless an allocation for it may have failed (Linux
  // tcp_send_ack() gives up as quietly) or the rate limit may hold it back.
  const bool owed = !a.replies_may_fail;
  const bool owed_unless_limited = owed && a.rate_limit_free;
  // A signed segment may never have reached TCP: nothing it draws is owed.
  if (a.phase == Phase::kNone || s.md5) return std::nullopt;
  // RST is never answered with RST (RFC 9293 3.10.7), whatever the user did.
  if (s.has(flag::kRst) && rst != nullptr) {
    return violation(Rule::kRstAnsweredWithRst, what() + "; the stack answered " + describe(*rst));
  }
  if (auto v = judge_after_close(a, acked, rst, owed, owed_unless_limited)) return v;
  if (a.judged_states) return judge_synchronized(a, acked, rst, processed, replies);
  // Linux tcp_disconnect() (shutdown() or close() in SYN-SENT) leaves no
  // connection: what arrives then meets the no-connection rules.
  if (a.user_closed) return std::nullopt;
  if (a.phase == Phase::kSynSent && s.has(flag::kAck)) {
    const bool bad_ack = !after(s.ack, iss_) || after(s.ack, snd_max_);
    if (bad_ack && owed && !s.has(flag::kRst) && (rst == nullptr || rst->seq != s.ack)) {
      return violation(
          Rule::kSynSentBadAckNotReset,
          what() + " in SYN-SENT (ISS " + std::to_string(iss_) + "); no <SEQ=SEG.ACK><CTL=RST>");
    }
    if (!bad_ack && !s.has(flag::kSyn) && !s.has(flag::kRst) && !replies.empty() &&
        !a.replies_include_a_call && !(a.tsecr_maybe_unsent && rst != nullptr)) {
      return violation(Rule::kSynSentNoSynAnswered,
                       what() + " in SYN-SENT; the stack answered " + describe(replies.front()));
    }
  }
  if (a.phase == Phase::kSynReceived && passive_ && owed && s.has(flag::kAck) &&
      !s.has(flag::kRst) && (!after(s.ack, iss_) || after(s.ack, snd_max_)) &&
      (rst == nullptr || rst->seq != s.ack)) {
    return violation(
        Rule::kSynReceivedBadAckNotReset,
        what() + " in SYN-RECEIVED (ISS " + std::to_string(iss_) + "); no <SEQ=SEG.ACK><CTL=RST>");
  }
  return std::nullopt;
}

// The reply model (reply_model.h) decides what a synchronized connection
// owes; where the wire leaves RCV.NXT uncertain, the placement judged is
// the one every possible RCV.NXT agrees on.
std::optional<Violation> ConnectionOracle::judge_synchronized(
    const Arrival& a, bool acked, const WireSegment* rst, std::optional<size_t> processed,
    std::span<const WireSegment> replies) const {
  const WireSegment& s = a.segment;
  const auto what = [&s] { return "the peer sent " + describe(s); };
  const auto window = [&a] {
    return "[" + std::to_string(a.rcv_wup) + ", " + std::to_string(a.right_edge) + "]";
  };
  const bool owed = !a.replies_may_fail;
  // Whether `reply` is owed to a segment of `kind`: the rate limit may hold it back.
  const auto owes = [&](SegmentKind kind, Reply reply) {
    return owed && (a.rate_limit_free || !rate_limitable(kind, reply));
  };
  if (s.has(flag::kRst)) {
    // Linux tcp_sequence(): ends at or after RCV.WUP, starts by the edge.
    const bool in_window = !before(s.end(), a.rcv_wup) && !after(s.seq, a.right_edge);
    const Placement placement = rst_may_be_exact(a) ? Placement::kExact
                                : in_window         ? Placement::kInWindow
                                                    : Placement::kBeyondWindow;
    const Reply want = owed_reply(SegmentKind::kRst, placement, a.peer_fin_seen);
    if (want == Reply::kChallengeAck && !acked && owes(SegmentKind::kRst, want)) {
      return violation(Rule::kInWindowRstNotChallenged,
                       what() + " inside the window " + window() + " but not at RCV.NXT (at most " +
                           std::to_string(a.rcv_nxt_max) + "); no challenge ACK");
    }
    // Only what the stack sent while processing the RST answers it.
    const auto answer = replies.first(std::min(processed.value_or(0), replies.size()));
    const bool answered = std::any_of(answer.begin(), answer.end(),
                                      [](const WireSegment& r) { return r.has(flag::kAck); });
    if (want == Reply::kSilentDrop && answered) {
      return violation(Rule::kOutOfWindowRstAnswered,
                       what() + " outside the window " + window() + "; the stack answered it");
    }
    return std::nullopt;
  }
  if (s.has(flag::kSyn)) {
    const Reply want = owed_reply(SegmentKind::kSyn, Placement::kInWindow, a.peer_fin_seen);
    if (want == Reply::kChallengeAck && rst != nullptr) {
      return violation(Rule::kSynNotChallenged,
                       what() + " in a synchronized state; the stack answered " + describe(*rst));
    }
    if (want == Reply::kChallengeAck && !acked && owes(SegmentKind::kSyn, want)) {
      return violation(Rule::kSynNotChallenged, what() + " in a synchronized state; no ACK");
    }
    return std::nullopt;
  }
  // Linux tcp_rcv_state_process() discards a segment with none of ACK, RST
  // and SYN before any acceptability test: it draws nothing.
  if (!s.has(flag::kAck)) return std::nullopt;
  const SegmentKind kind = s.has(flag::kFin) ? SegmentKind::kFin
                           : s.payload > 0   ? SegmentKind::kData
                                             : SegmentKind::kAck;
  const Placement placement = before(s.end(), a.rcv_wup) ? Placement::kOld
                              : after(s.seq, a.right_edge) && after(s.seq, a.rcv_nxt_max)
                                  ? Placement::kBeyondWindow
                                  : Placement::kInWindow;
  Reply want = owed_reply(kind, placement, a.peer_fin_seen);
  // RFC 7323 5.3: a segment failing PAWS is unacceptable too; but a pure
  // ACK failing it is an old ACK, dropped without a reply (Linux 6.16+
  // tcp_validate_incoming(), SKB_DROP_REASON_TCP_RFC7323_PAWS_ACK).
  if (a.paws_old) want = kind == SegmentKind::kAck ? Reply::kSilentDrop : Reply::kAckAndDrop;
  if (want == Reply::kAckAndDrop && owes(kind, want) && !acked && rst == nullptr) {
    return violation(Rule::kUnacceptableNotAcked,
                     what() + (a.paws_old ? " (older TSval than echoed)" : "") +
                         " outside the window " + window() + "; no ACK");
  }
  return std::nullopt;
}

namespace {

// RFC 7323 5.3 / Linux tcp_paws_check(): older by more than a tick; a
// TS.Recent of 0 rejects nothing (peers whose SYN carried TSval 0).
bool paws_older(uint32_t ts_val, uint32_t recent) {
  return recent != 0 && static_cast<int32_t>(recent - ts_val) > kPawsWindow;
}

}  // namespace

// TS.Recent is the last TSval the stack echoed or any TSval the peer sent
// since (Linux tcp_store_ts_recent() moves it without an echo; the wire
// may carry the echo late), and modular order is not transitive.
bool ConnectionOracle::older_than_every_ts_recent(uint32_t ts_val) const {
  if (!paws_older(ts_val, *ts_recent_) || tsvals_since_echo_ > peer_tsvals_.size()) return false;
  const auto end = peer_tsvals_.begin() + static_cast<std::ptrdiff_t>(tsvals_since_echo_);
  return std::all_of(peer_tsvals_.begin(), end,
                     [ts_val](uint32_t recent) { return paws_older(ts_val, recent); });
}

bool ConnectionOracle::older_than_some_ts_recent(uint32_t ts_val) const {
  if (ts_recent_ && paws_older(ts_val, *ts_recent_)) return true;
  if (tsvals_since_echo_ > peer_tsvals_.size()) return true;
  const auto end = peer_tsvals_.begin() + static_cast<std::ptrdiff_t>(tsvals_since_echo_);
  return std::any_of(peer_tsvals_.begin(), end,
                     [ts_val](uint32_t recent) { return paws_older(ts_val, recent); });
}

uint32_t ConnectionOracle::received_data() const {
  return irs_known_ ? accepted_.contiguous_end() - accepted_.isn() - 1 : 0;
}

bool ConnectionOracle::eof_allowed() const {
  if (!irs_known_) return false;
  // RFC 9293 3.10.7.4 eighth (Linux tcp_rcv_state_process(), CLOSE-WAIT,
  // CLOSING, LAST-ACK): text past a taken FIN is ignored, so end-of-file
  // may come at any FIN the bytes before it reach.
  // Each URG segment may have taken one urgent byte out of the stream
  // (Linux tcp_check_urg(), tcp_recvmsg_locked()).
  const auto ends_here = [&](uint32_t fin) {
    const uint64_t before_fin = fin - accepted_.isn() - 1;
    return accepted_.covers_up_to(fin + 1) && bytes_read_ <= before_fin &&
           before_fin - bytes_read_ <= urgent_segments_;
  };
  if (earliest_fin_ && ends_here(*earliest_fin_)) return true;
  for (size_t i = 0; i < peer_fin_count_; ++i) {
    if (ends_here(peer_fins_[i])) return true;
  }
  return false;
}

std::optional<Violation> ConnectionOracle::on_call(std::string_view call, long result,
                                                   const netstack::tcp::CallArgs& args,
                                                   Instant at) {
  // Linux tcp_disconnect() (shutdown() in SYN-SENT, connect(AF_UNSPEC))
  // also leaves ECONNRESET behind.
  if (result == -ECONNRESET && !reset_explained_ && !user_closed_ && call != "connect") {
    return violation(Rule::kResetWithoutExactRst,
                     std::string(call) + " returned ECONNRESET, but no RST at RCV.NXT arrived");
  }
  if (result == -ECONNREFUSED && !refusal_explained_) {
    return violation(
        Rule::kRefusedWithoutRst,
        std::string(call) + " returned ECONNREFUSED, but no RST could refuse the open");
  }
  if (result < 0 && result != -EAGAIN) errored_ = true;
  if (call == "close" || call == "abort" || call == "shutdown") user_closed_ = true;
  if (call == "close") closing_.orphaned = true;
  if (call == "close" ||
      (call == "shutdown" && args.value != static_cast<int>(netstack::tcp::ShutdownHow::kRead))) {
    note_close_call();
  }
  if (call == "setsockopt" && result == 0 && args.option) on_option(*args.option, args.value, at);
  if ((call == "write" || call == "sendto") && result > 0) {
    written_ += static_cast<uint64_t>(result);
    last_write_at_ = at;
  }
  // splice() takes from the stream as read() does (Linux tcp_read_sock()).
  if (call != "read" && call != "peek" && call != "splice") return std::nullopt;
  return on_read(call, result, args.bytes);
}

std::optional<Violation> ConnectionOracle::on_read(std::string_view call, long result,
                                                   std::span<const uint8_t> bytes) {
  if (result > 0) {
    const uint64_t total = bytes_read_ + static_cast<uint64_t>(result);
    if (total > received_data()) {
      return violation(Rule::kReadBeyondReceived,
                       std::string(call) + " returned " + std::to_string(result) + " after " +
                           std::to_string(bytes_read_) + " bytes read, but the peer sent " +
                           std::to_string(received_data()) + " in order");
    }
    const auto wrong = urgent_segments_ > 0
                           ? std::nullopt
                           : stream_.first_mismatch(static_cast<uint32_t>(bytes_read_), bytes);
    if (wrong) {
      return violation(Rule::kReadWrongBytes,
                       std::string(call) + " returned a byte at stream offset " +
                           std::to_string(*wrong) + " (sequence number " +
                           std::to_string(irs_ + 1 + *wrong) + ") that the peer never sent there");
    }
    if (call != "peek") {
      bytes_read_ = total;
      stream_.consume_to(static_cast<uint32_t>(total));
    }
    return std::nullopt;
  }
  // (A splice() stopped at the urgent mark returns 0 too: only read() is judged.)
  if (result == 0 && call == "read" && !user_closed_ && !errored_ && !reset_explained_ &&
      !eof_allowed()) {
    return violation(Rule::kEofBeforeData,
                     "read returned end-of-file after " + std::to_string(bytes_read_) +
                         " bytes; the peer sent " + std::to_string(received_data()) +
                         " in order and " + (peer_fin_seen_ ? "a FIN elsewhere" : "no FIN"));
  }
  return std::nullopt;
}

void ConnectionOracle::on_closed() {
  phase_ = Phase::kClosed;
}

void ConnectionOracle::on_icmp() {
  closing_.ended = true;
  refusal_explained_ = true;
  reset_explained_ = true;
  icmp_seen_ = true;
  epoch_clean_ = false;
}

}  // namespace tcpfuzz::oracle
