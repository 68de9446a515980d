// tcpfuzz export: every scenario_fuzzer input becomes a script that the
// script runner replays (same calls and results, same packets at the same
// times), for the seeds, the regressions and arbitrary bytes.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "fuzz/harness/replay.h"
#include "fuzz/scenario/binary_scenario.h"
#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/runner.h"

namespace tcpfuzz::harness {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> inputs_under(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Export, EverySeedAndRegressionReplaysAsAScript) {
  const fs::path corpus = fs::path(TCPFUZZ_SOURCE_DIR) / "corpus";
  std::vector<fs::path> inputs = inputs_under(corpus / "scenario_fuzzer");
  for (const auto& p : inputs_under(corpus / "regressions" / "scenario_fuzzer"))
    inputs.push_back(p);
  ASSERT_GE(inputs.size(), 15u);
  for (const fs::path& p : inputs) {
    auto script = scenario_input_as_script(read_bytes(p), "test");
    ASSERT_TRUE(script.has_value()) << p << ": " << script.error();
    // Independently of the exporter's own check: parse and run it again.
    auto parsed = scenario::parse_script(*script, p.string());
    ASSERT_TRUE(parsed.has_value()) << p;
    EXPECT_EQ(scenario::run_scenario(*parsed, {}).status, scenario::RunResult::Status::kPass)
        << p << "\n"
        << *script;
  }
}

TEST(Export, ScriptStatesTheHandshakeInPacketdrillNumbers) {
  using namespace scenario;
  // connect, then the peer answers SYN-ACK with seq 1000 and acks the SYN.
  const std::vector<BinaryEvent> events{
      SocketCall{CallOp::kConnect, 0},
      InjectSegment{.flags = 0x12, .seq_delta = 0, .ack_delta = 0, .window = 1000},
      InjectSegment{.flags = 0x10, .seq_delta = 0, .ack_delta = 0, .window = 1000},
  };
  auto script = scenario_input_as_script(encode_binary(events), "");
  ASSERT_TRUE(script.has_value()) << script.error();
  // The stack's ISN is 0 in script space; the peer's non-SYN numbers count
  // from the ISN its SYN-ACK gave (packetdrill's mapping).
  EXPECT_NE(script->find("> S 0:0(0) win 64240 <mss 1460,sackOK,TS val"), std::string::npos)
      << *script;
  EXPECT_NE(script->find("+0 < S. 1000:1000(0) ack 1 win 1000\n"), std::string::npos) << *script;
  EXPECT_NE(script->find("+0 < . 1:1(0) ack 1 win 1000\n"), std::string::npos) << *script;
}

RC_GTEST_PROP(ExportProps, AnyInputExportsToAScriptThatReplays,
              (const std::vector<uint8_t>& bytes)) {
  auto script = scenario_input_as_script(bytes, "");
  RC_ASSERT(script.has_value());
}

}  // namespace
}  // namespace tcpfuzz::harness
