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
    Target{"header_fuzzer", "one IPv4/IPv6 + TCP frame: parsers and receive-path checks", true,
           run_header_input, replay_header_input, nullptr, nullptr},
    Target{"options_fuzzer", "one TCP option space: parse/write round trip", false,
           run_options_input, replay_options_input, nullptr, nullptr},
    Target{"pair_fuzzer", "two stacks over faulty links: integrity, liveness and cleanup oracles",
           false, run_pair_input, replay_pair_input, observe_pair_input, nullptr},
    Target{"segment_fuzzer",
           "raw IP packets with delays against a listener and an established connection", true,
           run_segment_input, replay_segment_input, observe_segment_input, nullptr},
    Target{"scenario_fuzzer",
           "binary scenario: calls, clock jumps and segments against a fresh stack", true,
           run_scenario_input, replay_scenario_input, observe_scenario_input,
           scenario_input_as_script},
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
