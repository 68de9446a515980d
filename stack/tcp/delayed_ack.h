// DelayedAck: when a receiver ACKs, the way Linux decides it
// (inet_connection_sock icsk_ack; tcp_input.c tcp_event_data_recv(),
// __tcp_ack_snd_check(); tcp_output.c tcp_send_delayed_ack(),
// tcp_event_ack_sent(); tcp_timer.c tcp_delack_timer_handler()).
//
// Quickack credits ACK the next segments at once; interactive ("pingpong")
// mode delays them for a reply to carry; the delayed-ACK timeout (ato)
// adapts to the interarrival time of data. The owner sends the ACKs: this
// class only says when, and owns the timer that fires for a delayed one.
#pragma once

#include <cstdint>
#include <functional>

#include "stack/tcp/config.h"
#include "stack/tcp/rtt_estimator.h"
#include "stack/time/timer.h"

namespace netstack::tcp {

class DelayedAck {
 public:
  // `rtt` bounds ato; `on_timer` runs when a delayed ACK is due: it calls
  // on_timer_fired() and sends the ACK.
  DelayedAck(const Config& config, const RttEstimator& rtt, Clock& clock,
             std::function<void()> on_timer);

  // Linux tcp_enter_quickack_mode(): ACK the next segments at once (half of
  // the `window` last advertised, in segments of `rcv_mss`) and leave
  // interactive mode.
  void enter_quickack_mode(uint32_t window, uint32_t rcv_mss);
  // Linux tcp_fin() and tcp_event_data_sent(): interactive mode.
  void enter_pingpong() { pingpong_ = true; }
  // Linux tcp_rcv_synsent_state_process() with a writer waiting: the ACK of
  // the SYN-ACK waits up to TCP_DELACK_MAX for the writer's data, and data
  // sent within ato of `now` makes the connection interactive.
  void delay_for_writer(Instant now) {
    last_data_at_ = now;
    timer_.arm(now + config_.delayed_ack_max);
  }
  // Linux tcp_grow_window(): icsk_ack.quick |= 1 (at least one credit; an
  // even count gains one).
  void add_quickack_credit() { quick_ |= 1u; }
  // Linux tcp_clamp_window(): receive memory ran short, quickack mode ends.
  void end_quickack() { quick_ = 0; }
  // An ACK is due at once (RFC 5681 4.2: a gap was filled).
  void ack_now() { ack_now_ = true; }

  // Linux tcp_event_data_recv(): data arrived at `now`. The first data
  // enters quickack mode (credits as enter_quickack_mode() gives them);
  // later data adapts ato to the interarrival time (at most the RTO), and a
  // long silence (beyond the RTO) gives quickack credits again.
  void on_data_received(Instant now, uint32_t window, uint32_t rcv_mss);
  // Linux tcp_event_data_sent(): data sent within ato of the last data
  // received makes the connection interactive (TCP_PINGPONG_THRESH 1).
  void on_data_sent(Instant now) {
    if (ato_ > Duration(0) && now < last_data_at_ + ato_) pingpong_ = true;
  }
  // Linux tcp_event_ack_sent(): an ACK went out; the quickack credits pay
  // for the `acked` segments it covers.
  void on_ack_sent(uint32_t acked) {
    quick_ = acked >= quick_ ? 0 : quick_ - acked;
    ack_now_ = false;
    timer_.cancel();
  }
  bool has_quickack_credits() const { return quick_ > 0; }

  // __tcp_ack_snd_check(): quickack credits (outside interactive mode) or
  // an ACK due at once say to ACK now.
  bool ack_due_now() const { return (quick_ > 0 && !pingpong_) || ack_now_; }
  // Linux tcp_send_delayed_ack(): arms the timer for ato from `now`, bounded
  // in interactive mode or by the RTT; an earlier deadline stands. False
  // when the ACK should go at once instead (the armed deadline is about to
  // expire).
  bool schedule(Instant now);
  // A bare ACK found no buffer: it is due at once and retried by the timer
  // (Linux __tcp_send_ack() retries with a backoff).
  void retry_failed_ack(Instant now);
  bool pending() const { return timer_.armed(); }
  void cancel() { timer_.cancel(); }

  // Linux tcp_delack_timer_handler(): a missed delayed ACK leaves
  // interactive mode (and resets ato), otherwise it inflates ato up to the
  // RTO.
  void on_timer_fired();

  bool pingpong() const { return pingpong_; }
  Duration ato() const { return ato_; }

 private:
  // Linux tcp_incr_quickack(): half a window's worth of segments, 2..16.
  static uint32_t quickack_credits(uint32_t window, uint32_t rcv_mss);

  const Config& config_;
  const RttEstimator& rtt_;
  uint32_t quick_ = 0;     // quickack credits: ACK at once while > 0
  bool pingpong_ = false;  // interactive mode: delay ACKs (entered in CLOSE-WAIT)
  bool ack_now_ = false;   // an ACK is due at once (gap filled, ...)
  Duration ato_{0};        // delayed-ACK timeout; 0 until data arrives
  Instant last_data_at_;
  Timer timer_;
};

}  // namespace netstack::tcp
