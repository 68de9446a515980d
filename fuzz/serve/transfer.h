// Transfer: one connection of `tcpfuzz serve`, moved forward between event
// loop turns. It reads and writes what the endpoint allows without blocking,
// hashes every byte each way, ends the connection the way the options ask
// (FIN or RST) and waits for the close handshake before calling itself done.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fuzz/serve/serve_options.h"
#include "fuzz/serve/sha256.h"
#include "stack/tcp/protocol.h"

namespace tcpfuzz::serve {

class Transfer {
 public:
  // `pattern` is what source and send modes write, over and over; it must
  // outlive the transfer.
  Transfer(netstack::tcp::Protocol& protocol, netstack::tcp::EndpointId id,
           const ServeOptions& options, std::span<const uint8_t> pattern);

  // Moves what it can; returns true once the connection is over.
  bool step(netstack::Instant now);
  // Gives up: the endpoint is aborted and the result says why.
  void give_up(const std::string& why);
  // "connection local=... remote=... result=ok received=N rx_sha256=..."
  std::string summary() const;
  bool failed() const { return result_ != "ok"; }

 private:
  enum class Phase : uint8_t { kConnecting, kData, kClosing, kDone };

  void connecting(netstack::tcp::Endpoint& ep, netstack::Instant now);
  void move_data(netstack::tcp::Endpoint& ep, netstack::Instant now);
  // Reads what is queued; false after an error ended the connection.
  bool read_all(netstack::tcp::Endpoint& ep);
  bool write_all(netstack::tcp::Endpoint& ep);
  bool sending_done() const;
  void end(netstack::tcp::Endpoint& ep, netstack::Instant now);
  void fail(netstack::tcp::Endpoint& ep, netstack::tcp::Errno error);

  netstack::tcp::Protocol& protocol_;
  const netstack::tcp::EndpointId id_;
  const ServeOptions& options_;
  std::span<const uint8_t> pattern_;
  Phase phase_;
  std::string result_ = "ok";
  netstack::tcp::TcpInfo negotiated_;
  std::string local_;
  std::string remote_;
  uint64_t received_ = 0;
  uint64_t sent_ = 0;
  Sha256 rx_hash_;
  Sha256 tx_hash_;
  bool eof_ = false;
  bool fin_sent_ = false;
  std::vector<uint8_t> echo_backlog_;
  std::vector<uint8_t> read_buffer_;
  std::optional<netstack::Instant> data_started_;
  std::optional<netstack::Instant> data_ended_;
  std::optional<netstack::Instant> closing_since_;
};

}  // namespace tcpfuzz::serve
