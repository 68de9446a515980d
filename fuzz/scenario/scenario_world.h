// The world a runner plays the scripted peer in, on the testbed: one host
// (the stack under test, its address on one NIC) on a fake clock at script
// time 0, one link to a testbed::ScriptedPeer, which the runner plays, and
// a pcap tap at the host when asked for. Both runners build their world
// here; they move time with the testbed's run_to() and attach their
// tracers to it.
#pragma once

#include <cstdint>

#include "stack/header/address.h"
#include "stack/link/packet_recorder.h"
#include "stack/tcp/config.h"
#include "stack/tcp/protocol.h"
#include "testbed/testbed.h"

namespace tcpfuzz::scenario {

class ScenarioWorld {
 public:
  struct Options {
    uint64_t seed = 1;
    netstack::tcp::Config config{};
    uint32_t mtu = 1500;
    netstack::IpAddress local;
    // Every packet exchanged (nullptr: none).
    netstack::PacketRecorder* pcap = nullptr;
  };

  explicit ScenarioWorld(const Options& options);

  // Where the stack's packets go: the scripted peer's receiving side.
  void attach_peer(netstack::PacketReceiver* peer) { peer_.set_receiver(peer); }
  // The peer sends `packet`; it arrives at the next pump().
  void send_to_stack(netstack::View packet) { peer_.send(std::move(packet)); }
  void pump() { testbed_.pump(); }

  testbed::Testbed& testbed() { return testbed_; }
  testbed::Host& host() { return host_; }
  netstack::FakeClock& clock() { return testbed_.clock(); }
  netstack::Instant now() const { return testbed_.now(); }
  netstack::tcp::Protocol& tcp() { return host_.tcp(); }
  // `ip link set dev tun0 mtu N`: the stack's device MTU.
  void set_link_mtu(uint32_t mtu) { host_.stack().set_mtu(0, mtu); }
  const netstack::tcp::Protocol& tcp() const { return host_.tcp(); }

 private:
  testbed::Testbed testbed_;
  testbed::Host& host_;
  testbed::ScriptedPeer& peer_;
};

}  // namespace tcpfuzz::scenario
