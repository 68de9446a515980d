#include "stack/tcp/congestion_control.h"

#include <algorithm>

#include "stack/tcp/cubic.h"
#include "stack/tcp/reno.h"

namespace netstack::tcp {

uint32_t CongestionWindow::slow_start(uint32_t acked) {
  const uint32_t grown = std::min(cwnd + acked, std::max(ssthresh, cwnd));
  acked -= grown - cwnd;
  cwnd = grown;
  return acked;
}

void CongestionWindow::additive_increase(uint32_t w, uint32_t acked) {
  // A window that shrank since counting started starts a fresh count.
  if (cwnd_cnt >= w) {
    cwnd_cnt = 0;
    ++cwnd;
  }
  cwnd_cnt += acked;
  if (cwnd_cnt >= w) {
    const uint32_t delta = cwnd_cnt / w;
    cwnd_cnt -= delta * w;
    cwnd += delta;
  }
}

std::string_view algorithm_name(CongestionAlgorithm a) {
  return a == CongestionAlgorithm::kReno ? "reno" : "cubic";
}

std::optional<CongestionAlgorithm> parse_algorithm(std::string_view name) {
  if (name == "reno") return CongestionAlgorithm::kReno;
  if (name == "cubic") return CongestionAlgorithm::kCubic;
  return std::nullopt;
}

std::unique_ptr<CongestionControl> make_congestion_control(CongestionAlgorithm a) {
  if (a == CongestionAlgorithm::kReno) return std::make_unique<Reno>();
  return std::make_unique<Cubic>();
}

}  // namespace netstack::tcp
