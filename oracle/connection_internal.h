// What the connection oracle's files share (connection_oracle.cc,
// connection_close.cc, connection_deadlines.cc): Linux's constants, modular
// sequence comparisons, and how a violation describes a segment.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "oracle/connection_oracle.h"

namespace tcpfuzz::oracle::internal {

using netstack::Duration;

// Linux net.ipv4.tcp_invalid_ratelimit: one out-of-window or challenge ACK
// per socket per 500 ms (tcp_oow_rate_limited()).
inline constexpr Duration kOowRateLimit = std::chrono::milliseconds(500);
// Linux tcp_paws_check(): TS.Recent older than 24 days no longer rejects.
inline constexpr Duration kPawsIdle = std::chrono::hours(24 * 24);
// Linux tcp_paws_check() tolerates a TSval one tick behind (TCP_PAWS_WINDOW).
inline constexpr int32_t kPawsWindow = 1;
// RFC 1122 4.2.3.2: an ACK is never delayed 500 ms or more; Linux's
// tcp_send_delayed_ack() reaches its 500 ms bound outside interactive mode.
inline constexpr Duration kAckDelayMax = std::chrono::milliseconds(500);
// Linux TCP_RTO_MAX (RFC 6298 2.5 allows any maximum of 60 s or more).
inline constexpr Duration kRtoMax = std::chrono::seconds(120);
// Linux TCP_TIMEOUT_FALLBACK: the RTO after a handshake whose SYN or
// SYN-ACK was lost and gave no RTT sample (above TCP_TIMEOUT_INIT, 1 s).
inline constexpr Duration kRtoWithoutSample = std::chrono::seconds(3);
// Linux TCP_RTO_MIN: the floor tcp_set_rto() puts under the variance term.
inline constexpr Duration kRtoMin = std::chrono::milliseconds(200);

inline bool before(uint32_t a, uint32_t b) {
  return static_cast<int32_t>(a - b) < 0;
}
inline bool after(uint32_t a, uint32_t b) {
  return before(b, a);
}
inline bool between(uint32_t x, uint32_t low, uint32_t high) {  // low <= x <= high
  return !before(x, low) && !after(x, high);
}

// Linux TCP_TIMEWAIT_LEN: TIME-WAIT lasts 60 s from its last restart.
inline constexpr Duration kTimeWait = std::chrono::seconds(60);
// How late a Linux timer of a minute or more may fire: the timer wheel
// rounds it up by at most 1/8 (kernel/time/timer.c, LVL_CLK_SHIFT 3).
inline Duration with_timer_slack(Duration d) {
  return d + d / 8 + std::chrono::seconds(1);
}

std::string describe(const WireSegment& s);
inline Violation violation(Rule rule, const std::string& detail) {
  return Violation{rule, detail};
}

}  // namespace tcpfuzz::oracle::internal
