#include "fuzz/diff/kernel_oracle.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "fuzz/diff/process.h"

namespace tcpfuzz::diff {

netstack::Expected<std::string, std::string> find_packetdrill(const std::string& flag) {
  std::string path = flag;
  std::string from = "--packetdrill";
  if (path.empty()) {
    const char* env = std::getenv("TCPFUZZ_PACKETDRILL");
    if (env != nullptr && *env != '\0') {
      path = env;
      from = "TCPFUZZ_PACKETDRILL";
    }
  }
  if (path.empty()) {
    return netstack::Unexpected{
        std::string("no packetdrill binary: pass --packetdrill PATH or set TCPFUZZ_PACKETDRILL "
                    "(build one from github.com/google/packetdrill, gtests/net/packetdrill: "
                    "./configure && make; in this repository ../shared/packetdrill/linux.sh --path "
                    "builds it and prints its path)")};
  }
  if (access(path.c_str(), X_OK) != 0) {
    return netstack::Unexpected{from + ": " + path + " is not an executable file"};
  }
  return std::filesystem::absolute(path).string();
}

std::optional<std::string> kernel_unavailable() {
  if (geteuid() != 0) return "not root: packetdrill needs root to create its tun device";
  const ProcessOutcome probe = run_process({"unshare", "-n", "true"}, "", 10);
  if (!probe.started || probe.exit_code != 0) {
    return "cannot create a network namespace (unshare -n failed: " + probe.output + ")";
  }
  return std::nullopt;
}

KernelRun run_on_kernel(const std::string& packetdrill, const std::string& script, bool ipv6,
                        int tolerance_usecs, double timeout_seconds) {
  namespace fs = std::filesystem;
  const fs::path file = fs::absolute(script);
  // packetdrill's usual addresses (its own defaults and the google scripts');
  // the script's own --flags lines override them.
  std::vector<std::string> argv = {
      "unshare",         "-n", "sh", "-c", "ip link set lo up && exec \"$@\"", "sh", packetdrill,
      "--send_omit_free"};
  if (ipv6) {
    argv.insert(argv.end(),
                {"--ip_version=ipv6", "--mtu=1520", "--local_ip=fd3d:0a0b:17d6::1",
                 "--gateway_ip=fd3d:0a0b:17d6:8888::1", "--remote_ip=fd3d:fa7b:d17d::1"});
  } else {
    argv.insert(argv.end(),
                {"--ip_version=ipv4", "--local_ip=192.168.0.1", "--gateway_ip=192.168.0.1",
                 "--netmask_ip=255.255.0.0", "--remote_ip=192.0.2.1"});
  }
  argv.push_back("--tolerance_usecs=" + std::to_string(tolerance_usecs));
  argv.push_back(file.filename().string());
  const ProcessOutcome run = run_process(argv, file.parent_path().string(), timeout_seconds);
  KernelRun out;
  out.timed_out = run.timed_out;
  out.passed = run.started && !run.timed_out && run.exit_code == 0;
  out.output = run.output;
  return out;
}

}  // namespace tcpfuzz::diff
