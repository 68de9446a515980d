// write_linux_script: a recorded run written for packetdrill on Linux keeps
// its meaning there. packetdrill times a relative event from when the one
// before it ended, but a stated SCM_TIMESTAMPING time from the script's
// start, so the leading commands' real time must not slide the one against
// the other.
#include "fuzz/scenario/linux_script.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/runner.h"

namespace tcpfuzz::scenario {
namespace {

namespace fs = std::filesystem;

Scenario recorded_run(const fs::path& script) {
  std::ifstream in(script);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto parsed = parse_script(text, script.string());
  EXPECT_TRUE(parsed.has_value()) << script;
  if (!parsed) return {};
  parsed->path = script.string();
  RunOptions options;
  options.record = true;
  RunResult run = run_scenario(*parsed, options);
  EXPECT_EQ(run.status, RunResult::Status::kPass) << run.message;
  return std::move(run.recorded);
}

const fs::path kScripts = fs::path(TCPFUZZ_SOURCE_DIR) / "corpus" / "scripts";

TEST(LinuxScript, StatedTimestampsAndTheFirstCallMoveTogether) {
  const std::string text =
      write_linux_script(recorded_run(kScripts / "socket" / "timestamping-tx.pkt"), "test");
  // The first call is absolute, after the commands' settling time; the ACK
  // stamp (0.2 s into the source script) moves by the same amount.
  EXPECT_NE(text.find("\n0.5 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("scm_sec=0, scm_nsec=700000000"), std::string::npos) << text;
  EXPECT_EQ(text.find("scm_nsec=200000000"), std::string::npos) << text;
  // What it says still holds on our stack.
  // (Its defaults.sh line is relative to the source script.)
  auto written = parse_script(text, (kScripts / "socket" / "written.pkt").string());
  ASSERT_TRUE(written.has_value()) << text;
  const RunResult replay = run_scenario(*written, {});
  EXPECT_EQ(replay.status, RunResult::Status::kPass) << replay.message;
}

TEST(LinuxScript, EverySocketChoosesTheStacksCongestionControl) {
  // The host's default may be another algorithm (BBR), which a namespace
  // cannot override by sysctl; each socket sets ours, once.
  netstack::tcp::Config reno;
  reno.congestion_control = netstack::tcp::CongestionAlgorithm::kReno;
  const std::string text = write_linux_script(
      recorded_run(kScripts / "handshake" / "passive-no-options.pkt"), "test", reno);
  const std::string choice =
      "+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "+0 setsockopt(3, SOL_TCP, TCP_CONGESTION, \"reno\", 4) = 0\n";
  const size_t at = text.find(choice);
  EXPECT_NE(at, std::string::npos) << text;
  EXPECT_EQ(text.find("TCP_CONGESTION", at + choice.size()), std::string::npos) << text;
  // Written again from its own record, it gains no second choice.
  auto written = parse_script(text, (kScripts / "handshake" / "written.pkt").string());
  ASSERT_TRUE(written.has_value()) << text;
  RunOptions options;
  options.record = true;
  RunResult replay = run_scenario(*written, options);
  ASSERT_EQ(replay.status, RunResult::Status::kPass) << replay.message;
  const std::string again = write_linux_script(std::move(replay.recorded), "test", reno);
  const size_t first = again.find("TCP_CONGESTION");
  ASSERT_NE(first, std::string::npos) << again;
  EXPECT_EQ(again.find("TCP_CONGESTION", first + 1), std::string::npos) << again;
}

TEST(LinuxScript, WithoutStatedTimestampsEveryEventIsRelative) {
  const std::string text =
      write_linux_script(recorded_run(kScripts / "handshake" / "passive-no-options.pkt"), "test");
  EXPECT_NE(text.find("\n+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace tcpfuzz::scenario
