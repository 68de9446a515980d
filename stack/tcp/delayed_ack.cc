#include "stack/tcp/delayed_ack.h"

#include <algorithm>
#include <utility>

namespace netstack::tcp {

DelayedAck::DelayedAck(const Config& config, const RttEstimator& rtt, Clock& clock,
                       std::function<void()> on_timer)
    : config_(config), rtt_(rtt), timer_(clock, std::move(on_timer)) {}

uint32_t DelayedAck::quickack_credits(uint32_t window, uint32_t rcv_mss) {
  const uint32_t n = window / (2 * rcv_mss);
  return std::min<uint32_t>(n == 0 ? 2 : n, 16);
}

void DelayedAck::enter_quickack_mode(uint32_t window, uint32_t rcv_mss) {
  quick_ = std::max(quick_, quickack_credits(window, rcv_mss));
  pingpong_ = false;
  ato_ = config_.delayed_ack_min;
}

void DelayedAck::on_data_received(Instant now, uint32_t window, uint32_t rcv_mss) {
  const Config& c = config_;
  if (ato_ == Duration(0)) {
    // The first data: quickack mode and the minimum delayed-ACK timeout.
    quick_ = std::max(quick_, quickack_credits(window, rcv_mss));
    ato_ = c.delayed_ack_min;
  } else {
    // Linux adapts ato to the interarrival time.
    const Duration m = now - last_data_at_;
    if (m <= c.delayed_ack_min / 2) {
      ato_ = ato_ / 2 + c.delayed_ack_min / 2;
    } else if (m < ato_) {
      ato_ = std::min(ato_ / 2 + m, rtt_.rto());
    } else if (m > rtt_.rto()) {
      quick_ = std::max(quick_, quickack_credits(window, rcv_mss));
    }
  }
  last_data_at_ = now;
}

bool DelayedAck::schedule(Instant now) {
  const Config& c = config_;
  Duration ato = ato_;
  if (ato > c.delayed_ack_min) {
    Duration max_ato = pingpong_ ? c.delayed_ack_max : std::chrono::milliseconds(500);
    if (rtt_.has_sample()) max_ato = std::min(max_ato, std::max(rtt_.srtt(), c.delayed_ack_min));
    ato = std::min(ato, max_ato);
  }
  const Instant deadline = now + ato;
  if (timer_.armed()) {
    // An earlier deadline stands; one about to expire is sent now.
    if (timer_.deadline() <= now + ato / 4) return false;
    if (timer_.deadline() <= deadline) return true;
  }
  timer_.arm(deadline);
  return true;
}

void DelayedAck::retry_failed_ack(Instant now) {
  ack_now_ = true;
  timer_.arm(now + config_.delayed_ack_max);
}

void DelayedAck::on_timer_fired() {
  // A missed delayed ACK leaves interactive mode (and resets ato),
  // otherwise it inflates ato.
  if (pingpong_) {
    pingpong_ = false;
    ato_ = config_.delayed_ack_min;
  } else {
    ato_ = std::min(2 * ato_, rtt_.rto());
  }
}

}  // namespace netstack::tcp
