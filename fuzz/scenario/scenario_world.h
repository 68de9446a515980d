// The world a runner plays the scripted peer in: a fake clock at script time
// 0, one stack with the local address on one NIC, a wire whose far side is
// the peer, and a pcap tap at the NIC when asked for. Both runners build
// their world here and nowhere else; how time advances is each runner's.
#pragma once

#include <cstdint>
#include <memory>

#include "fuzz/scenario/socket_under_test.h"
#include "stack/link/loopback_link.h"
#include "stack/link/packet_recorder.h"
#include "stack/link/recording_tap.h"
#include "stack/stack.h"
#include "stack/tcp/config.h"
#include "stack/tcp/protocol.h"
#include "stack/time/fake_clock.h"

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

  // Where the stack's packets go: the scripted peer.
  void attach_peer(netstack::PacketReceiver* peer) {
    wire_.attach(netstack::LoopbackLink::Side::kB, peer);
  }
  // The peer sends `packet`; it arrives at the next pump().
  void send_to_stack(netstack::View packet) {
    wire_.side(netstack::LoopbackLink::Side::kB).send(std::move(packet));
  }
  // Delivers what is on the wire, both ways, until it is empty.
  void pump() { wire_.pump(); }

  netstack::FakeClock& clock() { return clock_; }
  const netstack::FakeClock& clock() const { return clock_; }
  netstack::tcp::Protocol& tcp() { return tcp_; }
  const netstack::tcp::Protocol& tcp() const { return tcp_; }

 private:
  netstack::FakeClock clock_{netstack::Instant::from_nanos(kScriptStartNanos)};
  netstack::LoopbackLink wire_;
  std::unique_ptr<netstack::RecordingTap> tap_;
  netstack::Stack stack_;
  netstack::tcp::Protocol tcp_;
};

}  // namespace tcpfuzz::scenario
