#include "stack/link/loopback_link.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tests/recording_link.h"

namespace netstack {
namespace {

using testing::RecordingReceiver;
using Side = LoopbackLink::Side;

View packet_of(uint8_t tag) {
  return View::copy_of(std::vector<uint8_t>{tag});
}

std::vector<uint8_t> tags(const std::vector<View>& packets) {
  std::vector<uint8_t> out;
  for (const View& p : packets) out.push_back(p.bytes()[0]);
  return out;
}

TEST(LoopbackLinkTest, SendOnlyEnqueues) {
  LoopbackLink wire;
  RecordingReceiver b;
  wire.attach(Side::kB, &b);
  wire.side(Side::kA).send(packet_of(1));
  EXPECT_TRUE(b.received.empty());
  EXPECT_EQ(wire.queued(), 1u);
  EXPECT_EQ(wire.pump(), 1u);
  EXPECT_EQ(tags(b.received), std::vector<uint8_t>{1});
  EXPECT_EQ(wire.queued(), 0u);
  EXPECT_EQ(wire.delivered(), 1u);
}

TEST(LoopbackLinkTest, DeliversWithoutCopying) {
  LoopbackLink wire;
  RecordingReceiver b;
  wire.attach(Side::kB, &b);
  const View sent = packet_of(1);
  wire.side(Side::kA).send(sent);
  wire.pump();
  ASSERT_EQ(b.received.size(), 1u);
  EXPECT_TRUE(b.received[0].shares_storage_with(sent));
}

TEST(LoopbackLinkTest, BothDirectionsInSendOrder) {
  LoopbackLink wire;
  RecordingReceiver a;
  RecordingReceiver b;
  wire.attach(Side::kA, &a);
  wire.attach(Side::kB, &b);
  wire.side(Side::kA).send(packet_of(1));
  wire.side(Side::kB).send(packet_of(2));
  wire.side(Side::kA).send(packet_of(3));
  EXPECT_EQ(wire.pump(), 3u);
  EXPECT_EQ(tags(b.received), (std::vector<uint8_t>{1, 3}));
  EXPECT_EQ(tags(a.received), std::vector<uint8_t>{2});
}

// Answers every packet it receives from side B, up to a limit.
class Echo final : public PacketReceiver {
 public:
  Echo(Link& out, int limit) : out_(out), limit_(limit) {}
  void receive(View packet) override {
    if (limit_-- > 0) out_.send(std::move(packet));
  }

 private:
  Link& out_;
  int limit_;
};

TEST(LoopbackLinkTest, PumpDeliversPacketsSentWhileItRuns) {
  LoopbackLink wire;
  Echo echo(wire.side(Side::kB), 1);
  RecordingReceiver a;
  wire.attach(Side::kA, &a);
  wire.attach(Side::kB, &echo);
  wire.side(Side::kA).send(packet_of(7));
  EXPECT_EQ(wire.pump(), 2u);
  EXPECT_EQ(tags(a.received), std::vector<uint8_t>{7});
}

TEST(LoopbackLinkTest, PumpStopsAtMaxPackets) {
  LoopbackLink wire;
  RecordingReceiver b;
  wire.attach(Side::kB, &b);
  for (uint8_t i = 0; i < 5; ++i) wire.side(Side::kA).send(packet_of(i));
  EXPECT_EQ(wire.pump(2), 2u);
  EXPECT_EQ(tags(b.received), (std::vector<uint8_t>{0, 1}));
  EXPECT_EQ(wire.queued(), 3u);
  EXPECT_EQ(wire.pump(), 3u);
  EXPECT_EQ(b.received.size(), 5u);
}

TEST(LoopbackLinkTest, UnattachedSideDropsAndCounts) {
  LoopbackLink wire;
  wire.side(Side::kA).send(packet_of(1));
  EXPECT_EQ(wire.pump(), 1u);
  EXPECT_EQ(wire.dropped_unattached(), 1u);
  EXPECT_EQ(wire.delivered(), 0u);
}

TEST(LoopbackLinkTest, MtuOnBothSides) {
  LoopbackLink wire(9000);
  EXPECT_EQ(wire.side(Side::kA).mtu(), 9000u);
  EXPECT_EQ(wire.side(Side::kB).mtu(), 9000u);
  EXPECT_EQ(LoopbackLink().side(Side::kA).mtu(), 1500u);
}

}  // namespace
}  // namespace netstack
