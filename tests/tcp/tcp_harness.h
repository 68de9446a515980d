// Test harnesses for the TCP layer, both on a FakeClock and a LoopbackLink.
//
// PeerHarness: one stack (address 192.0.2.1) whose wire ends at the test. The
// test injects segments as the remote peer (192.0.2.2) with in() and asserts
// on what the stack sent with out()/out_nothing(), like a packetdrill script.
//
// TwoStacks: two full stacks talking to each other, for end-to-end checks.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stack/header/ip.h"
#include "stack/header/tcp.h"
#include "stack/header/tcp_options.h"
#include "stack/header/tcp_packet.h"
#include "stack/link/faulty_link.h"
#include "stack/link/loopback_link.h"
#include "stack/stack.h"
#include "stack/tcp/protocol.h"
#include "stack/time/fake_clock.h"

namespace netstack::tcp::testing {

using namespace std::chrono_literals;
using namespace header::tcp_flag;

// A segment as the test sees it (decoded from, or encoded to, the wire).
struct Seg {
  uint8_t flags = kAck;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint16_t win = 65535;
  header::TcpOptions options;
  std::vector<uint8_t> payload;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;

  std::string describe() const;
};

class CapturingReceiver final : public PacketReceiver {
 public:
  void receive(View packet) override { packets.push_back(std::move(packet)); }
  std::deque<View> packets;
};

class PeerHarness {
 public:
  static constexpr uint16_t kLocalPort = 8080;
  static constexpr uint16_t kRemotePort = 40000;

  explicit PeerHarness(Config config = {}, uint64_t seed = 7,
                       IpAddress::Family family = IpAddress::Family::kV4);

  // Injects a segment from the peer (ports default to remote -> local).
  void in(Seg s);
  // The next segment the stack sent; fails the test if there is none.
  Seg out();
  // Asserts the stack sent nothing (yet).
  void out_nothing();
  // Advances the fake clock (delivering whatever becomes due).
  void advance(Duration d);
  size_t pending_out() const { return capture_.packets.size(); }

  // A listener on kLocalPort; returns its id.
  EndpointId listen(int backlog = 16);
  // Completes a passive open: SYN in, SYN-ACK out, ACK in, accept().
  // Returns the accepted endpoint; `peer_iss` is the peer's ISN.
  Endpoint& establish_passive(uint32_t peer_iss = 1000, header::TcpOptions syn_options = {});
  // connect() to the peer; returns the endpoint (SYN is left in out()).
  Endpoint& connect();

  FakeClock clock;
  LoopbackLink wire;
  Stack stack;
  Protocol tcp;
  IpAddress local;
  IpAddress remote;
  // ISN the stack used on the most recent SYN or SYN-ACK it sent.
  uint32_t our_iss = 0;

 private:
  CapturingReceiver capture_;
};

// A passive connection in ESTABLISHED: peer ISN 1000 and `syn_options` on
// the peer's SYN (MSS 1460 only, unless a derived fixture sets more).
struct EstablishedFixture : ::testing::Test {
  PeerHarness h;
  Endpoint* ep = nullptr;
  uint32_t iss = 0;  // ours
  header::TcpOptions syn_options{.mss = 1460};
  void SetUp() override {
    ep = &h.establish_passive(1000, syn_options);
    iss = h.our_iss;
  }
};

class TwoStacks {
 public:
  // `faults` (when given) applies to both directions, each with its own seed.
  explicit TwoStacks(Config config = {}, std::optional<FaultPlan> faults = std::nullopt);
  // Pumps the wire and advances time in `step`s until nothing is queued and
  // `done` holds, or `limit` of fake time passes; returns whether done held.
  template <class Pred>
  bool run_until(Pred done, Duration limit = 60s, Duration step = 1ms) {
    const Instant end = clock.now() + limit;
    while (true) {
      wire.pump();
      if (done()) return true;
      if (clock.now() >= end) return false;
      clock.advance(step);
    }
  }
  void settle(Duration d = 5s) {
    run_until([] { return false; }, d);
  }

  FakeClock clock;
  LoopbackLink wire;
  std::unique_ptr<FaultyLink> client_faults;
  std::unique_ptr<FaultyLink> server_faults;
  Stack client_stack;
  Stack server_stack;
  Protocol client;
  Protocol server;
  IpAddress client_address = *IpAddress::parse("198.18.0.1");
  IpAddress server_address = *IpAddress::parse("198.18.0.2");
};

}  // namespace netstack::tcp::testing
