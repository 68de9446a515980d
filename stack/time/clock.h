// Time as the stack sees it. Nothing in stack/ reads the wall clock: an
// Instant comes from a Clock, and timers are callbacks the Clock runs.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>

namespace netstack {

using Duration = std::chrono::nanoseconds;
using namespace std::chrono_literals;  // NOLINT: 200ms, 60s read best at call sites

// A point on a clock's own timeline (nanoseconds since the clock's start).
class Instant {
 public:
  constexpr Instant() = default;
  static constexpr Instant from_nanos(int64_t ns) { return Instant(Duration(ns)); }
  constexpr Duration since_start() const { return since_start_; }
  constexpr int64_t nanos() const { return since_start_.count(); }

  constexpr auto operator<=>(const Instant&) const = default;
  constexpr Instant operator+(Duration d) const { return Instant(since_start_ + d); }
  constexpr Instant operator-(Duration d) const { return Instant(since_start_ - d); }
  constexpr Duration operator-(Instant o) const { return since_start_ - o.since_start_; }
  constexpr Instant& operator+=(Duration d) {
    since_start_ += d;
    return *this;
  }

 private:
  constexpr explicit Instant(Duration d) : since_start_(d) {}
  Duration since_start_{0};
};

// Identifies a scheduled timer; 0 is never a valid id.
using TimerId = uint64_t;
inline constexpr TimerId kNoTimer = 0;

class Clock {
 public:
  using Callback = std::function<void()>;

  virtual ~Clock() = default;
  virtual Instant now() const = 0;
  // Runs fn once, at or after deadline. Timers fire in deadline order; timers
  // with equal deadlines fire in the order they were scheduled.
  virtual TimerId schedule(Instant deadline, Callback fn) = 0;
  // Returns whether the timer was pending (false if it fired or was cancelled).
  virtual bool cancel(TimerId id) = 0;
};

}  // namespace netstack
