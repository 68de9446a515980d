// The tools' side of each target (`tcpfuzz replay`, `tcpfuzz export`), kept
// apart from the run functions so the fuzz binaries link none of it: code a
// fuzzer links is instrumented, and libFuzzer scans every instrumented
// counter after each input.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "fuzz/harness/targets.h"

namespace tcpfuzz::harness {

// "60 bytes\n  IPv4 a > b proto 6\n  TCP 48000 > 8080 S. 1:1(0) ack 1 win 5 <...>"
std::string describe_frame(std::span<const uint8_t> frame);

void replay_header_input(std::span<const uint8_t> input, const ReplayOptions& options,
                         std::ostream& out);
void replay_options_input(std::span<const uint8_t> input, const ReplayOptions& options,
                          std::ostream& out);
void replay_pair_input(std::span<const uint8_t> input, const ReplayOptions& options,
                       std::ostream& out);
void observe_pair_input(std::span<const uint8_t> input, netstack::tcp::Tracer& tracer);
void replay_segment_input(std::span<const uint8_t> input, const ReplayOptions& options,
                          std::ostream& out);
void replay_scenario_input(std::span<const uint8_t> input, const ReplayOptions& options,
                           std::ostream& out);

void observe_scenario_input(std::span<const uint8_t> input, netstack::tcp::Tracer& tracer);

// The run as a script, checked to parse back and replay on the script runner
// (see ExportedScript). `also` sees every TCP event of both runs; both run
// in child processes, so it can only act there (tests plant crashes with it).
netstack::Expected<ExportedScript, std::string> scenario_input_as_script(
    std::span<const uint8_t> input, std::string_view comment,
    netstack::tcp::Tracer* also = nullptr);

}  // namespace tcpfuzz::harness
