#include "stack/tcp/rack.h"

#include <algorithm>

namespace netstack::tcp {

void Rack::on_delivered(const Delivery& d, Instant now, Duration min_rtt) {
  // Linux tcp_rack_advance(): a retransmission acknowledged faster than the
  // minimum RTT may be the original's ACK. An exact tie, which only a fake
  // clock makes, counts as ambiguous too: on Linux the minimum RTT of a
  // packetdrill script's first burst includes device latency the later
  // retransmission's sample lacks (google/packetdrill
  // eor/no-coalesce-retrans.pkt passes on Linux only so).
  auto ambiguous = [&](const SentSegment& s) {
    return s.ever_retransmitted && now - s.sent_at <= min_rtt;
  };
  if (d.last && !ambiguous(*d.last)) {
    advanced_ = true;
    rtt_ = now - d.last->sent_at;
  }
  if (!d.newest || ambiguous(*d.newest)) return;
  const SentSegment& newest = *d.newest;
  if (!valid_) rtt_ = now - newest.sent_at;
  advanced_ = true;
  if (!valid_ || sent_after(newest.sent_at, newest.end, xmit_ts_, end_seq_)) {
    valid_ = true;
    xmit_ts_ = newest.sent_at;
    end_seq_ = newest.end;
  }
}

Duration Rack::reordering_window(const Window& w) {
  if (!w.reordering_seen && (w.in_recovery || w.dupthresh_reached)) return Duration(0);
  return std::min(w.min_rtt / 4, w.srtt);
}

std::optional<Duration> Rack::detect_loss(SentSegments& sent, Instant now, Duration reo_wnd,
                                          uint32_t& newly_lost) {
  advanced_ = false;
  if (!valid_) return std::nullopt;
  std::optional<Duration> wait;
  // In sequence order, segments never retransmitted were sent in order:
  // the first of them sent after RACK's segment ends the search (all later
  // ones, and any retransmission of them, went later still).
  for (SentSegment& s : sent.entries()) {
    const bool before_rack = sent_after(xmit_ts_, end_seq_, s.sent_at, s.end);
    if (!before_rack && !s.ever_retransmitted) break;
    if (!before_rack || s.sacked || (s.lost && !s.retrans)) continue;
    const Duration remaining = rtt_ + reo_wnd - (now - s.sent_at);
    if (remaining <= Duration(0)) {
      sent.mark_lost(s);
      ++newly_lost;
    } else {
      wait = std::max(wait.value_or(Duration(0)), remaining);
    }
  }
  return wait;
}

}  // namespace netstack::tcp
