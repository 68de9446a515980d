// The %{ }% blocks of a script. packetdrill runs them with python3 on a
// TCP_INFO snapshot; the form scripts use to check TCP state,
// "assert tcpi_NAME == N[, message]" (one or more, separated by newlines
// or ';'), is evaluated here on the stack's TcpInfo. Anything else is
// Python this runner does not speak.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "stack/tcp/socket_types.h"

namespace tcpfuzz::scenario {

struct TcpInfoVerdict {
  enum class Kind : uint8_t {
    kHolds,
    kFails,        // detail: "assertion failed: tcpi_x == 3 (it is 2)"
    kUnsupported,  // detail: the statement that cannot be evaluated
  };
  Kind kind = Kind::kHolds;
  std::string detail;
};

TcpInfoVerdict check_tcp_info(std::string_view code, const netstack::tcp::TcpInfo& info);

// A TCP_INFO field by its Python name ("tcpi_snd_cwnd"); nullopt for fields
// the stack does not keep.
std::optional<long> tcp_info_field(const netstack::tcp::TcpInfo& info, std::string_view name);

}  // namespace tcpfuzz::scenario
