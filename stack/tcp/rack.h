// RACK (RFC 8985): time-based loss detection. A segment is lost once a
// segment sent after it has been delivered and more than an RTT plus a
// reordering window has passed since it was sent. The reordering window
// follows Linux (tcp_recovery.c): zero until reordering has been seen, once
// in recovery or with a duplicate threshold's worth of SACKed segments;
// otherwise a quarter of the minimum RTT, at most SRTT.
#pragma once

#include <cstdint>
#include <optional>

#include "stack/seqnum/seqnum.h"
#include "stack/tcp/sent_segments.h"
#include "stack/time/clock.h"

namespace netstack::tcp {

class Rack {
 public:
  // RFC 8985 6.2 step 2 (Linux tcp_rack_advance()): the newest delivered
  // segment moves RACK forward unless its RTT sample is ambiguous (a
  // retransmission ACKed faster than the minimum RTT acknowledges the
  // original). The RTT is the last delivered segment's, as in Linux, which
  // calls tcp_rack_advance() per segment in processing order.
  void on_delivered(const Delivery& d, Instant now, Duration min_rtt);

  struct Window {
    bool reordering_seen = false;
    bool in_recovery = false;
    bool dupthresh_reached = false;
    Duration min_rtt{0};
    Duration srtt{0};
  };
  static Duration reordering_window(const Window& w);

  // RFC 8985 6.2 step 5: marks what is lost; returns how long the first
  // segment not yet lost has left (the reordering timer), if any.
  // `newly_lost` counts the segments marked.
  std::optional<Duration> detect_loss(SentSegments& sent, Instant now, Duration reo_wnd,
                                      uint32_t& newly_lost);

  // RACK.rtt: the RTT of the last delivery that advanced RACK; zero before
  // the first.
  Duration rtt() const { return rtt_; }
  // Whether a delivery advanced RACK since detect_loss() last ran.
  bool advanced() const { return advanced_; }
  void clear() { *this = Rack(); }

 private:
  // Whether (t1, end1) was sent after (t2, end2); ties go by sequence.
  static bool sent_after(Instant t1, seqnum::Value end1, Instant t2, seqnum::Value end2) {
    return t1 > t2 || (t1 == t2 && end1.greater_than(end2));
  }

  bool advanced_ = false;
  bool valid_ = false;
  Instant xmit_ts_;
  seqnum::Value end_seq_;
  Duration rtt_{0};
};

}  // namespace netstack::tcp
