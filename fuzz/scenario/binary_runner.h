// BinaryRunner: plays the remote peer of a fresh stack through a list of
// binary scenario events. The stack (192.0.2.1) can listen on 8080 or
// connect to the peer (192.0.2.2:40000); the runner sniffs every segment the
// stack sends to learn its live sequence numbers and port, so injected
// segments are built relative to them. Invariants are checked by the stack
// itself after every event (TCPFUZZ_INVARIANTS builds).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/scenario/binary_scenario.h"
#include "stack/link/loopback_link.h"
#include "stack/stack.h"
#include "stack/tcp/protocol.h"
#include "stack/time/fake_clock.h"

namespace tcpfuzz::scenario {

class BinaryRunner final : private netstack::PacketReceiver, private netstack::tcp::Tracer {
 public:
  explicit BinaryRunner(uint64_t seed = 1);
  void run(const std::vector<BinaryEvent>& events);

  // Which TCP states any endpoint reached.
  const std::array<bool, netstack::tcp::kStateCount>& states_reached() const { return states_; }
  netstack::tcp::Protocol& tcp() { return tcp_; }
  netstack::FakeClock& clock() { return clock_; }

 private:
  void inject(const InjectSegment& s);
  void call(const SocketCall& c);
  netstack::tcp::Endpoint* current();

  // Begin PacketReceiver implementation: segments the stack sends.
  void receive(netstack::View packet) override;
  // End PacketReceiver implementation.
  // Begin Tracer implementation.
  void on_transition(netstack::Instant, netstack::tcp::EndpointId, netstack::tcp::State,
                     netstack::tcp::State to, std::string_view) override;
  // End Tracer implementation.

  netstack::FakeClock clock_;
  netstack::LoopbackLink wire_;
  netstack::Stack stack_;
  netstack::tcp::Protocol tcp_;
  netstack::IpAddress local_;
  netstack::IpAddress remote_;
  netstack::tcp::EndpointId listener_ = netstack::tcp::kNoEndpoint;
  std::vector<netstack::tcp::EndpointId> connections_;
  // What the peer knows.
  uint32_t peer_next_ = 1000;   // our next sequence number
  uint32_t stack_next_ = 0;     // highest sequence number the stack sent, +1
  uint32_t stack_tsval_ = 0;    // last TSval the stack sent
  uint16_t stack_port_ = 8080;  // the stack's port of the latest connection
  std::array<bool, netstack::tcp::kStateCount> states_{};
};

}  // namespace tcpfuzz::scenario
