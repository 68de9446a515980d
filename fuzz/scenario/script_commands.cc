#include "fuzz/scenario/script_commands.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "fuzz/scenario/sysctl_config.h"

namespace tcpfuzz::scenario {

namespace {

// The text of the defaults.sh a script names, relative to the script.
std::optional<std::string> read_defaults(const std::string& script_path,
                                         const std::string& relative) {
  namespace fs = std::filesystem;
  fs::path p = fs::path(script_path).parent_path() / relative;
  for (int hops = 0; hops < 3; ++hops) {
    std::ifstream in(p);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    std::string content = text.str();
    // packetdrill's tcp/common/defaults.sh is a one-line pointer to the real file.
    const std::string trimmed = content.substr(0, content.find_last_not_of(" \n") + 1);
    if (trimmed.find('\n') == std::string::npos && trimmed.ends_with(".sh")) {
      p = p.parent_path() / trimmed;
      continue;
    }
    return content;
  }
  return std::nullopt;
}

// packetdrill's set_sysctls.py (google/packetdrill and the kernel
// selftests) writes "/proc/sys/net/ipv4/x=V" arguments to their proc files:
// the same as "sysctl net.ipv4.x=V".
std::optional<std::string> as_sysctl_command(const std::string& line) {
  std::istringstream words(line);
  std::string program;
  words >> program;
  if (!program.ends_with("set_sysctls.py")) return std::nullopt;
  std::string command = "sysctl";
  std::string arg;
  while (words >> arg) {
    // Quoted values ("4096 50000 4194304") keep their quotes for the sysctl reader.
    while (std::ranges::count(arg, '"') % 2 == 1 && !words.eof()) {
      std::string more;
      words >> more;
      arg += " " + more;
    }
    constexpr std::string_view kProc = "/proc/sys/";
    if (!arg.starts_with(kProc)) return "sysctl " + arg;  // not a sysctl: reported unknown
    std::string name = arg.substr(kProc.size());
    const auto eq = name.find('=');
    std::ranges::replace(
        name.begin(), eq == std::string::npos ? name.end() : name.begin() + static_cast<long>(eq),
        '/', '.');
    command += " " + name;
  }
  return command;
}

// The part of a line before output redirections and "|| true".
std::string without_plumbing(std::string line) {
  static constexpr std::string_view kTails[] = {"|| true", "2>&1", "2>/dev/null", ">/dev/null",
                                                "> /dev/null"};
  for (bool trimmed = true; trimmed;) {
    trimmed = false;
    line.erase(line.find_last_not_of(' ') + 1);
    for (const std::string_view tail : kTails) {
      if (!line.ends_with(tail)) continue;
      line.resize(line.size() - tail.size());
      trimmed = true;
    }
  }
  return line;
}

// "ip link set dev tun0 gso_max_segs N": the most segments one send-queue
// skb may hold (the matcher sums live segments as TSO packets either way).
bool set_gso_max_segs(const std::string& line, netstack::tcp::Config& config) {
  constexpr std::string_view kCommand = "ip link set dev tun0 gso_max_segs ";
  const std::string command = without_plumbing(line);
  if (!command.starts_with(kCommand)) return false;
  const std::string number = command.substr(kCommand.size());
  if (number.empty() || !std::ranges::all_of(number, [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  config.gso_max_segs = static_cast<uint32_t>(std::max(1UL, std::stoul(number)));
  return true;
}

// `nstat`, `nstat -n` and `nstat | grep NAME`: nullopt when the line is
// none of these; else "" when it ran, or why it cannot run, with `failed`
// set when grep would find nothing.
std::optional<std::string> run_nstat(const std::string& line, CommandHost& host,
                                     std::optional<std::string>* failed) {
  const std::string bare = without_plumbing(line);
  if (bare == "nstat" || bare == "nstat -n") {
    host.nstat().update(host.counters());
    return "";
  }
  constexpr std::string_view kGrep = "nstat | grep ";
  if (!bare.starts_with(kGrep)) return std::nullopt;
  const std::string name = bare.substr(kGrep.size());
  const MibCounters now = host.counters();
  const std::optional<bool> listed = host.nstat().lists(now, name);
  if (!listed) return "nstat counter " + name;
  host.nstat().update(now);
  if (!*listed && failed != nullptr) *failed = "`" + line + "`: " + name + " did not change";
  return "";
}

// `ip link set dev tun0 mtu N`: nullopt when the line is not one.
std::optional<uint32_t> link_mtu_command(const std::string& line) {
  constexpr std::string_view kPrefix = "ip link set dev tun0 mtu ";
  const std::string bare = without_plumbing(line);
  if (!bare.starts_with(kPrefix)) return std::nullopt;
  uint32_t mtu = 0;
  const char* first = bare.data() + kPrefix.size();
  const char* last = bare.data() + bare.size();
  const auto r = std::from_chars(first, last, mtu);
  if (r.ec != std::errc() || r.ptr != last) return std::nullopt;
  return mtu;
}

// `grep " 0A " /proc/net/tcp /proc/net/tcp6 | grep ":1F90"`: whether a
// listener (state 0A) has that local port (hex); nullopt when the line is
// not this query.
std::optional<bool> proc_net_tcp_listener(const std::string& line, const CommandHost& host) {
  constexpr std::string_view kPrefix = R"(grep " 0A " /proc/net/tcp /proc/net/tcp6 | grep ":)";
  const std::string bare = without_plumbing(line);
  if (!bare.starts_with(kPrefix) || !bare.ends_with('"')) return std::nullopt;
  const std::string_view hex =
      std::string_view(bare).substr(kPrefix.size(), bare.size() - kPrefix.size() - 1);
  uint16_t port = 0;
  const auto r = std::from_chars(hex.data(), hex.data() + hex.size(), port, 16);
  if (r.ec != std::errc() || r.ptr != hex.data() + hex.size() || hex.size() != 4) {
    return std::nullopt;
  }
  return host.listening_on(port);
}

}  // namespace

std::optional<std::string> run_script_command(const std::string& command,
                                              const std::string& script_path,
                                              netstack::tcp::Config& config, CommandHost* host,
                                              std::optional<std::string>* failed) {
  // Shell line continuations join their lines.
  std::string joined = command;
  for (size_t at = joined.find("\\\n"); at != std::string::npos; at = joined.find("\\\n", at)) {
    joined.replace(at, 2, " ");
  }
  std::istringstream lines(joined);
  std::string line;
  while (std::getline(lines, line)) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    line = line.substr(first);
    if (line.starts_with("#")) continue;
    if (line.ends_with("defaults.sh")) {
      // The baseline profile: sysctls the stack has knobs for are applied;
      // the rest describe Linux features outside this stack's model.
      auto text = read_defaults(script_path, line);
      if (!text) return "cannot read " + line;
      apply_sysctl_script(*text, config);
      std::istringstream profile(*text);
      for (std::string profile_line; std::getline(profile, profile_line);) {
        set_gso_max_segs(profile_line, config);
      }
      continue;
    }
    if (auto sysctl = as_sysctl_command(line)) line = *sysctl;
    if (line.starts_with("sysctl")) {
      std::vector<std::string> unknown = apply_sysctl_script(line, config);
      if (!unknown.empty()) return "sysctl " + unknown.front();
      continue;
    }
    if (set_gso_max_segs(line, config)) continue;
    if (is_harmless_plumbing(line)) continue;
    if (host != nullptr) {
      if (is_metrics_flush(line)) {
        host->flush_metrics();
        continue;
      }
      if (host->files().run_command(without_plumbing(line))) continue;
      if (auto nstat = run_nstat(line, *host, failed)) {
        if (!nstat->empty()) return nstat;
        if (failed != nullptr && *failed) return std::nullopt;
        continue;
      }
      if (auto listed = proc_net_tcp_listener(line, *host)) {
        if (!*listed) {
          if (failed != nullptr) *failed = "`" + line + "`: no such listener";
          return std::nullopt;
        }
        continue;
      }
      if (auto mtu = link_mtu_command(line)) {
        // Linux dev_set_mtu(): IPv4 needs 68 bytes, IPv6 1280 (not checked here).
        if (*mtu < 68) {
          if (failed != nullptr) *failed = "`" + line + "`: MTU below 68";
          return std::nullopt;
        }
        host->set_link_mtu(*mtu);
        continue;
      }
    }
    return "shell command `" + line + "`";
  }
  return std::nullopt;
}

bool is_metrics_flush(const std::string& line) {
  const std::string command = without_plumbing(line);
  return command == "ip tcp_metrics flush" || command == "ip tcp_metrics flush all";
}

bool is_harmless_plumbing(std::string line) {
  line = without_plumbing(std::move(line));
  static constexpr std::string_view kHarmless[] = {
      "tc qdisc add dev tun0 root pfifo",
      "tc qdisc replace dev tun0 root pfifo",
      "ip link set dev tun0 gso_max_segs 1",
      "ethtool -K tun0 tso off gso off",
  };
  // set_sysctls.py's restore script: every run starts from a fresh stack.
  if (line.starts_with("/tmp/sysctl_restore_") && line.ends_with(".sh")) return true;
  return std::ranges::find(kHarmless, std::string_view(line)) != std::end(kHarmless);
}

}  // namespace tcpfuzz::scenario
