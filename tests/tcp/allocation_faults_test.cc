// Memory pressure: each allocation site's failure takes Linux's error path
// and the protocol recovers once memory is back.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

std::vector<uint8_t> bytes(size_t n) {
  return std::vector<uint8_t>(n, 0x5a);
}

// Fails the next `count` allocations at one site, then none.
class FailNext final : public AllocationFaults {
 public:
  void arm(AllocationSite site, int count = 1) {
    site_ = site;
    left_ = count;
  }
  bool fail(AllocationSite site) override {
    if (site != site_ || left_ == 0) return false;
    --left_;
    return true;
  }
  int left() const { return left_; }

 private:
  AllocationSite site_ = AllocationSite::kRequestSock;
  int left_ = 0;
};

struct UnderPressure : EstablishedFixture {
  FailNext faults;
  UnderPressure() { syn_options.sack_permitted = true; }
  void SetUp() override {
    EstablishedFixture::SetUp();
    h.tcp.set_allocation_faults(&faults);
  }
};

TEST(AllocationFaults, NoRequestSockDropsTheSynAndItsRetransmissionSucceeds) {
  PeerHarness h;
  FailNext faults;
  h.tcp.set_allocation_faults(&faults);
  h.listen();
  faults.arm(AllocationSite::kRequestSock);
  h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
  h.out_nothing();
  EXPECT_EQ(h.tcp.stats().allocation_failures, 1u);
  EXPECT_EQ(h.tcp.stats().passive_opens, 0u);
  h.in(Seg{.flags = kSyn, .seq = 1000, .options = {.mss = 1460}});
  const Seg syn_ack = h.out();
  EXPECT_EQ(syn_ack.flags, kSyn | kAck);
  EXPECT_EQ(syn_ack.ack, 1001u);
}

TEST_F(UnderPressure, NoReceiveMemoryDropsTheSegmentAndAcksAtOnce) {
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1, .payload = bytes(100)});
  EXPECT_EQ(h.out().ack, 1101u);
  faults.arm(AllocationSite::kReceiveQueue);
  h.in(Seg{.flags = kAck | kFin, .seq = 1101, .ack = iss + 1, .payload = bytes(100)});
  // Dropped, FIN included: the ACK still says 1101.
  const Seg ack = h.out();
  EXPECT_EQ(ack.ack, 1101u);
  EXPECT_EQ(ep->info().readable_bytes, 100u);
  EXPECT_EQ(ep->state(), State::kEstablished);
  // The retransmission gets in (its ACK may wait: Linux delays the ACK of
  // a FIN in ESTABLISHED).
  h.in(Seg{.flags = kAck | kFin, .seq = 1101, .ack = iss + 1, .payload = bytes(100)});
  EXPECT_EQ(ep->info().readable_bytes, 200u);
  EXPECT_EQ(ep->state(), State::kCloseWait);
  h.advance(200ms);
  EXPECT_EQ(h.out().ack, 1202u);
}

TEST_F(UnderPressure, AnEmptyReceiveQueueAlwaysTakesTheData) {
  // Linux forces the memory charge when nothing is queued: no drop, so a
  // reader that consumed everything can never be starved.
  faults.arm(AllocationSite::kReceiveQueue);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1, .payload = bytes(100)});
  EXPECT_EQ(h.out().ack, 1101u);
  EXPECT_EQ(faults.left(), 1);
  EXPECT_EQ(h.tcp.stats().allocation_failures, 0u);
}

TEST_F(UnderPressure, NoOutOfOrderMemoryDropsTheSegmentSilently) {
  faults.arm(AllocationSite::kOutOfOrder);
  h.in(Seg{.flags = kAck, .seq = 1201, .ack = iss + 1, .payload = bytes(100)});
  h.out_nothing();
  EXPECT_EQ(h.tcp.stats().reassembly_dropped, 1u);
  h.in(Seg{.flags = kAck, .seq = 1201, .ack = iss + 1, .payload = bytes(100)});
  EXPECT_EQ(h.out().options.sack_block_count, 1);
}

TEST_F(UnderPressure, NoSendMemoryMakesWriteSayEagain) {
  faults.arm(AllocationSite::kSendBuffer);
  const std::vector<uint8_t> data = bytes(100);
  EXPECT_EQ(ep->write(data).error(), EAGAIN);
  h.out_nothing();
  ASSERT_TRUE(ep->write(data).has_value());
  EXPECT_EQ(h.out().payload.size(), 100u);
}

TEST_F(UnderPressure, AnUnsentDataSegmentGoesOutOnTheRetransmissionTimer) {
  faults.arm(AllocationSite::kOutputSegment);
  ASSERT_TRUE(ep->write(bytes(100)).has_value());
  h.out_nothing();
  EXPECT_EQ(ep->info().snd_nxt - ep->info().snd_una, 100u);  // in flight all the same
  h.advance(1100ms);
  const Seg again = h.out();
  EXPECT_EQ(again.seq, iss + 1);
  EXPECT_EQ(again.payload.size(), 100u);
}

TEST_F(UnderPressure, AnUnsentAckIsRetriedByTheDelayedAckTimer) {
  faults.arm(AllocationSite::kOutputSegment);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 1, .payload = bytes(100)});
  h.out_nothing();
  h.advance(199ms);
  h.out_nothing();
  h.advance(1ms);
  EXPECT_EQ(h.out().ack, 1101u);
}

}  // namespace
}  // namespace netstack::tcp::testing
