#include "stack/link/faulty_link.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "stack/time/fake_clock.h"
#include "tests/recording_link.h"

namespace netstack {
namespace {

using testing::RecordingLink;

// Packet i carries i in its first byte, then 19 bytes of 0x55.
View numbered_packet(uint8_t i) {
  std::vector<uint8_t> bytes(20, 0x55);
  bytes[0] = i;
  return View::copy_of(bytes);
}

std::vector<uint8_t> numbers(const std::vector<View>& packets) {
  std::vector<uint8_t> out;
  for (const View& p : packets) out.push_back(p.bytes()[0]);
  return out;
}

FaultPlan scripted(std::map<uint64_t, Fault> faults) {
  FaultPlan plan;
  plan.scripted = std::move(faults);
  return plan;
}

class FaultyLinkTest : public ::testing::Test {
 protected:
  void send_numbered(FaultyLink& link, uint8_t from, uint8_t to) {
    for (uint8_t i = from; i < to; ++i) link.send(numbered_packet(i));
  }

  FakeClock clock_;
  RecordingLink inner_{1400};
};

TEST_F(FaultyLinkTest, CleanPlanPassesEverythingThrough) {
  FaultyLink link(inner_, clock_);
  send_numbered(link, 0, 3);
  EXPECT_EQ(numbers(inner_.sent), (std::vector<uint8_t>{0, 1, 2}));
  EXPECT_EQ(link.stats().sent, 3u);
  EXPECT_EQ(link.mtu(), 1400u);
  EXPECT_TRUE(FaultPlan{}.is_clean());
}

TEST_F(FaultyLinkTest, ScriptedDrop) {
  FaultyLink link(inner_, clock_, scripted({{1, Fault{FaultKind::kDrop}}}));
  send_numbered(link, 0, 3);
  EXPECT_EQ(numbers(inner_.sent), (std::vector<uint8_t>{0, 2}));
  EXPECT_EQ(link.stats().dropped, 1u);
  EXPECT_EQ(link.stats().sent, 3u);
}

TEST_F(FaultyLinkTest, ScriptedDuplicate) {
  FaultyLink link(inner_, clock_, scripted({{0, Fault{FaultKind::kDuplicate}}}));
  send_numbered(link, 0, 2);
  EXPECT_EQ(numbers(inner_.sent), (std::vector<uint8_t>{0, 0, 1}));
  EXPECT_EQ(link.stats().duplicated, 1u);
}

TEST_F(FaultyLinkTest, ReorderReleasedByTheNextPacket) {
  FaultyLink link(inner_, clock_, scripted({{0, Fault{FaultKind::kReorder}}}));
  link.send(numbered_packet(0));
  EXPECT_TRUE(inner_.sent.empty());
  EXPECT_EQ(link.in_flight(), 1u);
  link.send(numbered_packet(1));
  EXPECT_EQ(numbers(inner_.sent), (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(link.in_flight(), 0u);
  EXPECT_EQ(link.stats().reordered, 1u);
  EXPECT_EQ(clock_.pending_timers(), 0u) << "the hold timer was cancelled";
}

TEST_F(FaultyLinkTest, ReorderReleasedByHoldTimeout) {
  FaultPlan plan = scripted({{0, Fault{FaultKind::kReorder}}});
  plan.reorder_hold = 10ms;
  FaultyLink link(inner_, clock_, plan);
  link.send(numbered_packet(0));
  clock_.advance(10ms - 1ns);
  EXPECT_TRUE(inner_.sent.empty());
  clock_.advance(1ns);
  EXPECT_EQ(numbers(inner_.sent), std::vector<uint8_t>{0});
  EXPECT_EQ(link.in_flight(), 0u);
  link.send(numbered_packet(1));
  EXPECT_EQ(numbers(inner_.sent), (std::vector<uint8_t>{0, 1})) << "nothing released twice";
}

TEST_F(FaultyLinkTest, SecondReorderReleasesTheFirst) {
  FaultyLink link(inner_, clock_,
                  scripted({{0, Fault{FaultKind::kReorder}}, {1, Fault{FaultKind::kReorder}}}));
  send_numbered(link, 0, 3);
  EXPECT_EQ(numbers(inner_.sent), (std::vector<uint8_t>{0, 2, 1}));
}

TEST_F(FaultyLinkTest, CorruptFlipsExactlyOneByte) {
  FaultyLink link(inner_, clock_, scripted({{0, Fault{FaultKind::kCorrupt, 0ns, 5}}}));
  const View original = numbered_packet(0);
  link.send(original);
  ASSERT_EQ(inner_.sent.size(), 1u);
  const auto sent = inner_.sent[0].bytes();
  const auto kept = original.bytes();
  ASSERT_EQ(sent.size(), kept.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(sent[i], i == 5 ? static_cast<uint8_t>(kept[i] ^ 0xff) : kept[i]) << "byte " << i;
  }
  EXPECT_EQ(link.stats().corrupted, 1u);
}

TEST_F(FaultyLinkTest, CorruptDoesNotTouchTheSendersSharedBuffer) {
  FaultyLink link(inner_, clock_, scripted({{0, Fault{FaultKind::kCorrupt, 0ns, 0}}}));
  const View senders_copy = numbered_packet(0x11);
  link.send(senders_copy);
  EXPECT_EQ(senders_copy.bytes()[0], 0x11);
  EXPECT_TRUE(
      std::ranges::all_of(senders_copy.bytes().subspan(1), [](uint8_t b) { return b == 0x55; }));
  EXPECT_FALSE(inner_.sent[0].shares_storage_with(senders_copy));
  EXPECT_EQ(inner_.sent[0].bytes()[0], 0xee);
}

TEST_F(FaultyLinkTest, CorruptOffsetWrapsModuloLength) {
  FaultyLink link(inner_, clock_, scripted({{0, Fault{FaultKind::kCorrupt, 0ns, 23}}}));
  link.send(numbered_packet(0));
  EXPECT_EQ(inner_.sent[0].bytes()[3], 0x55 ^ 0xff);
}

TEST_F(FaultyLinkTest, DelayReleasedWhenTheClockAdvances) {
  FaultyLink link(inner_, clock_, scripted({{0, Fault{FaultKind::kDelay, 30ms}}}));
  link.send(numbered_packet(0));
  link.send(numbered_packet(1));
  EXPECT_EQ(numbers(inner_.sent), std::vector<uint8_t>{1});
  EXPECT_EQ(link.in_flight(), 1u);
  clock_.advance(30ms - 1ns);
  EXPECT_EQ(numbers(inner_.sent), std::vector<uint8_t>{1});
  clock_.advance(1ns);
  EXPECT_EQ(numbers(inner_.sent), (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(link.in_flight(), 0u);
  EXPECT_EQ(link.stats().delayed, 1u);
}

TEST_F(FaultyLinkTest, DelayedPacketsLeaveInDeadlineOrder) {
  FaultyLink link(
      inner_, clock_,
      scripted({{0, Fault{FaultKind::kDelay, 20ms}}, {1, Fault{FaultKind::kDelay, 5ms}}}));
  send_numbered(link, 0, 2);
  clock_.advance(1s);
  EXPECT_EQ(numbers(inner_.sent), (std::vector<uint8_t>{1, 0}));
}

TEST_F(FaultyLinkTest, DestroyingTheLinkCancelsItsTimers) {
  {
    FaultPlan plan =
        scripted({{0, Fault{FaultKind::kDelay, 5ms}}, {1, Fault{FaultKind::kReorder}}});
    FaultyLink link(inner_, clock_, plan);
    send_numbered(link, 0, 2);
    EXPECT_EQ(clock_.pending_timers(), 2u);
  }
  EXPECT_EQ(clock_.pending_timers(), 0u);
  clock_.advance(1s);  // a dangling callback would be a use-after-free under ASan
  EXPECT_TRUE(inner_.sent.empty());
}

TEST_F(FaultyLinkTest, CertainRandomDropDropsEverything) {
  FaultPlan plan;
  plan.drop_ppm = 1'000'000;
  FaultyLink link(inner_, clock_, plan);
  send_numbered(link, 0, 50);
  EXPECT_TRUE(inner_.sent.empty());
  EXPECT_EQ(link.stats().dropped, 50u);
}

TEST_F(FaultyLinkTest, ScriptedFaultsTakePrecedenceOverRandomOnes) {
  FaultPlan plan = scripted({{1, Fault{FaultKind::kDuplicate}}});
  plan.drop_ppm = 1'000'000;
  FaultyLink link(inner_, clock_, plan);
  send_numbered(link, 0, 3);
  EXPECT_EQ(numbers(inner_.sent), (std::vector<uint8_t>{1, 1}));
}

FaultPlan mixed_random_plan(uint64_t seed) {
  FaultPlan plan;
  plan.seed = seed;
  plan.drop_ppm = 100'000;
  plan.duplicate_ppm = 100'000;
  plan.reorder_ppm = 100'000;
  plan.corrupt_ppm = 100'000;
  plan.delay_ppm = 100'000;
  return plan;
}

std::vector<std::vector<uint8_t>> run_random(uint64_t seed) {
  FakeClock clock;
  RecordingLink inner;
  FaultyLink link(inner, clock, mixed_random_plan(seed));
  for (int i = 0; i < 200; ++i) {
    link.send(numbered_packet(static_cast<uint8_t>(i)));
    clock.advance(1ms);
  }
  clock.advance(1s);
  std::vector<std::vector<uint8_t>> out;
  for (const View& p : inner.sent) out.emplace_back(p.bytes().begin(), p.bytes().end());
  return out;
}

TEST_F(FaultyLinkTest, RandomFaultsReproducibleFromTheSeed) {
  const auto first = run_random(42);
  EXPECT_EQ(run_random(42), first);
  EXPECT_NE(run_random(43), first);
  std::vector<std::vector<uint8_t>> unfaulted;
  for (int i = 0; i < 200; ++i) {
    const View p = numbered_packet(static_cast<uint8_t>(i));
    unfaulted.emplace_back(p.bytes().begin(), p.bytes().end());
  }
  EXPECT_NE(first, unfaulted) << "faults did happen";
}

TEST_F(FaultyLinkTest, SetPlanMidStreamKeepsCountingPackets) {
  FaultyLink link(inner_, clock_);
  send_numbered(link, 0, 2);
  // Indices are absolute: index 2 is the next packet.
  link.set_plan(scripted({{2, Fault{FaultKind::kDrop}}, {0, Fault{FaultKind::kDrop}}}));
  send_numbered(link, 2, 4);
  EXPECT_EQ(numbers(inner_.sent), (std::vector<uint8_t>{0, 1, 3}));
}

TEST_F(FaultyLinkTest, SetPlanReleasesAHeldPacket) {
  FaultyLink link(inner_, clock_, scripted({{0, Fault{FaultKind::kReorder}}}));
  link.send(numbered_packet(0));
  link.set_plan({});
  EXPECT_EQ(numbers(inner_.sent), std::vector<uint8_t>{0});
  EXPECT_EQ(link.in_flight(), 0u);
  EXPECT_EQ(clock_.pending_timers(), 0u);
}

TEST_F(FaultyLinkTest, SetPlanReseedsTheRng) {
  // Same seed from the same point: the same random decisions as a fresh link.
  FaultyLink fresh(inner_, clock_, mixed_random_plan(7));
  send_numbered(fresh, 0, 100);
  const auto from_fresh = numbers(inner_.sent);
  clock_.advance(1s);

  RecordingLink other;
  FaultyLink switched(other, clock_, mixed_random_plan(99));
  send_numbered(switched, 0, 100);
  clock_.advance(1s);
  switched.set_plan(mixed_random_plan(7));
  other.sent.clear();
  send_numbered(switched, 0, 100);
  EXPECT_EQ(numbers(other.sent), from_fresh);
}

}  // namespace
}  // namespace netstack
