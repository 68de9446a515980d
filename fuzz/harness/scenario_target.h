// scenario_fuzzer's input: a binary scenario (fuzz/scenario/binary_scenario.h)
// played against a fresh stack by the BinaryRunner.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "fuzz/harness/targets.h"

namespace tcpfuzz::harness {

void run_scenario_input(std::span<const uint8_t> input);
void replay_scenario_input(std::span<const uint8_t> input, const ReplayOptions& options,
                           std::ostream& out);
// The run as a script, checked to parse back and replay on the script runner.
netstack::Expected<std::string, std::string> scenario_input_as_script(
    std::span<const uint8_t> input, std::string_view comment);

}  // namespace tcpfuzz::harness
