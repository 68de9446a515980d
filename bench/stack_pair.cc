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

testbed::LinkOptions link_options(uint32_t mtu, const std::optional<FaultPlan>& faults) {
  if (faults) return testbed::LinkOptions::faulty(*faults, mtu);
  testbed::LinkOptions clean;
  clean.mtu = mtu;
  return clean;
}

}  // namespace

StackPair::StackPair(uint32_t mtu, const std::optional<FaultPlan>& faults, tcp::Config config)
    : client_host(bed.add_host({.seed = 11, .config = config})),
      server_host(bed.add_host({.seed = 22, .config = config})),
      link(bed.add_link({client_host, kClientAddress}, {server_host, kServerAddress},
                        link_options(mtu, faults))),
      client_stack(bed.host(client_host).stack()),
      server_stack(bed.host(server_host).stack()),
      client(bed.host(client_host).tcp()),
      server(bed.host(server_host).tcp()) {
  send_buffer_.assign(1 << 20, 0x5a);
  receive_buffer_.resize(1 << 20);
}

void StackPair::step() {
  if (bed.pump() == 0) bed.advance_clock(1ms);
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
  const Instant deadline = bed.now() + 10min;
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
    if (bed.now() > deadline) return false;
  }
  return true;
}

void StackPair::close(const Connection& c) {
  c.client->close();
  for (int i = 0; i < 100000 && c.server->state() != tcp::State::kCloseWait; ++i) step();
  c.server->close();
  for (int i = 0; i < 1000; ++i) step();
  bed.advance_clock(61s);
  bed.pump();
  client.reap();
  server.reap();
}

}  // namespace tcpfuzz::bench
