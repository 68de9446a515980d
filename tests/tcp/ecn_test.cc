// RFC 3168 ECN as Linux's classic ECN does it (stack/tcp/ecn.cc): the
// handshake's negotiation under net.ipv4.tcp_ecn, ECT(0) on new data, and
// the sender's reaction to an echoed mark (CWR state, CWR flag once).
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

constexpr uint8_t kNotEct = 0;
constexpr uint8_t kEct0 = 2;

TEST(Ecn, DefaultTwoAnswersAnEcnSetupSynWithEceAlone) {
  PeerHarness h;  // Config::ecn = 2, Linux's default
  h.listen();
  h.in(Seg{.flags = kSyn | kEce | kCwr, .seq = 1000, .options = {.mss = 1460}});
  EXPECT_EQ(h.out().flags, kSyn | kAck | kEce);
}

TEST(Ecn, ZeroAnswersWithoutEce) {
  Config c;
  c.ecn = 0;
  PeerHarness h(c);
  h.listen();
  h.in(Seg{.flags = kSyn | kEce | kCwr, .seq = 1000, .options = {.mss = 1460}});
  EXPECT_EQ(h.out().flags, kSyn | kAck);
}

TEST(Ecn, OnlyOneAsksOnActiveOpens) {
  Config c;
  c.ecn = 1;
  PeerHarness h(c);
  h.connect();
  EXPECT_EQ(h.out().flags, kSyn | kEce | kCwr);
  PeerHarness by_default;
  by_default.connect();
  EXPECT_EQ(by_default.out().flags, kSyn);
}

struct EcnSender : ::testing::Test {
  EcnSender() : h(config()) {
    ep = &h.connect();
    iss = h.out().seq;
    h.in(Seg{.flags = kSyn | kAck | kEce, .seq = 1000, .ack = iss + 1, .options = {.mss = 1000}});
    const Seg ack = h.out();
    EXPECT_EQ(ack.flags, kAck);
    EXPECT_EQ(ack.tos & 0x3, kNotEct);  // pure ACKs are not ECN-capable
  }
  static Config config() {
    Config c;
    c.ecn = 1;
    return c;
  }
  PeerHarness h;
  Endpoint* ep = nullptr;
  uint32_t iss = 0;
};

TEST_F(EcnSender, NewDataIsEct0AndAnEchoedMarkSetsCwrOnce) {
  ASSERT_EQ(ep->write(std::vector<uint8_t>(1000, 1)).value(), 1000u);
  const Seg first = h.out();
  EXPECT_EQ(first.flags & kCwr, 0);
  EXPECT_EQ(first.tos & 0x3, kEct0);
  h.in(Seg{.flags = kAck | kEce, .seq = 1001, .ack = iss + 1001});
  EXPECT_EQ(ep->info().ca_state, CaState::kCwr);
  ASSERT_EQ(ep->write(std::vector<uint8_t>(1000, 1)).value(), 1000u);
  EXPECT_NE(h.out().flags & kCwr, 0);
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 2001});
  ASSERT_EQ(ep->write(std::vector<uint8_t>(1000, 1)).value(), 1000u);
  EXPECT_EQ(h.out().flags & kCwr, 0);
  // Something above the reduction's start was acknowledged: CWR ends.
  h.in(Seg{.flags = kAck, .seq = 1001, .ack = iss + 3001});
  EXPECT_EQ(ep->info().ca_state, CaState::kOpen);
}

TEST_F(EcnSender, AnEchoOnAConnectionWithoutEcnIsIgnored) {
  PeerHarness plain;
  Endpoint& e = plain.connect();
  const uint32_t our = plain.out().seq;
  plain.in(Seg{.flags = kSyn | kAck, .seq = 1000, .ack = our + 1, .options = {.mss = 1000}});
  plain.out();
  ASSERT_EQ(e.write(std::vector<uint8_t>(1000, 1)).value(), 1000u);
  plain.out();
  plain.in(Seg{.flags = kAck | kEce, .seq = 1001, .ack = our + 1001});
  EXPECT_EQ(e.info().ca_state, CaState::kOpen);
}

}  // namespace
}  // namespace netstack::tcp::testing
