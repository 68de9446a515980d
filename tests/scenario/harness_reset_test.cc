// What segment_fuzzer and pair_fuzzer rely on when they keep one world per
// process: restarted (reset, not rebuilt) before an input, it plays the
// input exactly as a world built for it would, whatever ran before. The
// scenario_fuzzer's runner has the same test in binary_scenario_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fuzz/cli/input_file.h"
#include "fuzz/harness/pair_target.h"
#include "fuzz/harness/segment_target.h"
#include "fuzz/scenario/binary_runner.h"
#include "fuzz/scenario/trace_log.h"

namespace tcpfuzz::harness {
namespace {

std::vector<std::vector<uint8_t>> seeds_of(const std::string& target) {
  const auto files =
      cli::collect_files({std::string(TCPFUZZ_SOURCE_DIR) + "/corpus/" + target}, "");
  EXPECT_TRUE(files.has_value());
  std::vector<std::vector<uint8_t>> seeds;
  for (const std::string& file : files.value_or(std::vector<std::string>{})) {
    seeds.push_back(cli::read_input(file).value_or(std::vector<uint8_t>{}));
  }
  return seeds;
}

// The lines `trace` gained since it held `before` of them.
std::vector<std::string> lines_since(const scenario::TraceLog& trace, size_t before) {
  const std::vector<std::string> all = trace.lines();
  return {all.begin() + static_cast<ptrdiff_t>(before), all.end()};
}

TEST(HarnessReset, AResetSegmentRunnerPlaysEveryInputAsAFreshOne) {
  const std::vector<std::vector<uint8_t>> seeds = seeds_of("segment_fuzzer");
  ASSERT_GE(seeds.size(), 10u);
  std::vector<std::vector<std::string>> fresh;
  for (const auto& seed : seeds) {
    scenario::TraceLog trace(/*keep_all=*/true);
    scenario::BinaryRunner runner({.tracer = &trace});
    play_segments(seed, runner);
    fresh.push_back(trace.lines());
  }

  scenario::TraceLog trace(/*keep_all=*/true);
  scenario::BinaryRunner reused({.tracer = &trace});
  // Every seed after every other one, in reverse order.
  for (size_t i = seeds.size(); i-- > 0;) {
    reused.reset();
    const size_t before = trace.lines().size();
    play_segments(seeds[i], reused);
    ASSERT_FALSE(fresh[i].empty()) << "seed " << i;
    EXPECT_EQ(lines_since(trace, before), fresh[i]) << "seed " << i;
  }
}

TEST(HarnessReset, ARestartedPairRunPlaysEveryInputAsAFreshOne) {
  const std::vector<std::vector<uint8_t>> seeds = seeds_of("pair_fuzzer");
  ASSERT_GE(seeds.size(), 5u);
  std::vector<std::vector<std::string>> fresh_traces;
  std::vector<std::string> fresh_summaries;
  for (const auto& seed : seeds) {
    scenario::TraceLog trace(/*keep_all=*/true);
    std::string summary;
    run_pair(seed, &trace, &summary);
    fresh_traces.push_back(trace.lines());
    fresh_summaries.push_back(summary);
  }

  scenario::TraceLog trace(/*keep_all=*/true);
  // Built with a plan no seed has, so every restart must replace it.
  netstack::FaultPlan other;
  other.drop_ppm = 300'000;
  other.seed = 999;
  PairRun reused(other, &trace);
  reused.apply({PairOp::kClientWrite, 200});
  reused.apply({PairOp::kAdvance, 255});
  for (size_t i = seeds.size(); i-- > 0;) {
    const PairInput decoded = decode_pair(seeds[i]);
    const size_t before = trace.lines().size();
    reused.restart(decoded.plan);
    for (const PairOp& op : decoded.ops) reused.apply(op);
    reused.finish();
    ASSERT_FALSE(fresh_traces[i].empty()) << "seed " << i;
    EXPECT_EQ(lines_since(trace, before), fresh_traces[i]) << "seed " << i;
    // Bytes moved, faults drawn on each link, allocation failures, time.
    EXPECT_EQ(reused.summary(), fresh_summaries[i]) << "seed " << i;
  }
}

}  // namespace
}  // namespace tcpfuzz::harness
