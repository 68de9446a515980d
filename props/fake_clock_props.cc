// FakeClock against a model: for any interleaving of schedule, cancel and
// advance, timers fire in (deadline, scheduling order), cancelled ones never
// fire, and now() is each timer's deadline while it runs.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>

#include "stack/time/fake_clock.h"

namespace netstack {
namespace {

enum class Op { kSchedule, kCancel, kAdvance };

struct ModelTimer {
  Instant deadline;  // as FakeClock promises to run it: a past deadline means "now"
  size_t order = 0;
  bool cancelled = false;
  bool fired = false;
};

struct Firing {
  size_t timer;
  Instant now;
  bool operator==(const Firing&) const = default;
};

RC_GTEST_PROP(FakeClockProps, TimersFireInDeadlineThenSchedulingOrder, ()) {
  // Small time steps (in ms) so that ties and past deadlines are common.
  const auto ops = *rc::gen::container<std::vector<std::tuple<Op, uint32_t>>>(
      rc::gen::tuple(rc::gen::element(Op::kSchedule, Op::kSchedule, Op::kCancel, Op::kAdvance),
                     rc::gen::inRange<uint32_t>(0, 20)));

  FakeClock clock;
  const Instant start = clock.now();
  Instant model_now = start;
  std::vector<ModelTimer> model;
  std::vector<TimerId> ids;
  std::vector<Firing> fired;

  for (const auto& [op, arg] : ops) {
    switch (op) {
      case Op::kSchedule: {
        // Deadlines from 5 ms before now to 14 ms after.
        const Instant deadline = clock.now() + std::chrono::milliseconds(int64_t{arg} - 5);
        const size_t index = model.size();
        model.push_back({std::max(deadline, model_now), index});
        ids.push_back(clock.schedule(deadline, [&, index] {
          fired.push_back({index, clock.now()});
        }));
        break;
      }
      case Op::kCancel: {
        if (ids.empty()) break;
        const size_t index = arg % ids.size();
        ModelTimer& t = model[index];
        const bool pending = !t.cancelled && !t.fired;
        RC_ASSERT(clock.cancel(ids[index]) == pending);
        t.cancelled = true;
        break;
      }
      case Op::kAdvance: {
        model_now = model_now + std::chrono::milliseconds(arg);
        clock.advance_to(model_now);
        RC_ASSERT(clock.now() == model_now);
        for (ModelTimer& t : model) {
          if (!t.cancelled && t.deadline <= model_now) t.fired = true;
        }
        break;
      }
    }
  }

  std::vector<Firing> expected;
  for (size_t i = 0; i < model.size(); ++i) {
    if (model[i].fired) expected.push_back({i, model[i].deadline});
  }
  std::ranges::sort(expected, [&](const Firing& a, const Firing& b) {
    return std::tie(model[a.timer].deadline, model[a.timer].order) <
           std::tie(model[b.timer].deadline, model[b.timer].order);
  });
  RC_ASSERT(fired == expected);
  size_t still_pending = 0;
  for (const ModelTimer& t : model) still_pending += (!t.cancelled && !t.fired) ? 1 : 0;
  RC_ASSERT(clock.pending_timers() == still_pending);
}

}  // namespace
}  // namespace netstack
