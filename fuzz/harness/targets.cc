#include "fuzz/harness/targets.h"

#include <array>

#include "fuzz/harness/pair_target.h"
#include "fuzz/harness/replay.h"
#include "fuzz/harness/scenario_target.h"
#include "fuzz/harness/segment_target.h"
#include "fuzz/harness/wire_targets.h"

namespace tcpfuzz::harness {

namespace {

constexpr std::array kTargets{
    Target{.name = "header_fuzzer",
           .summary = "one IPv4/IPv6 + TCP frame: parsers and receive-path checks",
           .writes_pcap = true,
           .run = run_header_input,
           .replay = replay_header_input,
           .observe = nullptr,
           .to_script = nullptr,
           .units = InputUnits::kBytes},
    Target{.name = "options_fuzzer",
           .summary = "one TCP option space: parse/write round trip",
           .writes_pcap = false,
           .run = run_options_input,
           .replay = replay_options_input,
           .observe = nullptr,
           .to_script = nullptr,
           .units = InputUnits::kBytes},
    Target{.name = "pair_fuzzer",
           .summary = "two stacks over faulty links: integrity, liveness and cleanup oracles",
           .writes_pcap = false,
           .run = run_pair_input,
           .replay = replay_pair_input,
           .observe = observe_pair_input,
           .to_script = nullptr,
           .units = InputUnits::kPairOps},
    Target{.name = "segment_fuzzer",
           .summary = "raw IP packets with delays against a listener and an established connection",
           .writes_pcap = true,
           .run = run_segment_input,
           .replay = replay_segment_input,
           .observe = observe_segment_input,
           .to_script = nullptr,
           .units = InputUnits::kSegmentRecords},
    Target{.name = "scenario_fuzzer",
           .summary = "binary scenario: calls, clock jumps and segments against a fresh stack",
           .writes_pcap = true,
           .run = run_scenario_input,
           .replay = replay_scenario_input,
           .observe = observe_scenario_input,
           .to_script = scenario_input_as_script,
           .units = InputUnits::kScenarioEvents},
};

}  // namespace

std::span<const Target> targets() {
  return kTargets;
}

const Target* find_target(std::string_view name) {
  for (const Target& t : kTargets) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::string target_names() {
  std::string s;
  for (const Target& t : kTargets) s += (s.empty() ? "" : ", ") + std::string(t.name);
  return s;
}

}  // namespace tcpfuzz::harness
