// RealClock: the monotonic system clock, for the stack on a real link. Timers
// run from run_due(), which an event loop calls after waking up; the loop
// sleeps until next_deadline().
#pragma once

#include <chrono>
#include <optional>

#include "stack/time/clock.h"
#include "stack/time/timer_queue.h"

namespace netstack {

class RealClock final : public Clock {
 public:
  RealClock() : start_(std::chrono::steady_clock::now()) {}

  // Begin Clock implementation.
  Instant now() const override;
  TimerId schedule(Instant deadline, Callback fn) override;
  bool cancel(TimerId id) override { return timers_.cancel(id); }
  // End Clock implementation.

  // Fires every timer due by now(); returns how many fired.
  size_t run_due();
  std::optional<Instant> next_deadline() const { return timers_.next_deadline(); }

 private:
  std::chrono::steady_clock::time_point start_;
  TimerQueue timers_;
};

}  // namespace netstack
