#include "stack/time/real_clock.h"

#include <utility>

namespace netstack {

Instant RealClock::now() const {
  const auto elapsed = std::chrono::steady_clock::now() - start_;
  // +1 µs keeps the first instant distinct from "never" (see FakeClock).
  return Instant::from_nanos(std::chrono::duration_cast<Duration>(elapsed).count() + 1000);
}

TimerId RealClock::schedule(Instant deadline, Callback fn) {
  return timers_.schedule(deadline, std::move(fn));
}

size_t RealClock::run_due() {
  size_t fired = 0;
  Instant deadline;
  const Instant t = now();
  while (auto fn = timers_.pop_due(t, &deadline)) {
    (*fn)();
    ++fired;
  }
  return fired;
}

}  // namespace netstack
