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
  // RFC 6298 (5.5): a retransmission timeout doubles the RTO, capped at
  // max, and counts as a backoff (Linux icsk_rto and icsk_backoff).
  void backoff() {
    ++rto_doublings_;
    ++backoffs_;
  }
  // A zero-window probe backs off the probe timer alone (Linux
  // tcp_send_probe0() counts icsk_backoff, leaving icsk_rto be).
  void probe_backoff() { ++backoffs_; }
  // The probing ends (the window opened, or a probe sent data): Linux
  // clears icsk_backoff and keeps icsk_rto.
  void end_probe_backoff() { backoffs_ = 0; }
  // A valid RTT sample: the RTO is computed afresh, no backoff left.
  void reset_backoff() {
    rto_doublings_ = 0;
    backoffs_ = 0;
  }

  // The retransmission timeout to arm now, doublings included.
  Duration rto() const;
  // The next zero-window probe's timeout: the RTO shifted by the backoff
  // count (Linux tcp_probe0_when()).
  Duration probe_timeout() const;
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
  unsigned rto_doublings_ = 0;
  unsigned backoffs_ = 0;
};

}  // namespace netstack::tcp
