#include "stack/time/fake_clock.h"

#include <utility>

namespace netstack {

TimerId FakeClock::schedule(Instant deadline, Callback fn) {
  // A deadline in the past fires on the next advance, never re-entrantly.
  return timers_.schedule(deadline < now_ ? now_ : deadline, std::move(fn));
}

size_t FakeClock::advance_to(Instant t) {
  size_t fired = 0;
  Instant deadline;
  while (auto fn = timers_.pop_due(t, &deadline)) {
    now_ = deadline;
    (*fn)();
    ++fired;
  }
  if (now_ < t) now_ = t;
  return fired;
}

bool FakeClock::run_next() {
  const auto next = timers_.next_deadline();
  if (!next) return false;
  advance_to(*next);
  return true;
}

}  // namespace netstack
