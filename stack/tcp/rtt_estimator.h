// Retransmission timeout from RTT samples: RFC 6298 smoothing with Linux's
// bounds (initial RTO 1 s, floor 200 ms applied to the variance term as
// tcp_set_rto() does, ceiling 120 s) and binary exponential backoff.
#pragma once

#include "stack/time/clock.h"

namespace netstack::tcp {

struct RtoBounds {
  Duration initial = std::chrono::seconds(1);     // RFC 6298 (2.1)
  Duration min = std::chrono::milliseconds(200);  // Linux TCP_RTO_MIN
  Duration max = std::chrono::seconds(120);       // Linux TCP_RTO_MAX
};

class RttEstimator {
 public:
  explicit RttEstimator(RtoBounds bounds = {}) : bounds_(bounds) {}

  // RFC 6298 (2.2)/(2.3). Karn's rule (no samples from retransmitted
  // segments) is the caller's job.
  void add_sample(Duration rtt);
  // RFC 6298 (5.5): the timer backs off by doubling, capped at max.
  void backoff() { ++backoffs_; }
  void reset_backoff() { backoffs_ = 0; }

  // The timeout to arm now, backoff included.
  Duration rto() const;
  // The timeout without backoff.
  Duration base_rto() const;
  bool has_sample() const { return has_sample_; }
  Duration srtt() const { return srtt_; }
  Duration rttvar() const { return rttvar_; }
  unsigned backoffs() const { return backoffs_; }
  const RtoBounds& bounds() const { return bounds_; }

 private:
  RtoBounds bounds_;
  bool has_sample_ = false;
  Duration srtt_{0};
  Duration rttvar_{0};
  unsigned backoffs_ = 0;
};

}  // namespace netstack::tcp
