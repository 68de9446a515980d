// The Linux constants scripts name: errno values, socket option levels and
// names, fcntl/shutdown/poll/msg flags. Values are Linux's (x86_64).
#pragma once

#include <optional>
#include <string_view>

namespace tcpfuzz::scenario {

// errno by name ("EAGAIN" -> 11) and back.
std::optional<int> errno_value(std::string_view name);
std::string_view errno_name(int value);

// Any other symbolic integer constant a TCP script uses (SOL_SOCKET,
// SO_REUSEADDR, IPPROTO_TCP, TCP_NODELAY, O_NONBLOCK, F_SETFL, SHUT_WR,
// POLLIN, MSG_PEEK, AF_INET, SOCK_STREAM, ...).
std::optional<long> symbol_value(std::string_view name);

}  // namespace tcpfuzz::scenario
