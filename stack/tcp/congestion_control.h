// Congestion control: the window's growth on ACKs and its reduction on
// loss, pluggable per endpoint the way Linux's tcp_congestion_ops are
// (gVisor's congestionControl interface). Windows are in segments, as in
// Linux. Loss recovery itself (which segments to resend, PRR) is the
// endpoint's; an algorithm decides only sizes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "stack/time/clock.h"

namespace netstack::tcp {

enum class CongestionAlgorithm : uint8_t { kReno, kCubic };

std::string_view algorithm_name(CongestionAlgorithm a);
std::optional<CongestionAlgorithm> parse_algorithm(std::string_view name);

struct CongestionWindow {
  uint32_t cwnd = 10;
  uint32_t ssthresh = UINT32_MAX;
  uint32_t cwnd_cnt = 0;  // ACKed segments toward the next increase (Linux snd_cwnd_cnt)

  bool in_slow_start() const { return cwnd < ssthresh; }
  // RFC 5681 3.1 slow start (Linux tcp_slow_start()): one segment per
  // segment ACKed, up to ssthresh; returns the ACKed segments left over.
  uint32_t slow_start(uint32_t acked);
  // Additive increase (Linux tcp_cong_avoid_ai()): one segment per `w`
  // segments ACKed.
  void additive_increase(uint32_t w, uint32_t acked);
};

class CongestionControl {
 public:
  virtual ~CongestionControl() = default;
  virtual CongestionAlgorithm algorithm() const = 0;
  // An ACK delivered `acked` segments while the window limited sending and
  // no recovery was under way (Linux cong_avoid).
  virtual void on_ack(CongestionWindow& w, uint32_t acked, Instant now, Duration min_rtt) = 0;
  // The slow-start threshold after a loss (fast recovery or timeout).
  virtual uint32_t ssthresh_after_loss(const CongestionWindow& w) = 0;
  // A retransmission timeout: the algorithm's epoch ends.
  virtual void on_timeout() {}
  // The loss was spurious: the window to return to (Linux undo_cwnd).
  virtual uint32_t undo_cwnd(const CongestionWindow& w, uint32_t prior_cwnd) = 0;
  // Sending resumes at `now` after `idle` with nothing in flight (Linux
  // CA_EVENT_TX_START).
  virtual void on_idle_restart(Duration idle, Instant now) {
    (void)idle;
    (void)now;
  }
};

std::unique_ptr<CongestionControl> make_congestion_control(CongestionAlgorithm a);

}  // namespace netstack::tcp
