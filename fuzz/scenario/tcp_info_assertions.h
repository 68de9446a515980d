// The %{ }% blocks of a script. packetdrill runs them with python3 on a
// TCP_INFO snapshot; the statements scripts use, "assert EXPR[, message]"
// and "NAME = EXPR" (one or more, separated by newlines or ';'), are
// evaluated here on the stack's TcpInfo with python_expression's integer
// subset. Names are tcpi_* fields, the TCP_CA_*, TCPI_OPT_* and TCP_<state>
// constants, and the script's own earlier assignments. Anything else is
// Python this runner does not speak.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "stack/tcp/socket_types.h"

namespace tcpfuzz::scenario {

struct TcpInfoVerdict {
  enum class Kind : uint8_t {
    kHolds,
    kFails,        // detail: "assertion failed: tcpi_x == 3 (tcpi_x = 2)"
    kUnsupported,  // detail: the statement that cannot be evaluated, and why
  };
  Kind kind = Kind::kHolds;
  std::string detail;
};

// A script's Python variables: one packetdrill process runs all of its
// blocks, so an assignment holds for the blocks after it.
using PythonVariables = std::map<std::string, long, std::less<>>;

TcpInfoVerdict check_tcp_info(std::string_view code, const netstack::tcp::TcpInfo& info,
                              PythonVariables& variables);
TcpInfoVerdict check_tcp_info(std::string_view code, const netstack::tcp::TcpInfo& info);

// A TCP_INFO field by its Python name ("tcpi_snd_cwnd"), in Linux's units
// (tcpi_rtt in µs, tcpi_last_data_recv in ms); nullopt for fields the
// stack does not keep.
std::optional<long> tcp_info_field(const netstack::tcp::TcpInfo& info, std::string_view name);

}  // namespace tcpfuzz::scenario
