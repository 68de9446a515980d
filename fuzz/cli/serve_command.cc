// tcpfuzz serve: the stack on a TUN device with the real clock, as an echo,
// discard or source server or as a client that sends or receives, printing
// one line per connection with the SHA-256 of the bytes each way.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/serve/serve_options.h"
#include "fuzz/serve/transfer.h"
#include "fuzz/serve/tun_host.h"
#include "stack/util/rng.h"

namespace tcpfuzz::cli {

namespace {

using netstack::IpAddress;
using netstack::tcp::Endpoint;
using netstack::tcp::EndpointId;
using serve::ServeOptions;
using serve::Transfer;

// What source and send modes write: seeded random bytes, so a hash over them
// shows every byte arrived in place, not only the right count.
std::vector<uint8_t> make_pattern(uint64_t seed) {
  std::vector<uint8_t> pattern(1 << 20);
  netstack::Rng rng(seed);
  for (uint8_t& b : pattern) b = static_cast<uint8_t>(rng.next() >> 56);
  return pattern;
}

void apply_sndbuf(Endpoint& ep, const ServeOptions& o) {
  if (o.sndbuf) ep.set_option(netstack::tcp::SockOpt::kSndBuf, *o.sndbuf);
}

// The listener, or the connecting endpoint; the error as one line.
netstack::Expected<EndpointId, std::string> open_endpoint(netstack::tcp::Protocol& tcp,
                                                          const ServeOptions& o) {
  const EndpointId id = tcp.open(IpAddress::Family::kV4);
  Endpoint& ep = *tcp.find(id);
  apply_sndbuf(ep, o);
  if (o.is_client()) {
    const int rc = ep.connect(*o.connect_address, o.connect_port);
    if (rc != EINPROGRESS) {
      return netstack::Unexpected{"tcpfuzz serve: connect: errno " + std::to_string(rc)};
    }
    return id;
  }
  if (ep.bind(o.address, o.listen_port) != 0 || ep.listen(128) != 0) {
    return netstack::Unexpected{"tcpfuzz serve: cannot listen on port " +
                                std::to_string(o.listen_port)};
  }
  std::printf("listening on %s:%u\n", o.address.to_string().c_str(), o.listen_port);
  std::fflush(stdout);
  return id;
}

class Serve final : public Command {
 public:
  Serve()
      : Command("serve",
                "the stack on a TUN device with the real clock: echo/discard/source server or "
                "send/receive client") {
    serve::declare_serve_options(line_, options_);
  }

 private:
  int run() override;

  ServeOptions options_;
};

int Serve::run() {
  if (auto error = serve::check_serve_options(options_)) {
    std::fprintf(stderr, "%s\n", error->c_str());
    return 2;
  }
  const ServeOptions& o = options_;
  auto host = serve::TunHost::open(o.tun, o.address, o.tcp, o.faults, o.seed);
  if (!host) {
    std::fprintf(stderr, "tcpfuzz serve: %s\n", host.error().c_str());
    return 2;
  }
  netstack::tcp::Protocol& tcp = (*host)->tcp();
  auto first = open_endpoint(tcp, o);
  if (!first) {
    std::fprintf(stderr, "%s\n", first.error().c_str());
    return 2;
  }
  const std::vector<uint8_t> pattern = make_pattern(o.seed);
  std::vector<std::unique_ptr<Transfer>> active;
  if (o.is_client()) active.push_back(std::make_unique<Transfer>(tcp, *first, o, pattern));
  uint32_t started = o.is_client() ? 1 : 0;
  uint32_t finished = 0;
  uint32_t failed = 0;
  const netstack::Instant deadline =
      (*host)->clock().now() + std::chrono::seconds(o.timeout_seconds);
  while (finished < o.connections) {
    if (auto error = (*host)->turn(std::chrono::milliseconds(100))) {
      std::fprintf(stderr, "tcpfuzz serve: %s\n", error->c_str());
      return 2;
    }
    while (!o.is_client() && started < o.connections) {
      auto child = tcp.find(*first)->accept();
      if (!child) break;
      apply_sndbuf(*tcp.find(*child), o);
      active.push_back(std::make_unique<Transfer>(tcp, *child, o, pattern));
      ++started;
    }
    const netstack::Instant now = (*host)->clock().now();
    const bool timed_out = now > deadline;
    std::erase_if(active, [&](const std::unique_ptr<Transfer>& t) {
      if (timed_out) t->give_up("timeout");
      if (!t->step(now)) return false;
      std::printf("%s\n", t->summary().c_str());
      std::fflush(stdout);
      ++finished;
      failed += t->failed() ? 1 : 0;
      return true;
    });
    tcp.reap();
    if (timed_out) {
      std::printf("timeout after %u s: %u of %u connections finished\n", o.timeout_seconds,
                  finished, o.connections);
      ++failed;
      break;
    }
  }
  std::printf("%s\n", (*host)->link_summary().c_str());
  return failed == 0 ? 0 : 1;
}

}  // namespace

std::unique_ptr<Command> make_serve_command() {
  return std::make_unique<Serve>();
}

}  // namespace tcpfuzz::cli
