// Shell lines of a script: sysctls applied, plumbing passed over, the rest
// unsupported.
#include "fuzz/scenario/script_commands.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace tcpfuzz::scenario {
namespace {

namespace fs = std::filesystem;

TEST(ScriptCommands, SysctlsTheStackKnowsAreApplied) {
  netstack::tcp::Config config;
  config.sack = true;
  EXPECT_EQ(run_script_command("sysctl -q net.ipv4.tcp_sack=0", "t.pkt", config), std::nullopt);
  EXPECT_FALSE(config.sack);
  EXPECT_EQ(run_script_command("sysctl -q net.ipv4.tcp_frobnicate=1", "t.pkt", config),
            "sysctl net.ipv4.tcp_frobnicate=1");
}

TEST(ScriptCommands, SetSysctlsPyWritesAreSysctls) {
  netstack::tcp::Config config;
  config.timestamps = true;
  EXPECT_EQ(run_script_command("../common/set_sysctls.py /proc/sys/net/ipv4/tcp_timestamps=0 \\\n"
                               "  /proc/sys/net/ipv4/tcp_wmem=\"4096 50000 4194304\"",
                               "t.pkt", config),
            std::nullopt);
  EXPECT_FALSE(config.timestamps);
  EXPECT_EQ(config.wmem_default, 50000u);
  EXPECT_EQ(
      run_script_command("./set_sysctls.py /proc/sys/net/ipv4/tcp_frobnicate=1", "t.pkt", config),
      "sysctl net.ipv4.tcp_frobnicate=1");
  // Its restore script has nothing to undo in a fresh stack.
  EXPECT_EQ(run_script_command("/tmp/sysctl_restore_${PPID}.sh", "t.pkt", config), std::nullopt);
}

TEST(ScriptCommands, PlumbingIsPassedOverAndOtherCommandsAreNot) {
  netstack::tcp::Config config;
  EXPECT_EQ(run_script_command("  # a comment\n"
                               "tc qdisc replace dev tun0 root pfifo\n",
                               "t.pkt", config),
            std::nullopt);
  EXPECT_EQ(run_script_command("tc qdisc add dev tun0 root netem delay 10ms", "t.pkt", config),
            "shell command `tc qdisc add dev tun0 root netem delay 10ms`");
}

// Counters and a link the commands can reach, as the runner offers them.
class FakeHost final : public CommandHost {
 public:
  MibCounters counters() const override { return values; }
  Nstat& nstat() override { return history; }
  void set_link_mtu(uint32_t m) override { mtu = m; }
  bool listening_on(uint16_t port) const override { return port == 8080; }
  void flush_metrics() override { ++flushes; }
  EmulatedFiles& files() override { return made; }

  MibCounters values{{"TcpExtOutOfWindowIcmps", 0}};
  Nstat history;
  uint32_t mtu = 0;
  int flushes = 0;
  EmulatedFiles made;
};

TEST(ScriptCommands, MetricsFlushForgetsWhatTheStackLearnt) {
  netstack::tcp::Config config;
  FakeHost host;
  EXPECT_EQ(run_script_command("ip tcp_metrics flush all > /dev/null 2>&1 || true\n"
                               "ip tcp_metrics flush\n",
                               "t.pkt", config, &host),
            std::nullopt);
  EXPECT_EQ(host.flushes, 2);
  // With no stack to flush, the command cannot run.
  EXPECT_EQ(run_script_command("ip tcp_metrics flush", "t.pkt", config),
            "shell command `ip tcp_metrics flush`");
  EXPECT_TRUE(is_metrics_flush("ip tcp_metrics flush || true >/dev/null  "));
  EXPECT_FALSE(is_metrics_flush("ip tcp_metrics flush && reboot"));
}

TEST(ScriptCommands, HarmlessPlumbingIgnoresRedirectionsInAnyOrder) {
  EXPECT_TRUE(is_harmless_plumbing("ethtool -K tun0 tso off gso off"));
  EXPECT_TRUE(is_harmless_plumbing("ip link set dev tun0 gso_max_segs 1 2>/dev/null || true"));
  EXPECT_FALSE(is_harmless_plumbing("ip link set dev tun0 gso_max_segs 1 && reboot"));
}

TEST(ScriptCommands, DefaultsShIsFollowedAndApplied) {
  const fs::path dir = fs::path(::testing::TempDir()) / "script_commands_test";
  fs::create_directories(dir / "common");
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "defaults.sh") << "common/real_defaults.sh\n";
  std::ofstream(dir / "common" / "real_defaults.sh")
      << "#!/bin/bash\nsysctl -q net.ipv4.tcp_sack=0\nsysctl -q net.ipv4.tcp_unmodelled=1\n";
  netstack::tcp::Config config;
  config.sack = true;
  const std::string script = (dir / "t.pkt").string();
  // Sysctls outside the stack's model in the profile are not a reason to skip.
  EXPECT_EQ(run_script_command("../defaults.sh", (dir / "sub" / "t.pkt").string(), config),
            std::nullopt);
  EXPECT_FALSE(config.sack);
  EXPECT_EQ(run_script_command("missing/defaults.sh", script, config),
            "cannot read missing/defaults.sh");
  fs::remove_all(dir);
}

TEST(ScriptCommandsHost, NstatGrepSucceedsOnlyForACounterThatChanged) {
  netstack::tcp::Config config;
  FakeHost host;
  std::optional<std::string> failed;
  EXPECT_EQ(run_script_command("nstat > /dev/null", "t.pkt", config, &host, &failed), std::nullopt);
  EXPECT_EQ(run_script_command("nstat | grep TcpExtOutOfWindowIcmps > /dev/null", "t.pkt", config,
                               &host, &failed),
            std::nullopt);
  EXPECT_TRUE(failed.has_value());  // grep found nothing: the script fails
  failed.reset();
  host.values["TcpExtOutOfWindowIcmps"] = 1;
  EXPECT_EQ(
      run_script_command("nstat | grep TcpExtOutOfWindowIcmps", "t.pkt", config, &host, &failed),
      std::nullopt);
  EXPECT_FALSE(failed.has_value());
  EXPECT_EQ(run_script_command("nstat | grep TcpExtNoSuchThing", "t.pkt", config, &host, &failed),
            "nstat counter TcpExtNoSuchThing");
}

TEST(ScriptCommandsHost, LinkMtuAndListenerQueries) {
  netstack::tcp::Config config;
  FakeHost host;
  std::optional<std::string> failed;
  EXPECT_EQ(run_script_command("ip link set dev tun0 mtu 1000", "t.pkt", config, &host, &failed),
            std::nullopt);
  EXPECT_EQ(host.mtu, 1000u);
  EXPECT_EQ(run_script_command(R"(grep " 0A " /proc/net/tcp /proc/net/tcp6 | grep ":1F90")",
                               "t.pkt", config, &host, &failed),
            std::nullopt);
  EXPECT_FALSE(failed.has_value());
  EXPECT_EQ(run_script_command(R"(grep " 0A " /proc/net/tcp /proc/net/tcp6 | grep ":1F91")",
                               "t.pkt", config, &host, &failed),
            std::nullopt);
  EXPECT_TRUE(failed.has_value());
  // Without a host these commands cannot run.
  EXPECT_EQ(run_script_command("ip link set dev tun0 mtu 1000", "t.pkt", config),
            "shell command `ip link set dev tun0 mtu 1000`");
}

TEST(ScriptCommandsHost, TsoSysctlsAndEcnAreAccepted) {
  netstack::tcp::Config config;
  EXPECT_EQ(run_script_command("sysctl -q net.ipv4.tcp_tso_win_divisor=3", "t.pkt", config),
            std::nullopt);
  EXPECT_EQ(run_script_command("sysctl -q net.ipv4.tcp_ecn=1", "t.pkt", config), std::nullopt);
  EXPECT_EQ(config.ecn, 1u);
  EXPECT_EQ(run_script_command("sysctl -q net.ipv4.tcp_ecn=3", "t.pkt", config),
            "sysctl net.ipv4.tcp_ecn=3");  // AccECN
}

}  // namespace
}  // namespace tcpfuzz::scenario
