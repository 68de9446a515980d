#include "fuzz/harness/scenario_target.h"

#include "fuzz/harness/state_feedback.h"
#include "fuzz/scenario/binary_runner.h"

namespace tcpfuzz::harness {

void run_scenario_input(std::span<const uint8_t> input) {
  StateFeedback feedback;
  scenario::BinaryRunner runner({.tracer = &feedback});
  runner.run(scenario::decode_binary(input));
}

}  // namespace tcpfuzz::harness
