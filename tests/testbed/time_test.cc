// The testbed's time: run_for and run_to jump from timer deadline to timer
// deadline and pump between, run_until stops when its predicate holds or at
// its deadline, and fixed steps are there when asked for.
#include <gtest/gtest.h>

#include <algorithm>

#include "testbed/testbed.h"
#include "tests/testbed/event_log.h"
#include "tests/testbed/peer_packets.h"

namespace tcpfuzz::testbed {
namespace {

using namespace netstack;
using namespace std::chrono_literals;

View syn_to_host() {
  return peer_segment(header::tcp_flag::kSyn);
}

std::vector<int64_t> clock_moves(const EventLog& log) {
  std::vector<int64_t> at;
  for (const std::string& l : log.lines) {
    if (l.ends_with(" clock ")) at.push_back(std::stoll(l));
  }
  return at;
}

TEST(TestbedTime, ClockStartsWhereTheOptionsSay) {
  Testbed bed({.start = Instant::from_nanos(5'000'000)});
  EXPECT_EQ(bed.now(), Instant::from_nanos(5'000'000));
  Testbed fresh;
  EXPECT_EQ(fresh.now(), Instant::from_nanos(1000));
}

TEST(TestbedTime, RunForStopsAtEveryTimerDeadlineThenAtTheEnd) {
  Testbed bed;
  EventLog log;
  bed.attach(log);
  const Instant start = bed.now();
  int fired = 0;
  bed.clock().schedule(start + 10ms, [&] { ++fired; });
  bed.clock().schedule(start + 25ms, [&] { ++fired; });
  bed.clock().schedule(start + 250ms, [&] { ++fired; });  // beyond the run
  bed.run_for(100ms, QueuedPackets::kDeliverFirst);
  EXPECT_EQ(fired, 2);
  EXPECT_EQ(bed.now(), start + 100ms);
  EXPECT_EQ(clock_moves(log), (std::vector<int64_t>{(start + 10ms).nanos(), (start + 25ms).nanos(),
                                                    (start + 100ms).nanos()}));
}

TEST(TestbedTime, WhatATimerSendsIsDeliveredAtTheTimersInstant) {
  Testbed bed;
  const HostId h = bed.add_host();
  ScriptedPeer& peer = bed.add_peer({h, kHost});
  EventLog log;
  bed.attach(log);
  tcp::Endpoint& ep = *bed.host(h).tcp().find(bed.host(h).tcp().open(IpAddress::Family::kV4));
  ASSERT_EQ(ep.connect(kPeer, 80), EINPROGRESS);
  bed.pump();
  ASSERT_TRUE(peer.take().has_value()) << "the SYN";
  // Unanswered, the SYN is sent again when the retransmission timer fires
  // (1 s): the peer has it at that instant, not at a step boundary.
  const Instant sent = bed.now();
  std::optional<Instant> got;
  bed.run_until(
      [&] {
        if (peer.pending() > 0 && !got) got = bed.now();
        return got.has_value();
      },
      5s);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got - sent, Duration(1s));
  EXPECT_EQ(log.count("timer"), 1u);
}

TEST(TestbedTime, RunUntilReturnsFalseAtItsDeadlineWhenNothingHolds) {
  Testbed bed;
  const Instant start = bed.now();
  int steps = 0;
  EXPECT_FALSE(bed.run_until(
      [&] {
        ++steps;
        return false;
      },
      3s));
  EXPECT_EQ(bed.now(), start + 3s);
  EXPECT_EQ(steps, 2) << "no timers: once at the start, once at the deadline";
}

TEST(TestbedTime, RunUntilStopsAtTheFirstTimerThatMakesItHold) {
  Testbed bed;
  const Instant start = bed.now();
  bool flag = false;
  bed.clock().schedule(start + 70ms, [&] { flag = true; });
  bed.clock().schedule(start + 90ms, [] {});
  EXPECT_TRUE(bed.run_until([&] { return flag; }, start + 1s));
  EXPECT_EQ(bed.now(), start + 70ms);
  EXPECT_EQ(bed.clock().pending_timers(), 1u);
}

TEST(TestbedTime, WhatThePredicateSendsLeavesBeforeTimeMovesOn) {
  Testbed bed;
  const HostId h = bed.add_host();
  ScriptedPeer& peer = bed.add_peer({h, kHost});
  const Instant start = bed.now();
  bed.clock().schedule(start + 1s, [] {});
  bool connected = false;
  EXPECT_TRUE(bed.run_until(
      [&] {
        if (!connected) {
          tcp::Protocol& tcp = bed.host(h).tcp();
          connected = tcp.find(tcp.open(IpAddress::Family::kV4))->connect(kPeer, 80) == EINPROGRESS;
        }
        return peer.pending() > 0;
      },
      5s));
  EXPECT_EQ(bed.now(), start) << "the SYN was delivered at once, not after the next timer";
}

TEST(TestbedTime, QueuedPacketsLeaveBeforeOrAfterTheFirstMoveAsAsked) {
  for (const QueuedPackets queued :
       {QueuedPackets::kDeliverFirst, QueuedPackets::kDeliverAfterFirstMove}) {
    const bool first = queued == QueuedPackets::kDeliverFirst;
    Testbed bed;
    const HostId h = bed.add_host();
    ScriptedPeer& peer = bed.add_peer({h, kHost});
    EventLog log;
    bed.attach(log);
    const Instant start = bed.now();
    bed.clock().schedule(start + 5ms, [] {});
    peer.send(syn_to_host());  // on the wire, not yet pumped
    int steps = 0;
    bed.run_for(10ms, queued, [&] { ++steps; });
    ASSERT_EQ(log.count("in"), 1u);
    const auto in = std::ranges::find_if(
        log.lines, [](const std::string& l) { return l.find(" in ") == l.find(' '); });
    const Instant arrived = Instant::from_nanos(std::stoll(*in));
    EXPECT_EQ(arrived, first ? start : start + 5ms) << (first ? "first" : "after the move");
    EXPECT_EQ(steps, first ? 3 : 2) << "a step after the first pump, then after each move";
  }
}

TEST(TestbedTime, FixedSteppingMovesInStepsOfTheGivenLength) {
  Testbed bed;
  const Instant start = bed.now();
  bool flag = false;
  bed.clock().schedule(start + 2500us, [&] { flag = true; });
  EXPECT_TRUE(bed.run_until([&] { return flag; }, 1s, Stepping::every(1ms)));
  EXPECT_EQ(bed.now(), start + 3ms) << "the timer fired inside the third step";
}

TEST(TestbedTime, RunToCallsTheStepHookAfterEveryClockMove) {
  Testbed bed;
  const Instant start = bed.now();
  bed.clock().schedule(start + 1ms, [] {});
  bed.clock().schedule(start + 2ms, [] {});
  std::vector<Instant> hooks;
  bed.run_to(start + 5ms, QueuedPackets::kDeliverAfterFirstMove,
             [&] { hooks.push_back(bed.now()); });
  EXPECT_EQ(hooks, (std::vector<Instant>{start + 1ms, start + 2ms, start + 5ms}));
}

TEST(TestbedTime, PumpDeliversWhatThePeerSentAndWhatItProvoked) {
  Testbed bed;
  const HostId h = bed.add_host();
  ScriptedPeer& peer = bed.add_peer({h, kHost});
  peer.send(syn_to_host());
  EXPECT_EQ(bed.pump(), 2u) << "the SYN in, the RST (nothing listens) out";
  auto rst = peer.take();
  ASSERT_TRUE(rst.has_value());
  EXPECT_FALSE(peer.take().has_value());
  EXPECT_EQ(bed.host(h).tcp().stats().resets_sent, 1u);
}

}  // namespace
}  // namespace tcpfuzz::testbed
