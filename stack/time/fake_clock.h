// FakeClock: time moves only when told to. Tests and fuzz harnesses own one
// and pass it to the Stack; advance()/advance_to() run every timer that falls
// due, in (deadline, scheduling order), with now() equal to each timer's
// deadline while it runs. Timers scheduled by a firing timer run in the same
// call if they fall due before the target time.
#pragma once

#include <optional>

#include "stack/time/clock.h"
#include "stack/time/timer_queue.h"

namespace netstack {

class FakeClock final : public Clock {
 public:
  // Starts at 1 µs rather than zero so that "time zero" can mean "never" in
  // the stack's bookkeeping without colliding with a real instant.
  explicit FakeClock(Instant start = Instant::from_nanos(1000)) : now_(start) {}

  // Begin Clock implementation.
  Instant now() const override { return now_; }
  TimerId schedule(Instant deadline, Callback fn) override;
  bool cancel(TimerId id) override { return timers_.cancel(id); }
  // End Clock implementation.

  // Runs due timers and returns how many fired.
  size_t advance(Duration d) { return advance_to(now_ + d); }
  size_t advance_to(Instant t);
  // Jumps to the next deadline and fires what is due there; false if idle.
  bool run_next();

  std::optional<Instant> next_deadline() const { return timers_.next_deadline(); }
  size_t pending_timers() const { return timers_.pending(); }

 private:
  Instant now_;
  TimerQueue timers_;
};

}  // namespace netstack
