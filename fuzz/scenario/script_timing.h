// Script time, as packetdrill keeps it (run.c): when each event is due,
// how late or early it may happen, and the "timing error" a run fails
// with. Script time is µs since script time 0 on the fake clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "fuzz/scenario/scenario.h"
#include "fuzz/scenario/script_options.h"
#include "stack/time/clock.h"

namespace tcpfuzz::scenario {

int64_t script_us(netstack::Instant t);
netstack::Instant instant_of_script_us(int64_t us);
// "1.250000": µs as seconds with six decimals, for messages (pkt_writer.h
// writes them as scripts do).
std::string fixed_seconds(int64_t us);

class ScriptTiming {
 public:
  explicit ScriptTiming(const ScriptOptions& options)
      : tolerance_us_(options.tolerance_us), tolerance_percent_(options.tolerance_percent) {}

  // When an event is due: its start and, for "a~b" and blocking calls'
  // "...b", its end (packetdrill adjust_relative_event_times()). "+t" counts
  // from when the previous event finished (`now_us`), or from the previous
  // event's script time between two inbound packets.
  struct Due {
    int64_t start_us = 0;
    std::optional<int64_t> end_us;
  };
  Due due(const Event& e, bool inbound, int64_t now_us) const;
  // The event at `t` is over; later relative times count from it.
  void finished(int64_t t, bool inbound) {
    previous_us_ = t;
    previous_inbound_ = inbound;
  }
  int64_t previous_us() const { return previous_us_; }

  // max(--tolerance_usecs, --tolerance_percent of the gap since the
  // previous event).
  int64_t tolerance_for(int64_t expected_us) const;
  // --tcp_ts_tick_usecs: how far a TSval may drift by `t`.
  int64_t ts_tolerance_at(int64_t t) const;

  // The failure when the run can reach an event due at `t` only at `now`
  // (judged to the nanosecond: timers need not fire on whole µs).
  std::optional<std::string> late_start(int64_t t, netstack::Instant now) const;
  // The failure when a call expected to return at `end_us` returned at `now_us`.
  std::optional<std::string> wrong_return(const std::string& call, int64_t end_us,
                                          int64_t now_us) const;
  // The failure when a packet due at `t` (~`t_end`) was sent at `sent_us`.
  std::optional<std::string> wrong_send_time(int64_t t, std::optional<int64_t> t_end,
                                             int64_t sent_us) const;

 private:
  int64_t tolerance_us_;
  double tolerance_percent_;
  int64_t previous_us_ = 0;
  bool previous_inbound_ = false;
};

}  // namespace tcpfuzz::scenario
