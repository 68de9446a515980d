#include "fuzz/scenario/tcp_info_assertions.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <sstream>
#include <utility>
#include <vector>

#include "fuzz/scenario/python_expression.h"

namespace tcpfuzz::scenario {

namespace {

using netstack::tcp::State;

// Linux's TCP_* state numbers (include/net/tcp_states.h) for tcpi_state.
long linux_state(State s) {
  switch (s) {
    case State::kEstablished:
      return 1;
    case State::kSynSent:
      return 2;
    case State::kSynRcvd:
      return 3;
    case State::kFinWait1:
      return 4;
    case State::kFinWait2:
      return 5;
    case State::kTimeWait:
      return 6;
    case State::kClosed:
      return 7;
    case State::kCloseWait:
      return 8;
    case State::kLastAck:
      return 9;
    case State::kListen:
      return 10;
    case State::kClosing:
      return 11;
  }
  return 0;
}

// The constants packetdrill's Python prelude and linux/tcp.h name.
std::optional<long> constant(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, long>, 22> kConstants{{
      {"TCP_CA_Open", 0},        {"TCP_CA_Disorder", 1},    {"TCP_CA_CWR", 2},
      {"TCP_CA_Recovery", 3},    {"TCP_CA_Loss", 4},        {"TCPI_OPT_TIMESTAMPS", 1},
      {"TCPI_OPT_SACK", 2},      {"TCPI_OPT_WSCALE", 4},    {"TCPI_OPT_ECN", 8},
      {"TCPI_OPT_ECN_SEEN", 16}, {"TCPI_OPT_SYN_DATA", 32}, {"TCP_ESTABLISHED", 1},
      {"TCP_SYN_SENT", 2},       {"TCP_SYN_RECV", 3},       {"TCP_FIN_WAIT1", 4},
      {"TCP_FIN_WAIT2", 5},      {"TCP_TIME_WAIT", 6},      {"TCP_CLOSE", 7},
      {"TCP_CLOSE_WAIT", 8},     {"TCP_LAST_ACK", 9},       {"TCP_LISTEN", 10},
      {"TCP_CLOSING", 11},
  }};
  const auto it = std::ranges::find(kConstants, name, &std::pair<std::string_view, long>::first);
  if (it == kConstants.end()) return std::nullopt;
  return it->second;
}

// Splits "EXPR, message" at its first comma outside parentheses.
std::string_view before_message(std::string_view s) {
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(') ++depth;
    if (s[i] == ')') --depth;
    if (s[i] == ',' && depth == 0) return s.substr(0, i);
  }
  return s;
}

std::string_view trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// "NAME = EXPR" (not ==, <=, >=, !=): the name, else empty.
std::string_view assigned_name(std::string_view statement) {
  const auto eq = statement.find('=');
  if (eq == std::string_view::npos || eq + 1 >= statement.size() || statement[eq + 1] == '=') {
    return {};
  }
  const std::string_view name = trimmed(statement.substr(0, eq));
  const bool identifier = !name.empty() && std::ranges::all_of(name, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  }) && std::isdigit(static_cast<unsigned char>(name[0])) == 0;
  return identifier ? name : std::string_view{};
}

}  // namespace

std::optional<long> tcp_info_field(const netstack::tcp::TcpInfo& i, std::string_view name) {
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  using std::chrono::milliseconds;
  if (name == "tcpi_state") return linux_state(i.state);
  if (name == "tcpi_ca_state") return static_cast<long>(i.ca_state);
  if (name == "tcpi_delivered") return i.delivered;
  if (name == "tcpi_unacked") return i.unacked;
  if (name == "tcpi_sacked") return i.sacked;
  if (name == "tcpi_lost") return i.lost;
  if (name == "tcpi_retrans") return i.retrans;
  if (name == "tcpi_reordering") return i.reordering;
  if (name == "tcpi_snd_ssthresh") return i.ssthresh;
  if (name == "tcpi_snd_mss") return i.snd_mss;
  if (name == "tcpi_rcv_mss") return i.rcv_mss;
  if (name == "tcpi_advmss") return i.advmss;
  if (name == "tcpi_probes") return i.probes;
  if (name == "tcpi_backoff") return i.backoff;
  if (name == "tcpi_retransmits") return i.retransmits;
  if (name == "tcpi_total_retrans") return static_cast<long>(i.total_retransmits);
  if (name == "tcpi_snd_cwnd") return i.cwnd;
  if (name == "tcpi_snd_wscale") return i.snd_wscale;
  if (name == "tcpi_rcv_wscale") return i.rcv_wscale;
  if (name == "tcpi_rtt") return duration_cast<microseconds>(i.srtt).count();
  if (name == "tcpi_rto") return duration_cast<microseconds>(i.rto).count();
  if (name == "tcpi_min_rtt") return duration_cast<microseconds>(i.min_rtt).count();
  if (name == "tcpi_last_data_recv") return duration_cast<milliseconds>(i.last_data_recv).count();
  if (name == "tcpi_options") {
    // Linux tcp_get_info(): which options the handshake agreed on, and
    // TCPI_OPT_SYN_DATA when Fast Open data in the SYN was acknowledged.
    return (i.timestamps ? 1 : 0) | (i.sack ? 2 : 0) |
           (i.snd_wscale != 0 || i.rcv_wscale != 0 ? 4 : 0) | (i.syn_data ? 32 : 0);
  }
  return std::nullopt;
}

TcpInfoVerdict check_tcp_info(std::string_view code, const netstack::tcp::TcpInfo& info,
                              PythonVariables& variables) {
  std::string text(code);
  std::ranges::replace(text, '\\', ' ');  // line continuations
  std::ranges::replace(text, '\n', ';');
  std::istringstream statements(text);
  std::string line;
  while (std::getline(statements, line, ';')) {
    const std::string_view statement = trimmed(line);
    if (statement.empty()) continue;
    std::vector<std::pair<std::string, long>> fields_read;
    const NameLookup names = [&](std::string_view name) -> std::optional<long> {
      if (auto field = tcp_info_field(info, name)) {
        fields_read.emplace_back(name, *field);
        return field;
      }
      if (const auto v = variables.find(name); v != variables.end()) return v->second;
      return constant(name);
    };
    const bool is_assert = statement.starts_with("assert ");
    const std::string_view target = assigned_name(statement);
    if (!is_assert && target.empty()) {
      return {TcpInfoVerdict::Kind::kUnsupported, std::string(statement)};
    }
    const std::string_view expression = is_assert
                                            ? trimmed(before_message(statement.substr(7)))
                                            : trimmed(statement.substr(statement.find('=') + 1));
    const auto value = evaluate_python(expression, names);
    if (!value) {
      return {TcpInfoVerdict::Kind::kUnsupported,
              std::string(statement) + " (" + value.error() + ")"};
    }
    if (!is_assert) {
      variables[std::string(target)] = *value;
      continue;
    }
    if (*value == 0) {
      std::string failed = "assertion failed: " + std::string(expression);
      for (size_t k = 0; k < fields_read.size(); ++k) {
        failed += (k == 0 ? " (" : ", ") + fields_read[k].first + " = " +
                  std::to_string(fields_read[k].second);
      }
      if (!fields_read.empty()) failed += ")";
      return {TcpInfoVerdict::Kind::kFails, std::move(failed)};
    }
  }
  return {};
}

TcpInfoVerdict check_tcp_info(std::string_view code, const netstack::tcp::TcpInfo& info) {
  PythonVariables variables;
  return check_tcp_info(code, info, variables);
}

}  // namespace tcpfuzz::scenario
