#include "stack/time/real_clock.h"

#include <gtest/gtest.h>

#include <vector>

namespace netstack {
namespace {

TEST(RealClockTest, NowIsMonotonicAndAfterTheStart) {
  RealClock clock;
  Instant previous = clock.now();
  EXPECT_GE(previous, Instant::from_nanos(1000));
  for (int i = 0; i < 1000; ++i) {
    const Instant t = clock.now();
    EXPECT_GE(t, previous);
    previous = t;
  }
}

TEST(RealClockTest, RunDueFiresTimersAlreadyDue) {
  RealClock clock;
  int fired = 0;
  clock.schedule(clock.now(), [&] { ++fired; });
  clock.schedule(Instant::from_nanos(0), [&] { ++fired; });
  EXPECT_EQ(fired, 0) << "nothing runs before run_due()";
  EXPECT_EQ(clock.run_due(), 2u);
  EXPECT_EQ(fired, 2);
  EXPECT_FALSE(clock.next_deadline());
}

TEST(RealClockTest, FutureTimerWaitsAndCanBeCancelled) {
  RealClock clock;
  int fired = 0;
  const Instant deadline = clock.now() + std::chrono::hours(1);
  const TimerId id = clock.schedule(deadline, [&] { ++fired; });
  EXPECT_EQ(clock.run_due(), 0u);
  EXPECT_EQ(clock.next_deadline(), deadline);
  EXPECT_TRUE(clock.cancel(id));
  EXPECT_FALSE(clock.next_deadline());
  EXPECT_EQ(fired, 0);
}

TEST(RealClockTest, DueTimersFireInDeadlineOrder) {
  RealClock clock;
  std::vector<int> fired;
  clock.schedule(Instant::from_nanos(2), [&] { fired.push_back(2); });
  clock.schedule(Instant::from_nanos(1), [&] { fired.push_back(1); });
  clock.run_due();
  EXPECT_EQ(fired, (std::vector<int>{1, 2}));
}

}  // namespace
}  // namespace netstack
