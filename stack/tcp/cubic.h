// CUBIC (RFC 9438) as Linux's tcp_cubic.c runs it: the window follows
// W(t) = C*(t-K)^3 + W_max from the last loss, never below what Reno would
// have (the Reno-friendly region), with fast convergence and beta 0.7.
// Linux also runs HyStart to leave slow start early; this does not (slow
// start ends at ssthresh or on loss, RFC 9438 4.10 allows either).
#pragma once

#include <optional>

#include "stack/tcp/congestion_control.h"

namespace netstack::tcp {

class Cubic final : public CongestionControl {
 public:
  CongestionAlgorithm algorithm() const override { return CongestionAlgorithm::kCubic; }
  void on_ack(CongestionWindow& w, uint32_t acked, Instant now, Duration min_rtt) override;
  uint32_t ssthresh_after_loss(const CongestionWindow& w) override;
  void on_timeout() override;
  uint32_t undo_cwnd(const CongestionWindow& w, uint32_t prior_cwnd) override;
  void on_idle_restart(Duration idle, Instant now) override;

  // For tests: the window the cubic curve aims at, and its K.
  double w_max() const { return w_max_; }
  double k_seconds() const { return k_; }

 private:
  // Segments ACKed per one-segment increase (Linux bictcp_update()).
  uint32_t increase_interval(uint32_t cwnd, uint32_t acked, Instant now, Duration min_rtt);

  double w_max_ = 0;  // the window before the last reduction (Linux last_max_cwnd)
  std::optional<Instant> epoch_;
  double k_ = 0;
  double origin_ = 0;
  uint32_t ack_cnt_ = 0;
  uint32_t reno_cwnd_ = 0;  // the Reno-friendly estimate (W_est)
  uint32_t last_cwnd_ = 0;
  Instant last_time_;
  uint32_t cnt_ = 0;
};

}  // namespace netstack::tcp
