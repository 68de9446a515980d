// Fault plans per direction: each end's plan applies to what that end
// sends and to nothing else; LinkOptions::faulty is the symmetric one.
#include <gtest/gtest.h>

#include "testbed/testbed.h"
#include "tests/testbed/event_log.h"
#include "tests/testbed/peer_packets.h"
#include "tests/testbed/two_hosts.h"

namespace tcpfuzz::testbed {
namespace {

using namespace netstack;
using namespace std::chrono_literals;

FaultPlan drop_everything() {
  FaultPlan p;
  p.drop_ppm = 1'000'000;
  return p;
}

View rst_to_host() {
  return peer_segment(header::tcp_flag::kRst);
}

TEST(TestbedFaults, APlanOnThePeersSideDropsOnlyWhatThePeerSends) {
  Testbed bed;
  const HostId h = bed.add_host();
  ScriptedPeer& peer = bed.add_peer(
      {h, kHost}, {.mtu = 1500, .faults_from_a = std::nullopt, .faults_from_b = drop_everything()});
  EventLog log;
  bed.attach(log);
  EXPECT_EQ(bed.faults(peer.link(), End::kA), nullptr);
  ASSERT_NE(bed.faults(peer.link(), End::kB), nullptr);

  peer.send(rst_to_host());
  bed.pump();
  EXPECT_EQ(log.count("in"), 0u) << "dropped on the way in";
  EXPECT_EQ(bed.faults(peer.link(), End::kB)->stats().dropped, 1u);

  tcp::Endpoint& ep = *bed.host(h).tcp().find(bed.host(h).tcp().open(IpAddress::Family::kV4));
  ASSERT_EQ(ep.connect(kPeer, 80), EINPROGRESS);
  bed.pump();
  EXPECT_TRUE(peer.take().has_value()) << "the host's SYN goes out untouched";
}

TEST(TestbedFaults, APlanOnTheHostsSideDropsOnlyWhatTheHostSends) {
  Testbed bed;
  const HostId h = bed.add_host();
  ScriptedPeer& peer = bed.add_peer(
      {h, kHost}, {.mtu = 1500, .faults_from_a = drop_everything(), .faults_from_b = std::nullopt});
  EventLog log;
  bed.attach(log);
  peer.send(rst_to_host());
  bed.pump();
  EXPECT_EQ(log.count("in"), 1u) << "the peer's RST arrives";
  tcp::Endpoint& ep = *bed.host(h).tcp().find(bed.host(h).tcp().open(IpAddress::Family::kV4));
  ASSERT_EQ(ep.connect(kPeer, 80), EINPROGRESS);
  bed.pump();
  EXPECT_FALSE(peer.take().has_value());
  EXPECT_EQ(log.count("out"), 1u) << "the stack sent its SYN; the link lost it";
  EXPECT_EQ(bed.faults(peer.link(), End::kA)->stats().dropped, 1u);
}

TEST(TestbedFaults, FaultyIsTheSamePlanBothWaysWithTheSeedOneApart) {
  FaultPlan plan;
  plan.drop_ppm = 20'000;
  plan.seed = 41;
  const LinkOptions o = LinkOptions::faulty(plan, 9000);
  EXPECT_EQ(o.mtu, 9000u);
  ASSERT_TRUE(o.faults_from_a && o.faults_from_b);
  EXPECT_EQ(o.faults_from_a->seed, 41u);
  EXPECT_EQ(o.faults_from_b->seed, 42u);
  EXPECT_EQ(o.faults_from_b->drop_ppm, 20'000u);
  EXPECT_EQ(plan.seed, 41u) << "the caller's plan is not touched";
}

TEST(TestbedFaults, ALossyLinkBetweenTwoHostsStillCarriesEveryByte) {
  FaultPlan plan;
  plan.drop_ppm = 30'000;
  plan.reorder_ppm = 30'000;
  plan.seed = 3;
  TwoHosts w(LinkOptions::faulty(plan));
  EXPECT_EQ(w.converse(200'000), 200'000u);
  EXPECT_GT(w.bed.faults(w.link, End::kA)->stats().dropped, 0u);
  EXPECT_GT(w.bed.faults(w.link, End::kB)->stats().dropped, 0u);
  EXPECT_EQ(w.bed.link(w.link).in_flight(), 0u);
}

TEST(TestbedFaults, APlanChangedWhileRunningIsBackToTheBuiltOneAfterReset) {
  Testbed bed;
  const HostId h = bed.add_host();
  ScriptedPeer& peer = bed.add_peer(
      {h, kHost}, {.mtu = 1500, .faults_from_a = std::nullopt, .faults_from_b = drop_everything()});
  bed.faults(peer.link(), End::kB)->set_plan({});
  peer.send(rst_to_host());
  bed.pump();
  EXPECT_EQ(bed.faults(peer.link(), End::kB)->stats().dropped, 0u);
  bed.reset();
  peer.send(rst_to_host());
  bed.pump();
  EXPECT_EQ(bed.faults(peer.link(), End::kB)->stats().dropped, 1u);
}

}  // namespace
}  // namespace tcpfuzz::testbed
