// The deadline-ordered queue behind FakeClock and RealClock.
//
// An indexed binary heap over reusable slots: schedule and cancel are
// O(log n) and, once the slot vector has grown to the peak number of pending
// timers, allocate nothing (a fuzz iteration schedules thousands of timers).
// A TimerId packs the slot index with a generation counter, so a stale id
// never cancels a newer timer that reuses the slot.
#pragma once

#include <optional>
#include <vector>

#include "stack/time/clock.h"

namespace netstack {

class TimerQueue {
 public:
  TimerId schedule(Instant deadline, Clock::Callback fn);
  bool cancel(TimerId id);

  std::optional<Instant> next_deadline() const;
  size_t pending() const { return heap_.size(); }
  // Removes the earliest timer if it is due at or before t and returns its
  // callback (not yet run: the caller advances time first, then runs it).
  std::optional<Clock::Callback> pop_due(Instant t, Instant* deadline);

 private:
  struct Slot {
    Instant deadline;
    uint64_t order = 0;  // scheduling sequence, breaks deadline ties
    uint32_t generation = 0;
    uint32_t heap_index = 0;
    Clock::Callback fn;
  };
  bool before(uint32_t a, uint32_t b) const;
  void place(size_t heap_pos, uint32_t slot);
  void sift_up(size_t pos);
  void sift_down(size_t pos);
  void remove_at(size_t pos);

  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
  std::vector<uint32_t> heap_;  // slot indices
  uint64_t next_order_ = 0;
};

}  // namespace netstack
