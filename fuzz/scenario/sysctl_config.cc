#include "fuzz/scenario/sysctl_config.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <sstream>

namespace tcpfuzz::scenario {

namespace {

bool parse_uints(std::string_view text, std::vector<uint64_t>* out) {
  std::istringstream in{std::string(text)};
  std::string word;
  while (in >> word) {
    uint64_t v = 0;
    // sysctl takes C integers: "0x202" is hexadecimal.
    const bool hex = word.size() > 2 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X');
    const char* first = word.data() + (hex ? 2 : 0);
    const auto r = std::from_chars(first, word.data() + word.size(), v, hex ? 16 : 10);
    if (r.ec != std::errc() || r.ptr != word.data() + word.size()) return false;
    out->push_back(v);
  }
  return !out->empty();
}

// Linux proc_tcp_fastopen_key(): "%x-%x-%x-%x", a primary key (a backup
// key after a comma is not modelled).
bool parse_fastopen_key(std::string_view text, netstack::tcp::Config& c) {
  std::array<uint32_t, 4> words{};
  for (size_t i = 0; i < words.size(); ++i) {
    const size_t end = i + 1 < words.size() ? text.find('-') : text.size();
    if (end == std::string_view::npos || end == 0) return false;
    const auto r = std::from_chars(text.data(), text.data() + end, words[i], 16);
    if (r.ec != std::errc() || r.ptr != text.data() + end) return false;
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  c.fastopen_key = words;
  c.fastopen_key_set = true;
  return true;
}

}  // namespace

bool apply_sysctl(std::string_view assignment, netstack::tcp::Config& c) {
  const size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) return false;
  std::string_view name = assignment.substr(0, eq);
  std::string_view value = assignment.substr(eq + 1);
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) {
    value = value.substr(1, value.size() - 2);
  }
  constexpr std::string_view kPrefix = "net.ipv4.";
  if (!name.starts_with(kPrefix)) return false;
  name.remove_prefix(kPrefix.size());
  if (name == "tcp_congestion_control") {
    const auto a = netstack::tcp::parse_algorithm(value);
    if (a) c.congestion_control = *a;
    return a.has_value();
  }
  if (name == "tcp_fastopen_key") return parse_fastopen_key(value, c);
  std::vector<uint64_t> v;
  if (!parse_uints(value, &v)) return false;
  using std::chrono::seconds;
  if (name == "tcp_sack")
    c.sack = v[0] != 0;
  else if (name == "tcp_timestamps")
    c.timestamps = v[0] != 0;
  else if (name == "tcp_window_scaling")
    c.window_scaling = v[0] != 0;
  else if (name == "tcp_syncookies")
    c.syncookies = v[0] != 0;
  else if (name == "tcp_syn_retries")
    c.syn_retries = static_cast<uint32_t>(v[0]);
  else if (name == "tcp_synack_retries")
    c.synack_retries = static_cast<uint32_t>(v[0]);
  else if (name == "tcp_retries2")
    c.retries2 = static_cast<uint32_t>(v[0]);
  else if (name == "tcp_max_syn_backlog")
    c.max_syn_backlog = static_cast<uint32_t>(v[0]);
  else if (name == "tcp_fin_timeout")
    c.fin_timeout = seconds(v[0]);
  else if (name == "tcp_keepalive_time")
    c.keepalive_time = seconds(v[0]);
  else if (name == "tcp_keepalive_intvl")
    c.keepalive_intvl = seconds(v[0]);
  else if (name == "tcp_keepalive_probes")
    c.keepalive_probes = static_cast<uint32_t>(v[0]);
  else if (name == "tcp_reordering")
    c.reordering = static_cast<uint32_t>(std::max<uint64_t>(v[0], 1));
  else if (name == "tcp_max_reordering")
    c.max_reordering = static_cast<uint32_t>(std::max<uint64_t>(v[0], 1));
  else if (name == "tcp_slow_start_after_idle")
    c.slow_start_after_idle = v[0] != 0;
  else if (name == "tcp_frto")
    c.frto = v[0] != 0;  // Linux 3.10+: any non-zero value is the SACK-enhanced F-RTO
  else if (name == "tcp_fastopen")
    c.fastopen = static_cast<uint32_t>(v[0]);
  else if (name == "tcp_fastopen_blackhole_timeout_sec")
    return v[0] == 0;  // Linux 6.18's default: active Fast Open is never disabled
  else if (name == "tcp_min_tso_segs" || name == "tcp_tso_win_divisor")
    return true;  // TSO sizing: the matcher sums live segments as TSO packets anyway
  else if (name == "tcp_notsent_lowat")
    c.notsent_lowat = static_cast<uint32_t>(v[0]);
  else if (name == "tcp_ecn" && v[0] <= 2)  // AccECN (3..5) is not modelled
    c.ecn = static_cast<uint32_t>(v[0]);
  else if ((name == "tcp_rmem" || name == "tcp_wmem") && v.size() == 3) {
    (name == "tcp_rmem" ? c.rmem_default : c.wmem_default) = static_cast<uint32_t>(v[1]);
    (name == "tcp_rmem" ? c.rmem_max : c.wmem_max) = static_cast<uint32_t>(v[2]);
  } else {
    return false;
  }
  return true;
}

std::vector<std::string> apply_sysctl_script(std::string_view text, netstack::tcp::Config& c) {
  std::vector<std::string> unknown;
  std::istringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string w;
    if (!(words >> w) || w != "sysctl") continue;
    // Rebuild quoted values ("4096 87380 6291456") split by whitespace.
    std::string rest;
    std::getline(words, rest);
    std::vector<std::string> assignments;
    std::string current;
    bool quoted = false;
    for (char ch : rest) {
      if (ch == '"') quoted = !quoted;
      if (!quoted && (ch == ' ' || ch == '\t')) {
        if (!current.empty()) assignments.push_back(current);
        current.clear();
      } else {
        current += ch;
      }
    }
    if (!current.empty()) assignments.push_back(current);
    for (const std::string& a : assignments) {
      if (a.starts_with("-") || a == ">" || a.starts_with("/dev/") || a.starts_with("2>")) continue;
      if (a.find('=') == std::string::npos) continue;
      std::string expanded = a;
      // $((15*1024*1024)) style arithmetic in defaults.sh.
      for (size_t at; (at = expanded.find("$((")) != std::string::npos;) {
        const size_t end = expanded.find("))", at);
        if (end == std::string::npos) break;
        uint64_t product = 1;
        std::istringstream factors(expanded.substr(at + 3, end - at - 3));
        std::string f;
        while (std::getline(factors, f, '*')) product *= std::stoull(f);
        expanded.replace(at, end + 2 - at, std::to_string(product));
      }
      if (!apply_sysctl(expanded, c)) unknown.push_back(expanded);
    }
  }
  return unknown;
}

std::string sysctl_command(const netstack::tcp::Config& c) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  auto secs = [](netstack::Duration d) { return duration_cast<seconds>(d).count(); };
  std::ostringstream o;
  o << "sysctl -q net.ipv4.tcp_timestamps=" << int(c.timestamps)
    << " net.ipv4.tcp_sack=" << int(c.sack)
    << " net.ipv4.tcp_window_scaling=" << int(c.window_scaling)
    << " net.ipv4.tcp_syncookies=" << int(c.syncookies)
    << " net.ipv4.tcp_syn_retries=" << c.syn_retries
    << " net.ipv4.tcp_synack_retries=" << c.synack_retries
    << " net.ipv4.tcp_retries2=" << c.retries2
    << " net.ipv4.tcp_max_syn_backlog=" << c.max_syn_backlog
    << " net.ipv4.tcp_fin_timeout=" << secs(c.fin_timeout)
    << " net.ipv4.tcp_keepalive_time=" << secs(c.keepalive_time)
    << " net.ipv4.tcp_keepalive_intvl=" << secs(c.keepalive_intvl)
    << " net.ipv4.tcp_keepalive_probes=" << c.keepalive_probes << " net.ipv4.tcp_rmem=\"4096 "
    << c.rmem_default << " " << c.rmem_max << "\" net.ipv4.tcp_wmem=\"4096 " << c.wmem_default
    << " " << c.wmem_max << "\" net.ipv4.tcp_ecn=" << c.ecn
    << " net.ipv4.tcp_fastopen=" << c.fastopen << " net.ipv4.tcp_frto=" << int(c.frto);
  if (c.notsent_lowat != UINT32_MAX) o << " net.ipv4.tcp_notsent_lowat=" << c.notsent_lowat;
  return o.str();
}

}  // namespace tcpfuzz::scenario
