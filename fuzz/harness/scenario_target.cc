#include "fuzz/harness/scenario_target.h"

#include "fuzz/harness/run_oracle.h"
#include "fuzz/harness/state_feedback.h"
#include "fuzz/scenario/binary_runner.h"

namespace tcpfuzz::harness {

void run_scenario_input(std::span<const uint8_t> input) {
  // One runner and one oracle for the whole process, reset before each
  // input: cheaper than building the testbed, its host, link and peer (and
  // the oracle's containers) for every input.
  static StateFeedback feedback;
  static RunOracle oracle(oracle::oracle_enabled(), &feedback);
  static scenario::BinaryRunner runner(oracle.options({}));
  runner.reset();
  oracle.reset();
  runner.run(scenario::decode_binary(input));
  oracle.finish(runner.clock().now());
}

}  // namespace tcpfuzz::harness
