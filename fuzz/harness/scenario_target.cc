#include "fuzz/harness/scenario_target.h"

#include "fuzz/harness/run_oracle.h"
#include "fuzz/harness/state_feedback.h"
#include "fuzz/scenario/binary_runner.h"

namespace tcpfuzz::harness {

void run_scenario_input(std::span<const uint8_t> input) {
  StateFeedback feedback;
  RunOracle oracle(&feedback);
  scenario::BinaryRunner runner(oracle.options({}));
  runner.run(scenario::decode_binary(input));
  oracle.finish();
}

}  // namespace tcpfuzz::harness
