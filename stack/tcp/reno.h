// Reno (RFC 5681) as Linux's tcp_reno_cong_avoid() runs it: slow start to
// ssthresh, then one segment per window; half the window on loss.
#pragma once

#include "stack/tcp/congestion_control.h"

namespace netstack::tcp {

class Reno final : public CongestionControl {
 public:
  CongestionAlgorithm algorithm() const override { return CongestionAlgorithm::kReno; }
  void on_ack(CongestionWindow& w, uint32_t acked, Instant now, Duration min_rtt) override;
  uint32_t ssthresh_after_loss(const CongestionWindow& w) override;
  uint32_t undo_cwnd(const CongestionWindow& w, uint32_t prior_cwnd) override;
};

}  // namespace netstack::tcp
