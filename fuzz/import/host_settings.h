// The settings the host the stack plays must have had, as far as the
// capture shows them, so that its imported script replays: what its SYN (or
// SYN-ACK) offered says whether timestamps, SACK and window scaling were on
// (net.ipv4.tcp_timestamps, tcp_sack, tcp_window_scaling), its MSS says the
// MTU, its window field the receive buffer it started with (tcp_rmem[1])
// and its window scale the largest buffer it could grow to (tcp_rmem[2]).
// The buffer sizes are the ones that give the captured numbers on the
// stack's receive window (stack/tcp/receive_window.h, which follows Linux's
// tcp_select_initial_window()); several sizes give the same numbers, so
// they are the defaults where those fit and the smallest that fit otherwise.
// What cannot be inferred keeps the default and is said in a note.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/import/conversation.h"
#include "stack/tcp/config.h"

namespace tcpfuzz::import {

struct HostSettings {
  netstack::tcp::Config config;  // the stack's defaults, changed as the capture shows
  std::optional<uint32_t> mtu;   // from the MSS the host advertised
  // One line each: what was inferred from what, what could not be.
  std::vector<std::string> notes;
};

HostSettings infer_settings(const Conversation& c);

}  // namespace tcpfuzz::import
