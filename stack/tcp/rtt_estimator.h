// Retransmission timeout from RTT samples as Linux computes it
// (tcp_rtt_estimator(), tcp_set_rto()): RFC 6298 smoothing of SRTT, a mean
// deviation that grows only gently when the RTT falls (Linux's take on
// Eifel), and an RTO of SRTT plus the largest deviation seen over the
// last window of data, never less than TCP_RTO_MIN; initial RTO 1 s,
// ceiling 120 s, binary exponential backoff.
#pragma once

#include "stack/seqnum/seqnum.h"
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

  // One RTT sample while SND.UNA and SND.NXT are where they are: the
  // deviation the RTO uses is the largest since SND.UNA passed the
  // SND.NXT of the window's start (Linux rtt_seq). Karn's rule (no
  // samples from retransmitted segments) is the caller's job.
  void add_sample(Duration rtt, seqnum::Value snd_una, seqnum::Value snd_nxt);
  // RFC 6298 (5.5): the timer backs off by doubling, capped at max.
  void backoff() { ++backoffs_; }
  void reset_backoff() { backoffs_ = 0; }

  // The timeout to arm now, backoff included.
  Duration rto() const;
  // The timeout without backoff.
  Duration base_rto() const;
  bool has_sample() const { return has_sample_; }
  Duration srtt() const { return srtt_; }
  // RFC 6298 RTTVAR: a quarter of Linux's mdev (tcpi_rttvar).
  Duration rttvar() const { return mdev_ / 4; }
  unsigned backoffs() const { return backoffs_; }
  const RtoBounds& bounds() const { return bounds_; }

 private:
  RtoBounds bounds_;
  bool has_sample_ = false;
  Duration srtt_{0};
  Duration mdev_{0};      // Linux mdev_us: four times the mean deviation
  Duration mdev_max_{0};  // the largest mdev in this window of data
  Duration rto_var_{0};   // Linux rttvar_us: what the RTO adds to SRTT
  seqnum::Value rtt_seq_;
  unsigned backoffs_ = 0;
};

}  // namespace netstack::tcp
