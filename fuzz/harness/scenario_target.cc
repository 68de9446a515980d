#include "fuzz/harness/scenario_target.h"

#include "fuzz/harness/state_feedback.h"
#include "fuzz/scenario/binary_runner.h"

namespace tcpfuzz::harness {

void run_scenario_input(std::span<const uint8_t> input) {
  // One runner for the whole process, reset before each input: cheaper
  // than building the testbed, its host, link and peer for every input.
  static StateFeedback feedback;
  static scenario::BinaryRunner runner({.tracer = &feedback});
  runner.reset();
  runner.run(scenario::decode_binary(input));
}

}  // namespace tcpfuzz::harness
