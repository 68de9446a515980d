// Bulk transfers between two stacks over a faulty link (fake clock): with
// loss, reordering and duplication, every byte arrives once and in order,
// loss is repaired mostly by fast recovery rather than timeouts, and that
// holds with SACK (RACK) and without it (NewReno), with CUBIC and Reno.
#include <numeric>

#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

struct Outcome {
  bool completed = false;
  bool intact = false;
  TcpStats client;
  TcpInfo info;
};

Outcome bulk(Config config, FaultPlan faults, size_t size = 512 * 1024) {
  TwoStacks t(config, faults);
  Endpoint& listener = *t.server.find(t.server.open(IpAddress::Family::kV4));
  EXPECT_EQ(listener.bind(t.server_address, 80), 0);
  EXPECT_EQ(listener.listen(4), 0);
  Endpoint& client = *t.client.find(t.client.open(IpAddress::Family::kV4));
  EXPECT_EQ(client.connect(t.server_address, 80), EINPROGRESS);
  Outcome o;
  Endpoint* server = nullptr;
  if (!t.run_until([&] {
        if (auto a = listener.accept()) server = t.server.find(*a);
        return server != nullptr;
      })) {
    return o;
  }
  std::vector<uint8_t> sent(size);
  std::iota(sent.begin(), sent.end(), uint8_t{0});
  for (size_t i = 0; i < sent.size(); i += 7) sent[i] ^= static_cast<uint8_t>(i >> 8);
  size_t written = 0;
  std::vector<uint8_t> received;
  std::vector<uint8_t> buf(65536);
  o.completed = t.run_until(
      [&] {
        if (written < sent.size()) {
          auto n = client.write(std::span(sent).subspan(written));
          if (n) written += *n;
        }
        while (true) {
          auto n = server->read(buf);
          if (!n || *n == 0) break;
          received.insert(received.end(), buf.begin(), buf.begin() + static_cast<long>(*n));
        }
        return received.size() == sent.size();
      },
      600s);
  o.intact = received == sent;
  o.client = t.client.stats();
  o.info = client.info();
  return o;
}

FaultPlan lossy(uint64_t seed) {
  FaultPlan p;
  p.drop_ppm = 20000;  // 2 %
  p.reorder_ppm = 20000;
  p.duplicate_ppm = 5000;
  p.delay_ppm = 1000000;  // every packet: a path delay of 0-20 ms
  p.max_delay = std::chrono::milliseconds(20);
  p.seed = seed;
  return p;
}

TEST(LossyTransfer, WithSackEveryByteArrivesAndFastRecoveryDoesMostOfTheRepair) {
  for (const uint64_t seed : {1u, 2u, 3u}) {
    const Outcome o = bulk(Config{}, lossy(seed));
    ASSERT_TRUE(o.completed) << "seed " << seed;
    EXPECT_TRUE(o.intact) << "seed " << seed;
    EXPECT_GT(o.client.fast_recoveries, 0u) << "seed " << seed;
    EXPECT_GT(o.client.retransmits, 0u);
    EXPECT_LT(o.client.timeouts, 1u) << "no connection gave up";
  }
}

TEST(LossyTransfer, WithoutSackNewRenoRepairsTheLoss) {
  Config c;
  c.sack = false;
  const Outcome o = bulk(c, lossy(4));
  ASSERT_TRUE(o.completed);
  EXPECT_TRUE(o.intact);
  EXPECT_FALSE(o.info.sack);
  EXPECT_GT(o.client.fast_recoveries, 0u);
}

TEST(LossyTransfer, RenoAndCubicBothComplete) {
  for (const CongestionAlgorithm a : {CongestionAlgorithm::kReno, CongestionAlgorithm::kCubic}) {
    Config c;
    c.congestion_control = a;
    const Outcome o = bulk(c, lossy(5));
    ASSERT_TRUE(o.completed) << algorithm_name(a);
    EXPECT_TRUE(o.intact) << algorithm_name(a);
  }
}

TEST(LossyTransfer, ReorderingWithoutLossCausesNoTimeoutAndIsLearnt) {
  FaultPlan p;
  p.delay_ppm = 1000000;
  p.max_delay = std::chrono::milliseconds(30);  // heavy reordering, nothing lost
  p.seed = 6;
  const Outcome o = bulk(Config{}, p);
  ASSERT_TRUE(o.completed);
  EXPECT_TRUE(o.intact);
  EXPECT_GT(o.info.reordering, 3u) << "the duplicate threshold grew with the reordering seen";
}

}  // namespace
}  // namespace netstack::tcp::testing
