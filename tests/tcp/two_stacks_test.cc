// Two stacks end to end: integrity of a bulk transfer, close from both
// sides, and nothing left behind after 2*MSL.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

TEST(TwoStacks, BulkTransferArrivesIntactAndEverythingIsCleanedUp) {
  TwoStacks t;
  Endpoint& listener = *t.server.find(t.server.open(IpAddress::Family::kV4));
  ASSERT_EQ(listener.bind(t.server_address, 80), 0);
  ASSERT_EQ(listener.listen(4), 0);
  Endpoint& client = *t.client.find(t.client.open(IpAddress::Family::kV4));
  ASSERT_EQ(client.connect(t.server_address, 80), EINPROGRESS);
  ASSERT_TRUE(t.run_until([&] { return client.state() == State::kEstablished; }));
  auto accepted = listener.accept();
  ASSERT_TRUE(accepted.has_value());
  Endpoint& server = *t.server.find(*accepted);

  std::vector<uint8_t> sent(1 << 20);
  for (size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<uint8_t>(i * 7 + i / 251);
  size_t written = 0;
  std::vector<uint8_t> received;
  std::vector<uint8_t> buf(65536);
  ASSERT_TRUE(t.run_until(
      [&] {
        if (written < sent.size()) {
          auto n = client.write(std::span(sent).subspan(written));
          if (n) written += *n;
        }
        while (true) {
          auto n = server.read(buf);
          if (!n || *n == 0) break;
          received.insert(received.end(), buf.begin(), buf.begin() + static_cast<long>(*n));
        }
        return received.size() == sent.size();
      },
      120s));
  EXPECT_EQ(received, sent);

  client.close();
  ASSERT_TRUE(t.run_until([&] { return server.state() == State::kCloseWait; }));
  EXPECT_EQ(server.read(buf).value(), 0u);
  server.close();
  ASSERT_TRUE(t.run_until([&] { return client.state() == State::kTimeWait; }));
  listener.close();
  t.settle(61s);
  t.client.reap();
  t.server.reap();
  EXPECT_EQ(t.client.endpoint_count(), 0u);
  EXPECT_EQ(t.server.endpoint_count(), 0u);
  EXPECT_EQ(t.clock.pending_timers(), 0u);
  EXPECT_EQ(t.client_stack.tcp_demuxer().connection_count(), 0u);
}

}  // namespace
}  // namespace netstack::tcp::testing
