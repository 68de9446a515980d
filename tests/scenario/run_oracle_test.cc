// The reference oracle as the fuzz targets, `tcpfuzz run --oracle` and the
// property suites hook it into a runner: it must see the stack's events
// (socket calls, transitions) as well as the wire, alone or beside another
// tracer.
#include "fuzz/harness/run_oracle.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "fuzz/scenario/binary_runner.h"
#include "fuzz/scenario/trace_log.h"

namespace tcpfuzz::harness {
namespace {

using scenario::AdvanceClock;
using scenario::BinaryRunner;
using scenario::CallOp;
using scenario::SocketCall;

// A connect() closed while its SYN is on the wire: the connection is gone,
// so no retransmission is owed. An oracle blind to the stack's events would
// report the SYN never retransmitted.
void run_closed_connect(RunOracle& oracle) {
  BinaryRunner runner(oracle.options({}));
  runner.run({SocketCall{CallOp::kConnect, 0}, SocketCall{CallOp::kClose, 0}, AdvanceClock{60000}});
  oracle.finish(runner.clock().now());
}

TEST(RunOracle, AloneItSeesTheStacksEvents) {
  std::optional<std::string> report;
  RunOracle oracle(/*enabled=*/true, nullptr, [&](const std::string& r) { report = r; });
  ASSERT_NE(oracle.tracer(), nullptr);
  run_closed_connect(oracle);
  EXPECT_FALSE(report.has_value()) << *report;
}

TEST(RunOracle, BesideAnotherTracerBothSeeTheEvents) {
  std::optional<std::string> report;
  scenario::TraceLog trace(/*keep_all=*/true);
  RunOracle oracle(/*enabled=*/true, &trace, [&](const std::string& r) { report = r; });
  run_closed_connect(oracle);
  EXPECT_FALSE(report.has_value()) << *report;
  EXPECT_FALSE(trace.lines().empty());
}

TEST(RunOracle, OffItLeavesTheRunnerTheOtherTracerOnly) {
  scenario::TraceLog trace(/*keep_all=*/true);
  RunOracle oracle(/*enabled=*/false, &trace);
  EXPECT_EQ(oracle.tracer(), &trace);
  EXPECT_EQ(oracle.tap(), nullptr);
}

}  // namespace
}  // namespace tcpfuzz::harness
