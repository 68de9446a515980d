// The one-frame targets: header_fuzzer (an IPv4/IPv6 + TCP frame) and
// options_fuzzer (a TCP option space).
#pragma once

#include <cstdint>
#include <ostream>
#include <span>

#include "fuzz/harness/targets.h"

namespace tcpfuzz::harness {

void run_header_input(std::span<const uint8_t> input);
void replay_header_input(std::span<const uint8_t> input, const ReplayOptions& options,
                         std::ostream& out);

void run_options_input(std::span<const uint8_t> input);
void replay_options_input(std::span<const uint8_t> input, const ReplayOptions& options,
                          std::ostream& out);

}  // namespace tcpfuzz::harness
