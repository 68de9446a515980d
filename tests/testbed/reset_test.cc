// reset(): the world as built, whatever ran before: the same input gives
// the same trace, line for line; hosts, stacks and peers stay where they
// were, and so do observers and host settings.
#include <gtest/gtest.h>

#include "stack/header/tcp_packet.h"
#include "stack/tcp/allocation_faults.h"
#include "testbed/testbed.h"
#include "tests/testbed/event_log.h"
#include "tests/testbed/two_hosts.h"

namespace tcpfuzz::testbed {
namespace {

using namespace netstack;
using namespace std::chrono_literals;

class NoAllocationFaults final : public tcp::AllocationFaults {
 public:
  bool fail(tcp::AllocationSite) override { return false; }
};

LinkOptions lossy() {
  FaultPlan plan;
  plan.drop_ppm = 20'000;
  plan.reorder_ppm = 20'000;
  plan.delay_ppm = 100'000;
  plan.seed = 9;
  return LinkOptions::faulty(plan);
}

TEST(TestbedReset, TheSameConversationGivesTheSameTraceAfterReset) {
  TwoHosts w(lossy());
  EventLog log;
  w.bed.attach(log);
  w.converse(100'000);
  const std::vector<std::string> fresh = log.lines;
  ASSERT_FALSE(fresh.empty());

  log.lines.clear();
  w.bed.reset();
  w.converse(100'000);
  EXPECT_EQ(log.lines, fresh);
}

TEST(TestbedReset, WhatRanBeforeLeavesNoTrace) {
  TwoHosts reference(lossy());
  EventLog expected;
  reference.bed.attach(expected);
  reference.converse(50'000);

  TwoHosts w(lossy());
  EventLog log;
  w.bed.attach(log);
  // Something else first, stopped half-way: open connections, held and
  // queued packets, pending timers, a changed plan, changed config.
  tcp::Protocol& c = w.bed.host(w.client).tcp();
  tcp::Protocol& s = w.bed.host(w.server).tcp();
  tcp::Endpoint& l = *s.find(s.open(IpAddress::Family::kV4));
  ASSERT_EQ(l.bind(TwoHosts::kServer, 443), 0);
  ASSERT_EQ(l.listen(8), 0);
  for (int i = 0; i < 3; ++i) {
    (void)c.find(c.open(IpAddress::Family::kV4))->connect(TwoHosts::kServer, 443);
  }
  w.bed.run_for(3ms, QueuedPackets::kDeliverFirst);
  w.bed.faults(w.link, End::kA)->set_plan({});
  c.config().sack = false;
  ASSERT_GT(w.bed.clock().pending_timers(), 0u);

  log.lines.clear();
  w.bed.reset();
  EXPECT_EQ(w.bed.clock().pending_timers(), 0u);
  EXPECT_EQ(&w.bed.host(w.client).tcp(), &c) << "the Protocol stays where it was";
  EXPECT_EQ(c.endpoint_count(), 0u);
  EXPECT_TRUE(c.config().sack) << "the built Config is back";
  w.converse(50'000);
  EXPECT_EQ(log.lines, expected.lines);
}

TEST(TestbedReset, HostSettingsAndPeersAreKeptAcrossReset) {
  Testbed bed;
  const HostId h = bed.add_host();
  ScriptedPeer& peer = bed.add_peer({h, *IpAddress::parse("192.0.2.1")});
  NoAllocationFaults never;
  bed.host(h).set_allocation_faults(&never);
  int failures = 0;
  bed.host(h).set_invariant_failure_handler([&](const std::string&) { ++failures; });
  tcp::Endpoint& ep = *bed.host(h).tcp().find(bed.host(h).tcp().open(IpAddress::Family::kV4));
  ASSERT_EQ(ep.connect(*IpAddress::parse("192.0.2.2"), 80), EINPROGRESS);
  bed.pump();
  ASSERT_EQ(peer.pending(), 1u);
  bed.reset();
  EXPECT_EQ(peer.pending(), 0u) << "what the peer had not taken is gone";
  EXPECT_EQ(bed.now(), Instant::from_nanos(1000));
  EXPECT_EQ(bed.host(h).address(), *IpAddress::parse("192.0.2.1"));
  bed.host(h).tcp().report_invariant_failure("test");
  EXPECT_EQ(failures, 1);
  // The peer is wired again: the host's SYN reaches it.
  tcp::Endpoint& again = *bed.host(h).tcp().find(bed.host(h).tcp().open(IpAddress::Family::kV4));
  ASSERT_EQ(again.connect(*IpAddress::parse("192.0.2.2"), 80), EINPROGRESS);
  bed.pump();
  EXPECT_EQ(peer.pending(), 1u);
}

}  // namespace
}  // namespace tcpfuzz::testbed
