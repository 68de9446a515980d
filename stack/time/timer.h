// Timer: one re-armable timer on a Clock, cancelled when it goes out of
// scope, so an object that owns its timers can never be called back after
// it is destroyed.
#pragma once

#include <functional>
#include <utility>

#include "stack/time/clock.h"

namespace netstack {

class Timer {
 public:
  Timer(Clock& clock, std::function<void()> on_fire)
      : clock_(clock), on_fire_(std::move(on_fire)) {}
  ~Timer() { cancel(); }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // (Re)arms the timer for `deadline`.
  void arm(Instant deadline) {
    cancel();
    deadline_ = deadline;
    id_ = clock_.schedule(deadline, [this] {
      id_ = kNoTimer;
      on_fire_();
    });
  }
  void arm_after(Duration d) { arm(clock_.now() + d); }
  void cancel() {
    if (id_ != kNoTimer) clock_.cancel(id_);
    id_ = kNoTimer;
  }
  bool armed() const { return id_ != kNoTimer; }
  Instant deadline() const { return deadline_; }

 private:
  Clock& clock_;
  std::function<void()> on_fire_;
  TimerId id_ = kNoTimer;
  Instant deadline_;
};

}  // namespace netstack
