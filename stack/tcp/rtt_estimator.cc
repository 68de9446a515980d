#include "stack/tcp/rtt_estimator.h"

#include <algorithm>

namespace netstack::tcp {

void RttEstimator::add_sample(Duration rtt, seqnum::Value snd_una, seqnum::Value snd_nxt) {
  rtt = std::max(rtt, Duration(0));
  if (!has_sample_) {
    // RFC 6298 (2.2): SRTT = R, and 4 * RTTVAR = 2R, so the RTO is 3R.
    srtt_ = rtt;
    mdev_ = 2 * rtt;
    rto_var_ = std::max(mdev_, bounds_.min);
    mdev_max_ = rto_var_;
    rtt_seq_ = snd_nxt;
    has_sample_ = true;
    return;
  }
  // RFC 6298 (2.3), alpha = 1/8, beta = 1/4, except that a sample below
  // SRTT moves the deviation eight times more slowly (Linux: "like Eifel,
  // it prevents growth of the RTO").
  Duration error = rtt - srtt_;
  srtt_ += error / 8;
  if (error < Duration(0)) {
    error = -error - mdev_ / 4;
    if (error > Duration(0)) error /= 8;
  } else {
    error -= mdev_ / 4;
  }
  mdev_ += error;
  if (mdev_ > mdev_max_) {
    mdev_max_ = mdev_;
    rto_var_ = std::max(rto_var_, mdev_max_);
  }
  // Once per window of data the RTO's deviation decays a quarter of the
  // way towards the window's largest.
  if (snd_una.greater_than(rtt_seq_)) {
    if (mdev_max_ < rto_var_) rto_var_ -= (rto_var_ - mdev_max_) / 4;
    rtt_seq_ = snd_nxt;
    mdev_max_ = bounds_.min;
  }
}

Duration RttEstimator::base_rto() const {
  if (!has_sample_) return bounds_.initial;
  // Linux __tcp_set_rto(): SRTT + rttvar, which holds at least TCP_RTO_MIN.
  return std::min(srtt_ + rto_var_, bounds_.max);
}

namespace {

Duration doubled(Duration d, unsigned times, Duration max) {
  for (unsigned i = 0; i < times && d < max; ++i) d *= 2;
  return std::min(d, max);
}

}  // namespace

Duration RttEstimator::rto() const {
  return doubled(base_rto(), rto_doublings_, bounds_.max);
}

Duration RttEstimator::probe_timeout() const {
  return doubled(rto(), backoffs_, bounds_.max);
}

}  // namespace netstack::tcp
