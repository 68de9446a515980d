// scenario_fuzzer's input, as the fuzz entry point runs it: a binary
// scenario (fuzz/scenario/binary_scenario.h) played against a fresh stack by
// the BinaryRunner (one per process, reset before each input).
#pragma once

#include <cstdint>
#include <span>

namespace tcpfuzz::harness {

void run_scenario_input(std::span<const uint8_t> input);

}  // namespace tcpfuzz::harness
