#include "stack/tcp/loss_recovery.h"

#include <algorithm>
#include <array>
#include <utility>

#include "stack/tcp/protocol.h"

namespace netstack::tcp {

namespace {

bool in_recovery_or_loss(CaState s) {
  return s == CaState::kRecovery || s == CaState::kLoss;
}

}  // namespace

LossRecovery::LossRecovery(const Config& config, TcpStats& stats, SentSegments& sent, Clock& clock,
                           std::function<void()> on_reorder_timer)
    : config_(config),
      stats_(stats),
      sent_(sent),
      cc_(make_congestion_control(config.congestion_control)),
      reordering_(config.reordering),
      reorder_timer_(clock, std::move(on_reorder_timer)) {}

void LossRecovery::on_sack_blocks(std::span<const header::SackBlock> blocks, seqnum::Value ack,
                                  seqnum::Value snd_una, seqnum::Value snd_max, AckEvent& e) {
  if (blocks.empty()) return;
  auto start = [](const header::SackBlock& b) { return seqnum::Value(b.start); };
  auto end = [](const header::SackBlock& b) { return seqnum::Value(b.end); };
  size_t first = 0;
  // RFC 2883 / Linux tcp_check_dsack(): the first block reports a duplicate
  // when it lies below the cumulative ACK or inside the second block.
  const bool below_ack = start(blocks[0]).less_than(ack);
  const bool inside_second = blocks.size() > 1 &&
                             start(blocks[0]).greater_equal(start(blocks[1])) &&
                             end(blocks[0]).less_equal(end(blocks[1]));
  if (below_ack || inside_second) {
    first = 1;
    ++stats_.dsacks_received;
    // A retransmission of this episode the peer already had (Linux counts
    // it against undo_retrans the same way).
    if (undo_armed_ && undo_retrans_ > 0 && end(blocks[0]).less_equal(snd_una) &&
        end(blocks[0]).greater_than(undo_marker_)) {
      --undo_retrans_;
    }
  }
  // Linux tcp_sacktag_write_queue(): blocks in sequence order, so a block's
  // segments are judged against the highest SACK below them, not above.
  std::array<header::SackBlock, header::kMaxSackBlocks> sorted{};
  size_t n = 0;
  for (size_t i = first; i < blocks.size(); ++i) {
    // Linux tcp_is_sackblock_valid(): beyond the cumulative ACK, within
    // SND.MAX and not empty (a block at or below the ACK is a D-SACK or a
    // stale report).
    const seqnum::Value b = start(blocks[i]);
    const seqnum::Value f = end(blocks[i]);
    if (!b.less_than(f) || f.greater_than(snd_max) || !b.greater_than(ack)) continue;
    sorted[n++] = blocks[i];
  }
  std::sort(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n),
            [&](const header::SackBlock& x, const header::SackBlock& y) {
              return start(x).less_than(start(y));
            });
  for (size_t i = 0; i < n; ++i) sent_.sack(start(sorted[i]), end(sorted[i]), e.delivered);
}

void LossRecovery::on_rtt_sample(Duration rtt) {
  // Linux keeps a windowed minimum (tcp_min_rtt_wlen, 5 minutes); the
  // connection's minimum serves RACK's reordering window the same way on
  // paths whose delay does not grow for good.
  if (!min_rtt_ || rtt < *min_rtt_) min_rtt_ = rtt;
}

void LossRecovery::note_reordering(seqnum::Value low, std::optional<seqnum::Value> prior_fack,
                                   uint32_t snd_mss) {
  // The highest SACK now, or before this ACK if it acknowledged them all.
  const auto fack = sent_.highest_sacked() ? sent_.highest_sacked() : prior_fack;
  if (!fack || !low.less_than(*fack) || snd_mss == 0) return;
  const uint32_t metric = low.size_to(*fack).bytes();
  // Linux tcp_check_sack_reordering(): the duplicate threshold grows to the
  // distance seen, in segments.
  if (metric > reordering_ * snd_mss) {
    reordering_ = std::min((metric + snd_mss - 1) / snd_mss, config_.max_reordering);
  }
  reordering_seen_ = true;
}

bool LossRecovery::cwnd_limited() const {
  // Linux tcp_is_cwnd_limited(): in slow start the window may grow to twice
  // the most that was in flight in the last window; beyond it only while
  // it limited sending.
  if (cwnd_limited_) return true;
  return cw_.in_slow_start() && cw_.cwnd < 2 * max_packets_out_;
}

void LossRecovery::validate_cwnd(bool limited, seqnum::Value snd_una, seqnum::Value snd_nxt) {
  // Linux tcp_cwnd_validate(): the usage is sampled once per window, or
  // sooner when the window limits or more is in flight than seen.
  if (!snd_una.less_than(cwnd_usage_seq_) || limited ||
      (!cwnd_limited_ && sent_.packets_out() > max_packets_out_)) {
    cwnd_limited_ = limited;
    max_packets_out_ = sent_.packets_out();
    cwnd_usage_seq_ = snd_nxt;
  }
}

void LossRecovery::rack_detect_loss(const Sender& s, uint32_t& newly_lost) {
  const Rack::Window w{.reordering_seen = reordering_seen_,
                       .in_recovery = in_recovery_or_loss(ca_state_),
                       .dupthresh_reached = sent_.sacked_out() >= reordering_,
                       .min_rtt = min_rtt_.value_or(Duration(0)),
                       .srtt = s.srtt};
  const auto wait = rack_.detect_loss(sent_, s.now, Rack::reordering_window(w), newly_lost);
  // RFC 8985 6.2 step 5: wait out the rest of the reordering window (Linux
  // adds TCP_TIMEOUT_MIN, two jiffies).
  if (wait) {
    reorder_timer_.arm(s.now + *wait + std::chrono::milliseconds(2));
  } else {
    reorder_timer_.cancel();
  }
}

void LossRecovery::detect_losses(const Sender& s, uint32_t& newly_lost) {
  if (s.sack) {
    if (rack_.advanced()) rack_detect_loss(s, newly_lost);
    return;
  }
  // RFC 5681 3.2 / RFC 6582: the duplicate threshold marks the first
  // segment lost.
  if (dup_acks_ >= reordering_ && ca_state_ != CaState::kRecovery && !sent_.empty() &&
      !sent_.entries().front().lost) {
    sent_.mark_head_lost();
    ++newly_lost;
  }
}

uint32_t LossRecovery::current_ssthresh() const {
  if (ca_state_ == CaState::kRecovery || ca_state_ == CaState::kCwr) return cw_.ssthresh;
  return std::max(cw_.ssthresh, (cw_.cwnd >> 1) + (cw_.cwnd >> 2));
}

void LossRecovery::begin_reduction(seqnum::Value snd_una) {
  // Linux tcp_init_undo(): remember the window for undo, then lower ssthresh.
  prior_ssthresh_ = current_ssthresh();
  prior_cwnd_ = cw_.cwnd;
  undo_armed_ = true;
  undo_marker_ = snd_una;
  undo_retrans_ = -1;
  undo_tsval_.reset();
  cw_.ssthresh = cc_->ssthresh_after_loss(cw_);
}

void LossRecovery::enter_recovery(const Sender& s) {
  // Linux tcp_enter_recovery(): a reduction already under way (CWR) goes
  // on; only the undo state starts afresh.
  if (ca_state_ == CaState::kCwr) {
    prior_ssthresh_ = 0;
    undo_armed_ = true;
    undo_marker_ = s.snd_una;
    undo_retrans_ = -1;
    undo_tsval_.reset();
  } else {
    begin_reduction(s.snd_una);
    cw_.cwnd_cnt = 0;
    prr_delivered_ = prr_out_ = 0;
    high_seq_ = s.snd_nxt;
    cwr_request_ = true;
  }
  ca_state_ = CaState::kRecovery;
  ++stats_.fast_recoveries;
}

void LossRecovery::enter_cwr(const Sender& s) {
  if (ca_state_ != CaState::kOpen && ca_state_ != CaState::kDisorder) return;
  // Linux tcp_init_cwnd_reduction() with undo off (undo_marker = 0).
  prior_ssthresh_ = 0;
  prior_cwnd_ = cw_.cwnd;
  undo_armed_ = false;
  cw_.ssthresh = cc_->ssthresh_after_loss(cw_);
  cw_.cwnd_cnt = 0;
  prr_delivered_ = prr_out_ = 0;
  high_seq_ = s.snd_nxt;
  ca_state_ = CaState::kCwr;
  cwr_request_ = true;
}

void LossRecovery::on_rto(const Sender& s, uint32_t consecutive_timeouts) {
  const bool new_episode = ca_state_ != CaState::kRecovery && ca_state_ != CaState::kLoss;
  // Linux tcp_timeout_mark_lost(): a SACKed first segment after a timeout
  // means the peer reneged on its SACKs; they are forgotten.
  if (!sent_.empty() && sent_.entries().front().sacked) sent_.clear_sacks();
  sent_.mark_timed_out(s.now, rack_.rtt());
  // Linux tcp_enter_loss(): a new episode unless this one is a timeout
  // repeating within the same loss state.
  if (ca_state_ == CaState::kOpen || ca_state_ == CaState::kDisorder ||
      !s.snd_una.less_than(high_seq_) ||
      (ca_state_ == CaState::kLoss && consecutive_timeouts == 0)) {
    begin_reduction(s.snd_una);
  }
  cc_->on_timeout();
  cw_.cwnd = sent_.in_flight() + 1;
  cw_.cwnd_cnt = 0;
  // A timeout after a duplicate threshold's worth of SACKs says reordering
  // was overestimated (Linux tcp_enter_loss()).
  if ((ca_state_ == CaState::kOpen || ca_state_ == CaState::kDisorder) &&
      sent_.sacked_out() >= config_.reordering) {
    reordering_ = std::min(reordering_, config_.reordering);
  }
  dup_acks_ = 0;
  high_seq_ = s.snd_nxt;
  ca_state_ = CaState::kLoss;
  cwr_request_ = true;  // Linux tcp_enter_loss() queues CWR too
  reorder_timer_.cancel();
  // RFC 5682 3.1 step 1 / 3.2: F-RTO watches this timeout unless it
  // interrupts a recovery, or repeats on the same SND.UNA.
  frto_ = config_.frto && (new_episode || consecutive_timeouts > 0);
  send_new_first_ = false;
}

void LossRecovery::end_recovery() {
  // Linux tcp_end_cwnd_reduction(): the window lands on ssthresh.
  if (ca_state_ == CaState::kRecovery && cw_.ssthresh != UINT32_MAX) {
    cw_.cwnd = std::max(cw_.ssthresh, 1u);
    cw_.cwnd_cnt = 0;
  }
  // The episode's undo state stays: a D-SACK arriving after the last ACK
  // may still prove it spurious (Linux keeps undo_marker).
  ca_state_ = CaState::kOpen;
}

void LossRecovery::undo_cwnd_reduction() {
  // Linux tcp_undo_cwnd_reduction(): back to where the episode started; an
  // undone timeout also takes back its lost marks.
  if (ca_state_ == CaState::kLoss) sent_.unmark_lost();
  cw_.cwnd = cc_->undo_cwnd(cw_, prior_cwnd_);
  cw_.ssthresh = std::max(cw_.ssthresh, prior_ssthresh_);
  cw_.cwnd_cnt = 0;
  undo_armed_ = false;
  ca_state_ = CaState::kOpen;
  ++stats_.spurious_recoveries;
}

bool LossRecovery::try_undo(const Sender& s, const AckEvent& e) {
  if (!undo_armed_) return false;
  // RFC 3522 (Eifel): the ACK echoes a timestamp older than our first
  // retransmission, so the original got through (Linux tcp_packet_delayed()).
  const bool delayed = s.timestamps && undo_tsval_ && e.ts_echo != 0 &&
                       static_cast<int32_t>(e.ts_echo - *undo_tsval_) < 0;
  // RFC 2883: every retransmission came back as a duplicate.
  const bool all_dsacked = undo_retrans_ == 0;
  if (!delayed && !all_dsacked) return false;
  undo_cwnd_reduction();
  return true;
}

void LossRecovery::reduce_cwnd(uint32_t newly_delivered, uint32_t newly_lost, bool una_advanced) {
  if (newly_delivered == 0 || prior_cwnd_ == 0) return;
  const auto in_flight = static_cast<int64_t>(sent_.in_flight());
  const int64_t delta = int64_t{cw_.ssthresh} - in_flight;
  prr_delivered_ += newly_delivered;
  int64_t sndcnt = 0;
  if (delta < 0) {
    // RFC 6937: proportional to what was delivered.
    sndcnt = (uint64_t{cw_.ssthresh} * prr_delivered_ + prior_cwnd_ - 1) / prior_cwnd_ -
             int64_t{prr_out_};
  } else {
    // PRR-SSRB: slow start back to ssthresh, one extra on a clean advance.
    sndcnt = std::max<int64_t>(int64_t{prr_delivered_} - prr_out_, newly_delivered);
    if (una_advanced && newly_lost == 0) ++sndcnt;
    sndcnt = std::min(delta, sndcnt);
  }
  // The fast retransmit goes out on entering recovery whatever the count.
  sndcnt = std::max<int64_t>(sndcnt, prr_out_ == 0 ? 1 : 0);
  cw_.cwnd = static_cast<uint32_t>(std::max<int64_t>(in_flight + sndcnt, 1));
}

void LossRecovery::on_ack(const Sender& s, const AckEvent& e) {
  const Delivery& d = e.delivered;
  if (e.una_advanced) dup_acks_ = 0;
  rack_.on_delivered(d, s.now, min_rtt_.value_or(Duration(0)));
  if (d.reordered_low) note_reordering(*d.reordered_low, e.prior_fack, s.snd_mss);
  // Without SACK, duplicate ACKs stand in for SACKed segments (Linux
  // tcp_add_reno_sack()).
  if (!s.sack && e.duplicate) ++dup_acks_;
  if (ca_state_ == CaState::kLoss) {
    process_loss(s, e);
  } else if (undo_armed_ && undo_retrans_ == 0) {
    // Linux tcp_try_undo_dsack(): every retransmission of the episode came
    // back as a duplicate, during it or after.
    undo_cwnd_reduction();
  } else if (ca_state_ == CaState::kRecovery && !s.snd_una.less_than(high_seq_)) {
    // Everything outstanding when the episode began is acknowledged.
    if (!try_undo(s, e)) end_recovery();
  } else if (ca_state_ == CaState::kCwr && s.snd_una.greater_than(high_seq_)) {
    // Linux: CWR holds until something above high_seq is acknowledged, so
    // that the CWR flag reached the receiver; the window lands on ssthresh.
    cw_.cwnd = std::max(cw_.ssthresh, 1u);
    cw_.cwnd_cnt = 0;
    ca_state_ = CaState::kOpen;
  }
  uint32_t newly_lost = 0;
  if (ca_state_ == CaState::kRecovery && !s.sack && e.una_advanced && !sent_.empty() &&
      !sent_.entries().front().lost) {
    // RFC 6582 3.2 (5): a partial ACK retransmits the next hole at once
    // (Linux tcp_newreno_mark_lost(): unless it is already marked).
    sent_.mark_head_lost();
    ++newly_lost;
  }
  // Linux tcp_fastretrans_alert(): in the Loss state RACK still marks
  // (tcp_identify_packet_loss()); the duplicate-ACK rule does not.
  const uint32_t retrans_before = sent_.retrans_out();
  if (ca_state_ != CaState::kLoss || s.sack) detect_losses(s, newly_lost);
  // A retransmission of the timeout lost again (FLAG_LOST_RETRANS): Linux
  // leaves Loss for Recovery, and the window is reduced once more.
  if (ca_state_ == CaState::kLoss && sent_.retrans_out() < retrans_before) enter_recovery(s);
  if (ca_state_ == CaState::kOpen || ca_state_ == CaState::kDisorder ||
      ca_state_ == CaState::kCwr) {
    if (sent_.lost_out() > 0) {
      enter_recovery(s);
    } else if (ca_state_ != CaState::kCwr) {
      ca_state_ = sent_.sacked_out() > 0 || dup_acks_ > 0 ? CaState::kDisorder : CaState::kOpen;
      // Linux tcp_try_to_open(): an echoed congestion mark enters CWR.
      if (e.ece) enter_cwr(s);
    }
  }
  if (ca_state_ == CaState::kRecovery || ca_state_ == CaState::kCwr) {
    reduce_cwnd(d.segments, newly_lost, e.una_advanced);
  } else if (e.una_advanced && d.segments > 0 && cwnd_limited()) {
    cc_->on_ack(cw_, d.segments, s.now, min_rtt_.value_or(Duration(0)));
  }
}

void LossRecovery::process_loss(const Sender& s, const AckEvent& e) {
  const bool recovered = !s.snd_una.less_than(high_seq_);
  // Linux tcp_try_undo_loss(): any ACK that moves SND.UNA may prove the
  // timeout spurious (RFC 3522's echo, or every retransmission D-SACKed),
  // not only the one that ends the episode.
  if (e.una_advanced && try_undo(s, e)) return;
  if (frto_) {
    // RFC 5682 3.1 step 3.b, SACK-enhanced: data never retransmitted and
    // sent before the timeout got through, so it was spurious.
    const auto& original = e.delivered.original_end;
    if (original && original->less_equal(high_seq_)) {
      undo_cwnd_reduction();
      return;
    }
    if (s.snd_nxt.greater_than(high_seq_)) {
      // Step 3.a: new data went out, yet the peer SACKs or repeats its
      // ACK: the loss was real.
      if (e.delivered.sacked > 0 || e.duplicate) frto_ = false;
    } else if (e.una_advanced && !recovered) {
      // Step 2.b: the retransmission was acknowledged; new data goes next
      // (when there is any the window admits) and the ACK it draws decides.
      high_seq_ = s.snd_nxt;
      if (s.new_data_ready) {
        send_new_first_ = true;
        return;
      }
      frto_ = false;
    }
  }
  // Step 2.a, and the first part of step 3.a: the episode is over.
  if (recovered && !try_undo(s, e)) end_recovery();
}

bool LossRecovery::on_reorder_timeout(const Sender& s) {
  // Linux tcp_rack_reo_timeout(): what the window was waiting for is lost now.
  uint32_t newly_lost = 0;
  rack_detect_loss(s, newly_lost);
  if (newly_lost == 0) return false;
  // Linux enters recovery (from the Loss state too) and, for an algorithm
  // without its own cong_control (CUBIC, Reno), starts PRR as if one
  // segment had been delivered: recovery/rack-reordering-window.pkt.
  if (ca_state_ != CaState::kRecovery) {
    enter_recovery(s);
    reduce_cwnd(1, newly_lost, /*una_advanced=*/false);
  }
  return true;
}

void LossRecovery::on_retransmit(std::optional<uint32_t> tsval) {
  undo_retrans_ = std::max(undo_retrans_, 0) + 1;
  if (tsval && !undo_tsval_) undo_tsval_ = tsval;
}

void LossRecovery::restart_after_idle(Instant now, Duration rto) {
  const Duration idle = now - last_data_sent_at_;
  if (sent_.packets_out() > 0 || last_data_sent_at_ == Instant()) return;
  cc_->on_idle_restart(idle, now);
  // RFC 7661 / Linux tcp_cwnd_restart(): halve per RTO idle, down to IW.
  if (!config_.slow_start_after_idle || idle <= rto) return;
  const uint32_t restart = std::min(config_.initial_cwnd, cw_.cwnd);
  cw_.ssthresh = current_ssthresh();
  uint32_t cwnd = cw_.cwnd;
  for (Duration left = idle - rto; left > Duration(0) && cwnd > restart; left -= rto) cwnd >>= 1;
  cw_.cwnd = std::max(cwnd, restart);
}

void LossRecovery::on_non_congestion_loss(seqnum::Value snd_nxt) {
  if (ca_state_ == CaState::kLoss) return;
  frto_ = false;
  high_seq_ = snd_nxt;
  cw_.ssthresh = current_ssthresh();
  undo_armed_ = false;
  ca_state_ = CaState::kLoss;
}

void LossRecovery::set_algorithm(CongestionAlgorithm a) {
  if (cc_->algorithm() != a) cc_ = make_congestion_control(a);
}

}  // namespace netstack::tcp
