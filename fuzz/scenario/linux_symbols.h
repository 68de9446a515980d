// The Linux constants scripts name: errno values, socket option levels and
// names, fcntl/shutdown/poll/msg flags. Values are Linux's (x86_64).
#pragma once

#include <optional>
#include <string_view>

#include "stack/tcp/socket_types.h"

namespace tcpfuzz::scenario {

// errno by name ("EAGAIN" -> 11) and back.
std::optional<int> errno_value(std::string_view name);
std::string_view errno_name(int value);

// Any other symbolic integer constant a TCP script uses (SOL_SOCKET,
// SO_REUSEADDR, IPPROTO_TCP, TCP_NODELAY, O_NONBLOCK, F_SETFL, SHUT_WR,
// POLLIN, MSG_PEEK, AF_INET, SOCK_STREAM, ...).
std::optional<long> symbol_value(std::string_view name);

// The socket options the stack implements, as a script sets them:
// setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, ...). One table serves both
// directions, reading a script's call and writing one.
struct SocketOptionName {
  std::string_view level;  // SOL_SOCKET or IPPROTO_TCP
  std::string_view name;   // SO_LINGER, TCP_NODELAY, ...
};
// The option a (level, name) pair of values selects; SOL_TCP is IPPROTO_TCP.
std::optional<netstack::tcp::SockOpt> socket_option(long level, long name);
SocketOptionName socket_option_name(netstack::tcp::SockOpt option);

}  // namespace tcpfuzz::scenario
