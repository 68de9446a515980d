// Runs a packetdrill-dialect Scenario against a fresh stack on a FakeClock,
// with the test playing the remote peer, following real packetdrill's
// semantics (see the mapping, matching and timing rules in runner.cc).
// Deterministic: no wall clock, no root, no TUN.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/scenario/scenario.h"
#include "stack/link/packet_recorder.h"
#include "stack/tcp/config.h"
#include "stack/tcp/trace.h"

namespace tcpfuzz::scenario {

struct RunOptions {
  netstack::tcp::Config config;  // the linux profile by default
  uint64_t seed = 1;
  // Record every packet exchanged (nullptr: none).
  netstack::PacketRecorder* pcap = nullptr;
  // Keep a human-readable trace of transitions, timers and packets.
  bool trace = false;
  // Also sees every TCP event (nullptr: none).
  netstack::tcp::Tracer* tracer = nullptr;
  // Compare the window field of outbound packets. Off for scripts taken
  // from captures: Linux's window follows the receive path's buffer sizes
  // (skb truesize), which differ between a capture's devices and ours.
  bool compare_windows = true;
  // Keep the run as it happened (RunResult::recorded).
  bool record = false;
  // Outbound lines are ignored and call results and return times are not
  // checked: the run is whatever the stack does with the inbound lines and
  // calls at their times. `tcpfuzz diff` replays variations of a recorded
  // run this way while it minimises a disagreement.
  bool record_only = false;
};

// A packet the stack sent that no script line can state exactly:
// packetdrill numbers outbound segments from the first ISN, so no line
// means a RST's live sequence number 0, nor a second ISN taken from the
// clock.
struct Unscriptable {
  std::string what;  // "a RST with sequence number 0, ..."
  size_t event = 0;  // where it stands in RunResult::recorded
};

struct RunResult {
  enum class Status : uint8_t { kPass, kFail, kSkip };
  Status status = Status::kPass;
  // For kFail: "line N: what was expected / what happened"; for kSkip:
  // "unsupported: <construct> at file:line".
  std::string message;
  int line = 0;
  // The last events before the end (all of them when RunOptions::trace).
  std::vector<std::string> trace;
  // With RunOptions::record, the run in absolute script time as far as it
  // went: every packet the stack sent to the scripted peer (TSval live), the
  // inbound lines (TSecr as the live TSval it named), each call with the
  // result it had, the commands and %{ }% blocks. Written out, it replays
  // the same run here and asks Linux the same questions.
  Scenario recorded;
  // The first packet `recorded` cannot state, if any.
  std::optional<Unscriptable> unscriptable;
  // The fake clock when the run stopped.
  netstack::Instant ended_at;
};

RunResult run_scenario(const Scenario& scenario, const RunOptions& options);

// Reads and parses `path`, then runs it. Parse errors come back as kFail
// with "path:line:col: message".
RunResult run_script_file(const std::string& path, const RunOptions& options);

}  // namespace tcpfuzz::scenario
