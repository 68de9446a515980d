#include "bench/stack_pair.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace tcpfuzz::bench {

using namespace netstack;
using namespace std::chrono_literals;

namespace {

const IpAddress kClientAddress = *IpAddress::parse("198.18.0.1");
const IpAddress kServerAddress = *IpAddress::parse("198.18.0.2");

}  // namespace

StackPair::StackPair(uint32_t mtu, std::optional<FaultPlan> faults, tcp::Config config)
    : wire(mtu),
      client_stack(clock, StackOptions{11}),
      server_stack(clock, StackOptions{22}),
      client(client_stack, config),
      server(server_stack, config) {
  Link* client_link = &wire.side(LoopbackLink::Side::kA);
  Link* server_link = &wire.side(LoopbackLink::Side::kB);
  if (faults) {
    client_faults = std::make_unique<FaultyLink>(*client_link, clock, *faults);
    FaultPlan reverse = *faults;
    reverse.seed = faults->seed + 1;
    server_faults = std::make_unique<FaultyLink>(*server_link, clock, reverse);
    client_link = client_faults.get();
    server_link = server_faults.get();
  }
  const NicId c = client_stack.add_nic(*client_link);
  client_stack.add_address(c, kClientAddress);
  wire.attach(LoopbackLink::Side::kA, &client_stack.nic_receiver(c));
  const NicId s = server_stack.add_nic(*server_link);
  server_stack.add_address(s, kServerAddress);
  wire.attach(LoopbackLink::Side::kB, &server_stack.nic_receiver(s));
  send_buffer_.assign(1 << 20, 0x5a);
  receive_buffer_.resize(1 << 20);
}

void StackPair::step() {
  if (wire.pump() == 0) clock.advance(1ms);
}

Connection StackPair::connect() {
  if (listener_ == tcp::kNoEndpoint) {
    listener_ = server.open(IpAddress::Family::kV4);
    tcp::Endpoint& l = *server.find(listener_);
    if (l.bind(kServerAddress, 80) != 0 || l.listen(1024) != 0) {
      throw std::runtime_error("listen failed");
    }
  }
  tcp::Endpoint& c = *client.find(client.open(IpAddress::Family::kV4));
  if (c.connect(kServerAddress, 80) != EINPROGRESS) throw std::runtime_error("connect failed");
  tcp::Endpoint& l = *server.find(listener_);
  for (int i = 0; i < 100000; ++i) {
    step();
    if (c.state() != tcp::State::kEstablished) continue;
    if (auto accepted = l.accept()) return Connection{&c, server.find(*accepted)};
  }
  throw std::runtime_error("handshake did not complete");
}

bool StackPair::transfer(const Connection& c, size_t total, size_t chunk) {
  chunk = std::min(chunk, send_buffer_.size());
  size_t written = 0;
  size_t received = 0;
  const Instant deadline = clock.now() + 10min;
  while (received < total) {
    while (written < total) {
      const size_t n = std::min(chunk, total - written);
      auto r = c.client->write(std::span(send_buffer_).first(n));
      if (!r || *r == 0) break;
      written += *r;
    }
    step();
    while (true) {
      auto r = c.server->read(receive_buffer_);
      if (!r || *r == 0) break;
      received += *r;
    }
    if (clock.now() > deadline) return false;
  }
  return true;
}

void StackPair::close(const Connection& c) {
  c.client->close();
  for (int i = 0; i < 100000 && c.server->state() != tcp::State::kCloseWait; ++i) step();
  c.server->close();
  for (int i = 0; i < 1000; ++i) step();
  clock.advance(61s);
  wire.pump();
  client.reap();
  server.reap();
}

}  // namespace tcpfuzz::bench
