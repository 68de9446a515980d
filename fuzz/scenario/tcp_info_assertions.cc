#include "fuzz/scenario/tcp_info_assertions.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <sstream>

namespace tcpfuzz::scenario {

namespace {

// A number, or one of the TCP_CA_* state names packetdrill's Python knows.
std::optional<long> assertion_value(const std::string& value) {
  static constexpr std::array<std::string_view, 5> kCaStates = {
      "TCP_CA_Open", "TCP_CA_Disorder", "TCP_CA_CWR", "TCP_CA_Recovery", "TCP_CA_Loss"};
  if (const auto it = std::ranges::find(kCaStates, value); it != kCaStates.end()) {
    return it - kCaStates.begin();
  }
  char* end = nullptr;
  const long n = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0') return std::nullopt;
  return n;
}

}  // namespace

std::optional<long> tcp_info_field(const netstack::tcp::TcpInfo& i, std::string_view name) {
  if (name == "tcpi_ca_state") return static_cast<long>(i.ca_state);
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
    std::istringstream words(statement);
    std::string assert_word, field, op, value;
    if (!(words >> assert_word)) continue;  // blank
    words >> field >> op >> value;
    value = value.substr(0, value.find(','));  // "N, message" or "N,message"
    const std::optional<long> actual = tcp_info_field(info, field);
    const std::optional<long> want = assertion_value(value);
    if (assert_word != "assert" || op != "==" || !actual || !want) {
      return {TcpInfoVerdict::Kind::kUnsupported, statement};
    }
    if (*actual != *want) {
      std::string failed = "assertion failed: " + field;
      failed += " == " + value + " (it is " + std::to_string(*actual) + ")";
      return {TcpInfoVerdict::Kind::kFails, std::move(failed)};
    }
  }
  return {};
}

}  // namespace tcpfuzz::scenario
