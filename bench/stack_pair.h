// Two stacks on one fake clock, joined by an in-memory link (optionally
// faulty in each direction): a testbed with helpers to open a connection and
// move bytes through it. The benchmarks' fixture: everything runs on the
// calling thread, so wall time is the stack's own cost.
#pragma once

#include <optional>
#include <vector>

#include "stack/link/faulty_link.h"
#include "stack/stack.h"
#include "stack/tcp/protocol.h"
#include "stack/time/fake_clock.h"
#include "testbed/testbed.h"

namespace tcpfuzz::bench {

struct Connection {
  netstack::tcp::Endpoint* client = nullptr;
  netstack::tcp::Endpoint* server = nullptr;
};

class StackPair {
 public:
  // `faults` applies to each direction (a drop on the data path and on the
  // ACK path); nullopt: a clean wire.
  explicit StackPair(uint32_t mtu, const std::optional<netstack::FaultPlan>& faults = std::nullopt,
                     netstack::tcp::Config config = {});

  // A listener on port 80 and a connection to it, both established.
  Connection connect();
  // Delivers what is on the wire; when it is empty, lets 1 ms of fake time
  // pass so timers (delayed ACKs, retransmissions, held packets) run. Fixed
  // steps on purpose: the figures stay comparable with earlier runs.
  void step();
  // Moves `total` bytes client -> server in `chunk`-sized writes, reading
  // as it goes; returns false if it stalls for 10 minutes of fake time.
  bool transfer(const Connection& c, size_t total, size_t chunk = 64 * 1024);
  // Both sides close and the pair runs until the endpoints are gone.
  void close(const Connection& c);

  testbed::Testbed bed;
  testbed::HostId client_host;
  testbed::HostId server_host;
  // The link's end A is the client, B the server.
  testbed::LinkId link;
  netstack::Stack& client_stack;
  netstack::Stack& server_stack;
  netstack::tcp::Protocol& client;
  netstack::tcp::Protocol& server;

 private:
  netstack::tcp::EndpointId listener_ = netstack::tcp::kNoEndpoint;
  std::vector<uint8_t> send_buffer_;
  std::vector<uint8_t> receive_buffer_;
};

}  // namespace tcpfuzz::bench
