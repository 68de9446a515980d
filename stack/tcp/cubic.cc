#include "stack/tcp/cubic.h"

#include <algorithm>
#include <cmath>

namespace netstack::tcp {

namespace {

constexpr double kC = 0.4;       // RFC 9438 4.2 (Linux bic_scale 41)
constexpr uint32_t kBeta = 717;  // RFC 9438 4.6: 0.7, in 1024ths as Linux
constexpr uint32_t kBetaScale = 1024;
// Linux beta_scale: 8 * (1 + beta) / 3 / (1 - beta), the Reno-friendly
// region's growth per ACK in eighths (RFC 9438 4.3's alpha_cubic).
constexpr uint32_t kFriendlyScale = 8 * (kBetaScale + kBeta) / 3 / (kBetaScale - kBeta);

double seconds(Duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

uint32_t Cubic::increase_interval(uint32_t cwnd, uint32_t acked, Instant now, Duration min_rtt) {
  ack_cnt_ += acked;
  // Linux recomputes at most every jiffy-ish 1/32 s while the window holds.
  if (last_cwnd_ == cwnd && now - last_time_ <= std::chrono::milliseconds(31) && cnt_ != 0) {
    return cnt_;
  }
  last_cwnd_ = cwnd;
  last_time_ = now;
  if (!epoch_) {
    epoch_ = now;
    ack_cnt_ = acked;
    reno_cwnd_ = cwnd;
    if (w_max_ <= cwnd) {
      k_ = 0;
      origin_ = cwnd;
    } else {
      k_ = std::cbrt((w_max_ - cwnd) / kC);  // RFC 9438 4.2 eq. 2
      origin_ = w_max_;
    }
  }
  // RFC 9438 4.2: the target one RTT ahead.
  const double t = seconds(now - *epoch_ + min_rtt);
  const double target = origin_ + kC * std::pow(t - k_, 3);
  double cnt = target > cwnd ? cwnd / (target - cwnd) : 100.0 * cwnd;
  // Linux: before the first loss, at least 5 % growth per RTT.
  if (w_max_ == 0 && cnt > 20) cnt = 20;
  // RFC 9438 4.3: never slower than Reno would be.
  const uint32_t per_segment = std::max<uint32_t>(cwnd * kFriendlyScale / 8, 1);
  while (ack_cnt_ > per_segment) {
    ack_cnt_ -= per_segment;
    ++reno_cwnd_;
  }
  if (reno_cwnd_ > cwnd) cnt = std::min(cnt, double(cwnd) / (reno_cwnd_ - cwnd));
  cnt_ = std::max<uint32_t>(static_cast<uint32_t>(std::min(cnt, 1e9)), 2);
  return cnt_;
}

void Cubic::on_ack(CongestionWindow& w, uint32_t acked, Instant now, Duration min_rtt) {
  if (w.in_slow_start()) {
    acked = w.slow_start(acked);
    if (acked == 0) return;
  }
  w.additive_increase(increase_interval(w.cwnd, acked, now, min_rtt), acked);
}

uint32_t Cubic::ssthresh_after_loss(const CongestionWindow& w) {
  epoch_.reset();
  cnt_ = 0;
  // RFC 9438 4.7 fast convergence: a flow losing below its previous peak
  // releases bandwidth.
  if (w.cwnd < w_max_) {
    w_max_ = double(w.cwnd) * (kBetaScale + kBeta) / (2 * kBetaScale);
  } else {
    w_max_ = w.cwnd;
  }
  return std::max<uint32_t>(w.cwnd * kBeta / kBetaScale, 2);
}

void Cubic::on_timeout() {
  // Linux bictcp_state(TCP_CA_Loss): the curve starts over.
  *this = Cubic();
}

uint32_t Cubic::undo_cwnd(const CongestionWindow& w, uint32_t prior_cwnd) {
  return std::max(w.cwnd, prior_cwnd);
}

void Cubic::on_idle_restart(Duration idle, Instant now) {
  // Linux CA_EVENT_TX_START: idle time does not count toward the curve (and
  // the epoch never moves past now).
  if (epoch_) *epoch_ = std::min(*epoch_ + idle, now);
}

}  // namespace netstack::tcp
