// Runs an external program to completion with a time limit and keeps what
// it printed: how `tcpfuzz diff` drives the real packetdrill binary.
#pragma once

#include <string>
#include <vector>

namespace tcpfuzz::diff {

struct ProcessOutcome {
  bool started = false;    // false: fork or exec failed (see output)
  bool timed_out = false;  // killed at the time limit
  int exit_code = -1;      // the exit status; -1 when killed by a signal
  std::string output;      // stdout and stderr, interleaved as written
};

// Runs argv[0] (searched in PATH) with `argv` in `directory`, in a process
// group of its own so that a timeout kills everything it started.
ProcessOutcome run_process(const std::vector<std::string>& argv, const std::string& directory,
                           double timeout_seconds);

}  // namespace tcpfuzz::diff
