// The one-frame targets, as the fuzz entry points run them: header_fuzzer
// (an IPv4/IPv6 + TCP frame) and options_fuzzer (a TCP option space).
#pragma once

#include <cstdint>
#include <span>

#include "stack/stats.h"

namespace tcpfuzz::harness {

void run_header_input(std::span<const uint8_t> input);
void run_options_input(std::span<const uint8_t> input);

// The verdict counters the stack's receive path gives one frame, addressed
// to a NIC that owns the usual test addresses of both families.
netstack::Stats header_verdicts(std::span<const uint8_t> frame);

}  // namespace tcpfuzz::harness
