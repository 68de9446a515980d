#include "stack/tcp/delayed_ack.h"

#include <algorithm>
#include <utility>

namespace netstack::tcp {

DelayedAck::DelayedAck(const Config& config, Clock& clock, std::function<void()> on_timer)
    : config_(config), timer_(clock, std::move(on_timer)) {}

void DelayedAck::enter_quickack_mode(uint32_t credits) {
  quick_ = std::max(quick_, credits);
  pingpong_ = false;
  ato_ = config_.delayed_ack_min;
}

void DelayedAck::on_data_received(Instant now, uint32_t credits, Duration rto) {
  const Config& c = config_;
  if (ato_ == Duration(0)) {
    // The first data: quickack mode and the minimum delayed-ACK timeout.
    quick_ = std::max(quick_, credits);
    ato_ = c.delayed_ack_min;
  } else {
    // Linux adapts ato to the interarrival time.
    const Duration m = now - last_data_at_;
    if (m <= c.delayed_ack_min / 2) {
      ato_ = ato_ / 2 + c.delayed_ack_min / 2;
    } else if (m < ato_) {
      ato_ = std::min(ato_ / 2 + m, rto);
    } else if (m > rto) {
      quick_ = std::max(quick_, credits);
    }
  }
  last_data_at_ = now;
}

void DelayedAck::on_data_sent(Instant now) {
  if (ato_ > Duration(0) && now < last_data_at_ + ato_) pingpong_ = true;
}

void DelayedAck::on_ack_sent(uint32_t acked) {
  quick_ = acked >= quick_ ? 0 : quick_ - acked;
  ack_now_ = false;
  timer_.cancel();
}

bool DelayedAck::schedule(Instant now, std::optional<Duration> srtt) {
  const Config& c = config_;
  Duration ato = ato_;
  if (ato > c.delayed_ack_min) {
    Duration max_ato = pingpong_ ? c.delayed_ack_max : std::chrono::milliseconds(500);
    if (srtt) max_ato = std::min(max_ato, std::max(*srtt, c.delayed_ack_min));
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

void DelayedAck::on_timer_fired(Duration rto) {
  // A missed delayed ACK leaves interactive mode (and resets ato),
  // otherwise it inflates ato.
  if (pingpong_) {
    pingpong_ = false;
    ato_ = config_.delayed_ack_min;
  } else {
    ato_ = std::min(2 * ato_, rto);
  }
}

}  // namespace netstack::tcp
