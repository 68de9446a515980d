#include "fuzz/harness/scenario_target.h"

#include "fuzz/scenario/binary_runner.h"

namespace tcpfuzz::harness {

void run_scenario_input(std::span<const uint8_t> input) {
  scenario::BinaryRunner runner;
  runner.run(scenario::decode_binary(input));
}

}  // namespace tcpfuzz::harness
