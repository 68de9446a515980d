// Test harnesses for the TCP layer: thin test-facing views of a testbed
// (testbed/testbed.h), which owns the clock, the stacks and the wire.
//
// PeerHarness: one stack (address 192.0.2.1) whose wire ends at the test. The
// test injects segments as the remote peer (192.0.2.2) with in() and asserts
// on what the stack sent with out()/out_nothing(), like a packetdrill script.
//
// TwoStacks: two full stacks talking to each other, for end-to-end checks.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "stack/header/ip.h"
#include "stack/header/tcp.h"
#include "stack/header/tcp_options.h"
#include "stack/header/tcp_packet.h"
#include "stack/link/faulty_link.h"
#include "stack/stack.h"
#include "stack/tcp/protocol.h"
#include "stack/time/fake_clock.h"
#include "testbed/testbed.h"

namespace netstack::tcp::testing {

using namespace std::chrono_literals;
using namespace header::tcp_flag;

// A segment as the test sees it (decoded from, or encoded to, the wire).
struct Seg {
  uint8_t flags = kAck;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint16_t win = 65535;
  uint16_t urgent = 0;  // the urgent pointer (with URG)
  header::TcpOptions options;
  std::vector<uint8_t> payload;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint8_t tos = 0;        // out(): the IP TOS byte / traffic class it was sent with
  uint16_t gso_size = 0;  // in(): a GSO packet of segments this long

  std::string describe() const;
};

class PeerHarness {
 public:
  static constexpr uint16_t kLocalPort = 8080;
  static constexpr uint16_t kRemotePort = 40000;

  explicit PeerHarness(Config config = {}, uint64_t seed = 7,
                       IpAddress::Family family = IpAddress::Family::kV4);

  // Injects a segment from the peer (ports default to remote -> local).
  void in(Seg s);
  // An ICMP error from the peer's address about the segment the stack sent
  // with `seq` from `local_port` (IPv4 types and codes, or ICMPv6's on an
  // IPv6 harness); `mtu` for "fragmentation needed" / "packet too big".
  void icmp_error(uint8_t type, uint8_t code, uint32_t seq, uint32_t mtu = 0,
                  uint16_t local_port = kLocalPort);
  // The next segment the stack sent; fails the test if there is none.
  Seg out();
  // Asserts the stack sent nothing (yet).
  void out_nothing();
  // Advances the fake clock timer by timer (delivering whatever becomes due).
  void advance(Duration d);
  size_t pending_out() const { return peer.pending(); }

  // A listener on kLocalPort; returns its id.
  EndpointId listen(int backlog = 16);
  // Completes a passive open: SYN in, SYN-ACK out, ACK in, accept().
  // Returns the accepted endpoint; `peer_iss` is the peer's ISN.
  Endpoint& establish_passive(uint32_t peer_iss = 1000, header::TcpOptions syn_options = {});
  // connect() to the peer; returns the endpoint (SYN is left in out()).
  Endpoint& connect();
  // sendto(MSG_FASTOPEN) of `bytes` bytes to the peer, which the SYN carries
  // whole (the config needs Fast Open without cookies); the SYN is left in
  // out().
  Endpoint& connect_with_syn_data(size_t bytes);

  tcpfuzz::testbed::Testbed bed;
  IpAddress local;
  IpAddress remote;
  tcpfuzz::testbed::HostId host;
  // The test's end of the wire: in() sends through it, out() takes from it.
  tcpfuzz::testbed::ScriptedPeer& peer;
  FakeClock& clock;
  Stack& stack;
  Protocol& tcp;
  // ISN the stack used on the most recent SYN or SYN-ACK it sent.
  uint32_t our_iss = 0;
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
  // `faults` (when given) applies to both directions, each with its own seed
  // (testbed::LinkOptions::faulty).
  explicit TwoStacks(Config config = {}, std::optional<FaultPlan> faults = std::nullopt);
  // Pumps the wire and moves time on timer by timer (or in fixed steps, if
  // asked) until `done` holds after a pump, or `limit` of fake time passes;
  // returns whether done held.
  template <class Pred>
  bool run_until(Pred done, Duration limit = 60s, tcpfuzz::testbed::Stepping stepping = {}) {
    return bed.run_until(done, limit, stepping);
  }
  void settle(Duration d = 5s) { bed.run_for(d, tcpfuzz::testbed::QueuedPackets::kDeliverFirst); }

  IpAddress client_address = *IpAddress::parse("198.18.0.1");
  IpAddress server_address = *IpAddress::parse("198.18.0.2");
  tcpfuzz::testbed::Testbed bed;
  tcpfuzz::testbed::HostId client_host;
  tcpfuzz::testbed::HostId server_host;
  FakeClock& clock;
  Stack& client_stack;
  Stack& server_stack;
  Protocol& client;
  Protocol& server;
};

}  // namespace netstack::tcp::testing
