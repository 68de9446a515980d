#include "stack/link/link_adapters.h"

#include <gtest/gtest.h>

#include <vector>

#include "stack/link/faulty_link.h"
#include "stack/time/fake_clock.h"
#include "tests/recording_link.h"

namespace netstack {
namespace {

View packet_of(uint8_t byte) {
  return View::copy_of(std::vector<uint8_t>{byte});
}

TEST(LinkAdapters, FaultyLinkOnTheInboundPath) {
  FakeClock clock;
  testing::RecordingReceiver nic;
  ReceiverLink to_nic(nic, 1400);
  FaultPlan plan;
  plan.scripted[1] = Fault{FaultKind::kDrop};
  FaultyLink faults(to_nic, clock, plan);
  LinkReceiver from_wire(faults);
  EXPECT_EQ(faults.mtu(), 1400u);
  for (uint8_t i = 0; i < 3; ++i) from_wire.receive(packet_of(i));
  ASSERT_EQ(nic.received.size(), 2u) << "the second packet was dropped on its way in";
  EXPECT_EQ(nic.received[0].bytes()[0], 0);
  EXPECT_EQ(nic.received[1].bytes()[0], 2);
}

TEST(LinkAdapters, LinkReceiverForwardsToALink) {
  testing::RecordingLink out;
  LinkReceiver forward(out);
  forward.receive(packet_of(7));
  ASSERT_EQ(out.sent.size(), 1u);
  EXPECT_EQ(out.sent[0].bytes()[0], 7);
}

}  // namespace
}  // namespace netstack
