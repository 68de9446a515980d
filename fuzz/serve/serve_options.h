// The command line of `tcpfuzz serve`: the stack on a TUN device as a
// server (echo, discard, source) or a client (send, receive).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/cli/command_line.h"
#include "stack/header/address.h"
#include "stack/link/faulty_link.h"
#include "stack/tcp/config.h"

namespace tcpfuzz::serve {

// What one connection does with its bytes.
enum class Mode : uint8_t {
  kEcho,     // server: writes back what it reads
  kDiscard,  // server: reads (and hashes) until EOF or --bytes
  kSource,   // server: writes --bytes, then reads until EOF
  kSend,     // client: writes --bytes, then reads until EOF
  kReceive,  // client: reads until EOF or --bytes
};

// How our side ends a connection once its transfer is done.
enum class Ending : uint8_t { kGraceful, kAbort };

struct ServeOptions {
  std::string tun;
  netstack::IpAddress address;
  Mode mode = Mode::kEcho;
  uint16_t listen_port = 0;  // server modes
  std::optional<netstack::IpAddress> connect_address;
  uint16_t connect_port = 0;
  // Bytes to send (source, send) or the most to read (discard, receive).
  std::optional<uint64_t> bytes;
  uint32_t connections = 1;  // a server exits after this many
  Ending ending = Ending::kGraceful;
  std::optional<int> sndbuf;  // SO_SNDBUF for every connection
  netstack::tcp::Config tcp;
  // Applied to each direction (each with its own seed).
  std::optional<netstack::FaultPlan> faults;
  uint32_t timeout_seconds = 120;
  uint64_t seed = 1;

  bool is_client() const { return connect_address.has_value(); }
};

// Declares serve's flags on `line`, bound to `o`.
void declare_serve_options(cli::CommandLine& line, ServeOptions& o);
// The checks that hold only once every flag is known: the one-line error.
std::optional<std::string> check_serve_options(const ServeOptions& o);

// "drop=1%,reorder=0.5%,duplicate=1%,delay=1%,corrupt=1%,seed=7": the random faults of
// a FaultPlan, each a percentage of packets.
std::optional<netstack::FaultPlan> parse_fault_spec(std::string_view spec);

}  // namespace tcpfuzz::serve
