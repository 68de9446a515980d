#include "fuzz/scenario/script_commands.h"

#include <algorithm>
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

std::string without_plumbing_tails(std::string line) {
  // Drop trailing "|| true" and output redirections, in any order.
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
  const std::string command = without_plumbing_tails(line);
  if (!command.starts_with(kCommand)) return false;
  const std::string number = command.substr(kCommand.size());
  if (number.empty() || !std::ranges::all_of(number, [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  config.gso_max_segs = static_cast<uint32_t>(std::max(1UL, std::stoul(number)));
  return true;
}

}  // namespace

std::optional<std::string> run_script_command(const std::string& command,
                                              const std::string& script_path,
                                              netstack::tcp::Config& config, EmulatedFiles* files,
                                              const std::function<void()>& flush_metrics) {
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
    if (is_metrics_flush(line)) {
      if (!flush_metrics) return "shell command `" + line + "`";
      flush_metrics();
      continue;
    }
    if (set_gso_max_segs(line, config)) continue;
    if (files != nullptr && files->run_command(without_plumbing_tails(line))) continue;
    if (is_harmless_plumbing(line)) continue;
    return "shell command `" + line + "`";
  }
  return std::nullopt;
}

bool is_metrics_flush(const std::string& line) {
  const std::string command = without_plumbing_tails(line);
  return command == "ip tcp_metrics flush" || command == "ip tcp_metrics flush all";
}

bool is_harmless_plumbing(std::string line) {
  line = without_plumbing_tails(std::move(line));
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
