#include "fuzz/scenario/tcp_info_assertions.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace tcpfuzz::scenario {

namespace {

// Linux's TCP state numbers (include/net/tcp_states.h), indexed by our
// State: CLOSED, LISTEN, SYN-SENT, SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1,
// FIN-WAIT-2, CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT.
constexpr std::array<long, netstack::tcp::kStateCount> kLinuxStates = {7, 10, 2,  3, 1, 4,
                                                                       5, 8,  11, 9, 6};

// A number, or one of the names packetdrill's Python knows (TCP_CA_*,
// TCP_* states, TCPI_OPT_* bits).
std::optional<long> assertion_value(const std::string& value) {
  static constexpr std::array<std::string_view, 5> kCaStates = {
      "TCP_CA_Open", "TCP_CA_Disorder", "TCP_CA_CWR", "TCP_CA_Recovery", "TCP_CA_Loss"};
  if (const auto it = std::ranges::find(kCaStates, value); it != kCaStates.end()) {
    return it - kCaStates.begin();
  }
  static constexpr std::array<std::string_view, 12> kStates = {"",
                                                               "TCP_ESTABLISHED",
                                                               "TCP_SYN_SENT",
                                                               "TCP_SYN_RECV",
                                                               "TCP_FIN_WAIT1",
                                                               "TCP_FIN_WAIT2",
                                                               "TCP_TIME_WAIT",
                                                               "TCP_CLOSE",
                                                               "TCP_CLOSE_WAIT",
                                                               "TCP_LAST_ACK",
                                                               "TCP_LISTEN",
                                                               "TCP_CLOSING"};
  if (const auto it = std::ranges::find(kStates, value); it != kStates.end() && !value.empty()) {
    return it - kStates.begin();
  }
  static constexpr std::array<std::pair<std::string_view, long>, 4> kOptions = {{
      {"TCPI_OPT_TIMESTAMPS", 1},
      {"TCPI_OPT_SACK", 2},
      {"TCPI_OPT_WSCALE", 4},
      {"TCPI_OPT_SYN_DATA", 32},
  }};
  for (const auto& [name, bit] : kOptions) {
    if (name == value) return bit;
  }
  char* end = nullptr;
  const long n = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0') return std::nullopt;
  return n;
}

// The words of one assert statement up to its message, with the
// parentheses and operators split off.
std::vector<std::string> words_of(const std::string& statement) {
  std::string spaced;
  for (const char ch : statement.substr(0, statement.find(','))) {
    if (ch == '(' || ch == ')' || ch == '&') {
      spaced += ' ';
      spaced += ch;
      spaced += ' ';
    } else {
      spaced += ch;
    }
  }
  std::istringstream in(spaced);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::optional<bool> compare(long a, const std::string& op, long b) {
  if (op == "==") return a == b;
  if (op == "!=") return a != b;
  if (op == "<=") return a <= b;
  if (op == "<") return a < b;
  if (op == ">=") return a >= b;
  if (op == ">") return a > b;
  return std::nullopt;
}

// One "assert ..." statement: "F op N", "(F & BIT) op N" or "A <= F <= B".
// nullopt: a form this runner does not evaluate; otherwise the failure, if any.
std::optional<std::optional<std::string>> check_statement(const std::vector<std::string>& w,
                                                          const netstack::tcp::TcpInfo& info) {
  auto fails = [](const std::vector<std::string>& words, long actual) {
    std::string text = "assertion failed:";
    for (const std::string& x : words) text += " " + x;
    return std::optional<std::string>(text + " (it is " + std::to_string(actual) + ")");
  };
  const std::vector<std::string> body(w.begin() + 1, w.end());
  if (w.size() == 4) {  // assert F op N
    const auto actual = tcp_info_field(info, w[1]);
    const auto want = assertion_value(w[3]);
    if (!actual || !want) return std::nullopt;
    const auto ok = compare(*actual, w[2], *want);
    if (!ok) return std::nullopt;
    return *ok ? std::nullopt : fails(body, *actual);
  }
  if (w.size() == 8 && w[1] == "(" && w[3] == "&" && w[5] == ")") {  // assert (F & BIT) op N
    const auto field = tcp_info_field(info, w[2]);
    const auto bit = assertion_value(w[4]);
    const auto want = assertion_value(w[7]);
    if (!field || !bit || !want) return std::nullopt;
    const long actual = *field & *bit;
    const auto ok = compare(actual, w[6], *want);
    if (!ok) return std::nullopt;
    return *ok ? std::nullopt : fails(body, *field);
  }
  if (w.size() == 6) {  // assert A op F op B
    const auto low = assertion_value(w[1]);
    const auto actual = tcp_info_field(info, w[3]);
    const auto high = assertion_value(w[5]);
    if (!low || !actual || !high) return std::nullopt;
    const auto a = compare(*low, w[2], *actual);
    const auto b = compare(*actual, w[4], *high);
    if (!a || !b) return std::nullopt;
    return *a && *b ? std::nullopt : fails(body, *actual);
  }
  return std::nullopt;
}

}  // namespace

std::optional<long> tcp_info_field(const netstack::tcp::TcpInfo& i, std::string_view name) {
  if (name == "tcpi_ca_state") return static_cast<long>(i.ca_state);
  if (name == "tcpi_state") return kLinuxStates[static_cast<size_t>(i.state)];
  if (name == "tcpi_options") return i.syn_data ? 32 : 0;  // only TCPI_OPT_SYN_DATA is modelled
  if (name == "tcpi_delivered") return i.delivered;
  if (name == "tcpi_rtt") {
    return static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(i.srtt).count());
  }
  if (name == "tcpi_unacked") return i.unacked;
  if (name == "tcpi_sacked") return i.sacked;
  if (name == "tcpi_lost") return i.lost;
  if (name == "tcpi_retrans") return i.retrans;
  if (name == "tcpi_reordering") return i.reordering;
  if (name == "tcpi_snd_ssthresh") return i.ssthresh;
  if (name == "tcpi_snd_mss") return i.snd_mss;
  if (name == "tcpi_advmss") return i.advmss;
  if (name == "tcpi_probes") return i.probes;
  if (name == "tcpi_backoff") return i.backoff;
  if (name == "tcpi_retransmits") return i.retransmits;
  if (name == "tcpi_total_retrans") return static_cast<long>(i.total_retransmits);
  if (name == "tcpi_snd_cwnd") return i.cwnd;
  return std::nullopt;
}

TcpInfoVerdict check_tcp_info(std::string_view code, const netstack::tcp::TcpInfo& info) {
  std::string text(code);
  std::ranges::replace(text, '\\', ' ');
  std::ranges::replace(text, '\n', ';');
  std::istringstream statements(text);
  std::string statement;
  while (std::getline(statements, statement, ';')) {
    const std::vector<std::string> words = words_of(statement);
    if (words.empty()) continue;  // blank
    const auto verdict = words[0] == "assert" ? check_statement(words, info) : std::nullopt;
    if (!verdict) return {TcpInfoVerdict::Kind::kUnsupported, statement};
    if (*verdict) return {TcpInfoVerdict::Kind::kFails, **verdict};
  }
  return {};
}

}  // namespace tcpfuzz::scenario
