#include "stack/time/fake_clock.h"

#include <gtest/gtest.h>

#include <vector>

namespace netstack {
namespace {

Instant at_ms(int64_t ms) {
  return Instant::from_nanos(ms * 1'000'000);
}

TEST(FakeClockTest, StartsAtOneMicrosecond) {
  EXPECT_EQ(FakeClock().now(), Instant::from_nanos(1000));
  EXPECT_EQ(FakeClock(at_ms(5)).now(), at_ms(5));
}

TEST(FakeClockTest, TimeMovesOnlyWhenAdvanced) {
  FakeClock clock(at_ms(0));
  EXPECT_EQ(clock.now(), at_ms(0));
  EXPECT_EQ(clock.advance(3ms), 0u);
  EXPECT_EQ(clock.now(), at_ms(3));
  clock.advance_to(at_ms(10));
  EXPECT_EQ(clock.now(), at_ms(10));
  clock.advance_to(at_ms(4));  // never backwards
  EXPECT_EQ(clock.now(), at_ms(10));
}

TEST(FakeClockTest, FiresInDeadlineThenSchedulingOrder) {
  FakeClock clock(at_ms(0));
  std::vector<int> fired;
  clock.schedule(at_ms(30), [&] { fired.push_back(30); });
  clock.schedule(at_ms(10), [&] { fired.push_back(10); });
  clock.schedule(at_ms(20), [&] { fired.push_back(21); });
  clock.schedule(at_ms(20), [&] { fired.push_back(22); });
  clock.schedule(at_ms(20), [&] { fired.push_back(23); });
  EXPECT_EQ(clock.advance(100ms), 5u);
  EXPECT_EQ(fired, (std::vector<int>{10, 21, 22, 23, 30}));
}

TEST(FakeClockTest, OnlyDueTimersFire) {
  FakeClock clock(at_ms(0));
  int fired = 0;
  clock.schedule(at_ms(10), [&] { ++fired; });
  EXPECT_EQ(clock.advance_to(at_ms(10) - 1ns), 0u);
  EXPECT_EQ(fired, 0);
  EXPECT_EQ(clock.advance(1ns), 1u);
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(clock.pending_timers(), 0u);
}

TEST(FakeClockTest, NowIsTheDeadlineInsideTheCallback) {
  FakeClock clock(at_ms(0));
  std::vector<Instant> seen;
  clock.schedule(at_ms(7), [&] { seen.push_back(clock.now()); });
  clock.schedule(at_ms(12), [&] { seen.push_back(clock.now()); });
  clock.advance(1s);
  EXPECT_EQ(seen, (std::vector<Instant>{at_ms(7), at_ms(12)}));
  EXPECT_EQ(clock.now(), at_ms(1000));
}

TEST(FakeClockTest, CancelledTimerNeverFires) {
  FakeClock clock(at_ms(0));
  int fired = 0;
  const TimerId id = clock.schedule(at_ms(5), [&] { ++fired; });
  EXPECT_TRUE(clock.cancel(id));
  EXPECT_FALSE(clock.cancel(id)) << "already cancelled";
  clock.advance(10ms);
  EXPECT_EQ(fired, 0);
}

TEST(FakeClockTest, CancelAfterFiringReturnsFalse) {
  FakeClock clock(at_ms(0));
  const TimerId id = clock.schedule(at_ms(5), [] {});
  clock.advance(5ms);
  EXPECT_FALSE(clock.cancel(id));
  EXPECT_FALSE(clock.cancel(kNoTimer));
}

TEST(FakeClockTest, StaleIdDoesNotCancelATimerReusingItsSlot) {
  FakeClock clock(at_ms(0));
  const TimerId old_id = clock.schedule(at_ms(5), [] {});
  ASSERT_TRUE(clock.cancel(old_id));
  int fired = 0;
  const TimerId new_id = clock.schedule(at_ms(5), [&] { ++fired; });
  EXPECT_NE(new_id, old_id);
  EXPECT_FALSE(clock.cancel(old_id));
  clock.advance(5ms);
  EXPECT_EQ(fired, 1);
}

TEST(FakeClockTest, TimerScheduledByATimerFiresInTheSameAdvanceIfDue) {
  FakeClock clock(at_ms(0));
  std::vector<Instant> seen;
  clock.schedule(at_ms(5), [&] {
    clock.schedule(clock.now() + 5ms, [&] { seen.push_back(clock.now()); });
    clock.schedule(clock.now() + 50ms, [&] { seen.push_back(clock.now()); });
  });
  EXPECT_EQ(clock.advance(20ms), 2u);
  EXPECT_EQ(seen, (std::vector<Instant>{at_ms(10)}));
  EXPECT_EQ(clock.pending_timers(), 1u);
}

TEST(FakeClockTest, PastDeadlineFiresOnNextAdvanceNotInline) {
  FakeClock clock(at_ms(100));
  int fired = 0;
  clock.schedule(at_ms(1), [&] { ++fired; });
  EXPECT_EQ(fired, 0);
  EXPECT_EQ(clock.next_deadline(), at_ms(100)) << "clamped to now";
  clock.advance(0ns);
  EXPECT_EQ(fired, 1);
}

TEST(FakeClockTest, ATimerMayCancelALaterOne) {
  FakeClock clock(at_ms(0));
  int later_fired = 0;
  const TimerId later = clock.schedule(at_ms(10), [&] { ++later_fired; });
  clock.schedule(at_ms(5), [&] { EXPECT_TRUE(clock.cancel(later)); });
  clock.advance(20ms);
  EXPECT_EQ(later_fired, 0);
}

TEST(FakeClockTest, RunNextJumpsToTheNextDeadline) {
  FakeClock clock(at_ms(0));
  EXPECT_FALSE(clock.run_next());
  int fired = 0;
  clock.schedule(at_ms(40), [&] { ++fired; });
  clock.schedule(at_ms(40), [&] { ++fired; });
  clock.schedule(at_ms(90), [&] { ++fired; });
  EXPECT_EQ(clock.next_deadline(), at_ms(40));
  EXPECT_TRUE(clock.run_next());
  EXPECT_EQ(clock.now(), at_ms(40));
  EXPECT_EQ(fired, 2);
  EXPECT_EQ(clock.next_deadline(), at_ms(90));
  EXPECT_EQ(clock.pending_timers(), 1u);
}

TEST(FakeClockTest, ManyTimersWithCancellationsKeepOrder) {
  // Exercises the heap's sift paths: deadlines 99..0 ms scheduled in reverse,
  // every third cancelled.
  FakeClock clock(at_ms(0));
  std::vector<int64_t> fired;
  std::vector<TimerId> ids;
  for (int64_t ms = 99; ms >= 0; --ms) {
    ids.push_back(clock.schedule(at_ms(ms), [&, ms] { fired.push_back(ms); }));
  }
  std::vector<int64_t> expected;
  for (int64_t ms = 0; ms < 100; ++ms) {
    const size_t index = static_cast<size_t>(99 - ms);
    if (ms % 3 == 0) {
      EXPECT_TRUE(clock.cancel(ids[index]));
    } else {
      expected.push_back(ms);
    }
  }
  clock.advance(1s);
  EXPECT_EQ(fired, expected);
}

}  // namespace
}  // namespace netstack
