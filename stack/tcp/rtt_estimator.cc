#include "stack/tcp/rtt_estimator.h"

#include <algorithm>

namespace netstack::tcp {

void RttEstimator::add_sample(Duration rtt) {
  rtt = std::max(rtt, Duration(0));
  if (!has_sample_) {
    srtt_ = rtt;
    rttvar_ = rtt / 2;
    has_sample_ = true;
    return;
  }
  // alpha = 1/8, beta = 1/4.
  const Duration delta = srtt_ > rtt ? srtt_ - rtt : rtt - srtt_;
  rttvar_ = (3 * rttvar_ + delta) / 4;
  srtt_ = (7 * srtt_ + rtt) / 8;
}

Duration RttEstimator::base_rto() const {
  if (!has_sample_) return bounds_.initial;
  // Linux: RTO = SRTT + max(4 * RTTVAR, TCP_RTO_MIN), not RFC 6298's 1 s floor.
  return std::min(srtt_ + std::max(4 * rttvar_, bounds_.min), bounds_.max);
}

Duration RttEstimator::rto() const {
  Duration r = base_rto();
  for (unsigned i = 0; i < backoffs_ && r < bounds_.max; ++i) r *= 2;
  return std::min(r, bounds_.max);
}

}  // namespace netstack::tcp
