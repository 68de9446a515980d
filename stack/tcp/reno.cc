#include "stack/tcp/reno.h"

#include <algorithm>

namespace netstack::tcp {

void Reno::on_ack(CongestionWindow& w, uint32_t acked, Instant, Duration) {
  if (w.in_slow_start()) {
    acked = w.slow_start(acked);
    if (acked == 0) return;
  }
  w.additive_increase(w.cwnd, acked);
}

uint32_t Reno::ssthresh_after_loss(const CongestionWindow& w) {
  return std::max(w.cwnd / 2, 2u);  // RFC 5681 (4), in segments
}

uint32_t Reno::undo_cwnd(const CongestionWindow& w, uint32_t prior_cwnd) {
  return std::max(w.cwnd, prior_cwnd);
}

}  // namespace netstack::tcp
