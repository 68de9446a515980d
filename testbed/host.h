// Host: one simulated machine of a testbed, a Stack and its TCP layer on the
// testbed's clock, with a NIC (and an address) on each link it is attached
// to. The testbed builds it and, on reset(), builds it again in place: the
// Stack and Protocol keep their addresses, so references taken once stay
// valid, and what the test set on the host (allocation faults, an invariant
// failure handler) is applied again.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stack/header/address.h"
#include "stack/link/packet_recorder.h"
#include "stack/stack.h"
#include "stack/tcp/allocation_faults.h"
#include "stack/tcp/config.h"
#include "stack/tcp/protocol.h"
#include "stack/time/fake_clock.h"
#include "testbed/observer.h"
#include "testbed/tracer_fanout.h"

namespace tcpfuzz::testbed {

struct HostOptions {
  // Seeds the stack's RNG (ISN key, ephemeral ports): same seed, same run.
  uint64_t seed = 1;
  netstack::tcp::Config config{};
};

class Host {
 public:
  using InvariantFailureHandler = std::function<void(const std::string& report)>;

  Host(HostId id, netstack::FakeClock& clock, HostOptions options);
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  HostId id() const { return id_; }
  const HostOptions& options() const { return options_; }
  netstack::Stack& stack() { return *stack_; }
  const netstack::Stack& stack() const { return *stack_; }
  netstack::tcp::Protocol& tcp() { return *tcp_; }
  const netstack::tcp::Protocol& tcp() const { return *tcp_; }
  // The address of its first NIC (the host must be attached to a link).
  const netstack::IpAddress& address() const { return addresses_.at(0); }
  std::span<const netstack::IpAddress> addresses() const { return addresses_; }

  // Memory pressure (nullptr: none). Kept across reset().
  void set_allocation_faults(netstack::tcp::AllocationFaults* faults);
  // Replaces the default (print and abort) on an invariant violation. Kept
  // across reset().
  void set_invariant_failure_handler(InvariantFailureHandler h);

 private:
  friend class Testbed;
  friend class HostPort;

  // Drops the TCP layer and the stack (before the clock they hold timers
  // on goes), then builds them again with no NIC: the testbed adds those,
  // link by link, in the order they were first added.
  void tear_down();
  void build(netstack::FakeClock& clock);
  // Installs the tracer(s) and settings on the TCP layer.
  void apply_settings();
  // A packet crossed one of its NICs: to the taps and the wire observers.
  void saw_packet(Direction d, std::span<const uint8_t> packet);
  bool watched() const { return !taps_.empty() || !wire_observers_.empty(); }

  HostId id_;
  HostOptions options_;
  std::optional<netstack::Stack> stack_;
  std::optional<netstack::tcp::Protocol> tcp_;
  std::vector<netstack::IpAddress> addresses_;
  TracerFanout tracers_;
  std::vector<Observer*> wire_observers_;
  std::vector<netstack::PacketRecorder*> taps_;
  netstack::tcp::AllocationFaults* allocation_faults_ = nullptr;
  InvariantFailureHandler on_invariant_failure_;
};

}  // namespace tcpfuzz::testbed
