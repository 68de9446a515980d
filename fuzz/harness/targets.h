// The fuzz targets as a library: what each one does with an input, so the
// libFuzzer/AFL++ entry points (fuzz/targets/*.cc) and the tcpfuzz tools
// (replay, export, ...) run the very same code.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "stack/link/packet_recorder.h"
#include "stack/tcp/trace.h"
#include "stack/util/expected.h"

namespace tcpfuzz::harness {

struct ReplayOptions {
  netstack::PacketRecorder* pcap = nullptr;  // the packets exchanged (nullptr: none)
};

// A scenario-based input written as a script.
struct ExportedScript {
  std::string text;
  // How the input crashes the stack, when it does ("signal 6 (Aborted) in
  // event 7: inject ..."): the script then ends where the run died, and
  // running it reproduces the crash.
  std::optional<std::string> crash;
};

// What an input is made of, for the minimiser (fuzz/minimize/input_shape.h):
// the units it drops and simplifies one at a time.
enum class InputUnits : uint8_t {
  kBytes,           // plain bytes
  kScenarioEvents,  // binary scenario events (fuzz/scenario/binary_scenario.h)
  kPairOps,         // a fault plan, then 2-byte operations (pair_target.h)
  kSegmentRecords,  // records of flags, delay and packet (segment_target.h)
};

// One fuzz target. This registry is the only list of them: the tcpfuzz
// commands, ci/fuzz.sh and ci/oss-fuzz/build.sh (through `tcpfuzz
// targets`) and the minimiser all read it.
struct Target {
  std::string_view name;
  std::string_view summary;
  // Whether replay writes the packets exchanged to ReplayOptions::pcap.
  bool writes_pcap;
  // One input, exactly as the fuzz target runs it: a finding aborts.
  void (*run)(std::span<const uint8_t> input);
  // Prints the input decoded, then runs it with the full trace.
  void (*replay)(std::span<const uint8_t> input, const ReplayOptions& options, std::ostream& out);
  // Stateful targets: runs the input with `tracer` seeing every TCP event
  // (nullptr for the others).
  void (*observe)(std::span<const uint8_t> input, netstack::tcp::Tracer& tracer);
  // Scenario-based targets: the run written as a script that replays it,
  // `comment` on top (nullptr for the others).
  netstack::Expected<ExportedScript, std::string> (*to_script)(std::span<const uint8_t> input,
                                                               std::string_view comment,
                                                               netstack::tcp::Tracer* also);
  InputUnits units;
};

std::span<const Target> targets();
const Target* find_target(std::string_view name);
// "header_fuzzer, options_fuzzer, ..." for error messages.
std::string target_names();

}  // namespace tcpfuzz::harness
