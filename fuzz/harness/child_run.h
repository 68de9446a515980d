// Runs a piece of work in a forked child, so the tools can show what an
// input did up to the moment it crashed the stack: the child streams its
// output through a pipe as it goes, and the parent keeps whatever arrived,
// and the child's sanitizer report when asked to.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace tcpfuzz::harness {

// What the tools give one input in a child before calling it a hang.
inline constexpr unsigned kToolTimeoutSeconds = 60;

struct ChildOptions {
  // Keep the child's stderr (sanitizer reports); otherwise it is discarded.
  bool capture_stderr = false;
  // Kill the child after this many seconds (0: never); it counts as a crash
  // with ChildOutcome::timed_out.
  unsigned timeout_seconds = 0;
};

struct ChildOutcome {
  bool crashed = false;    // the child did not return from `work`
  bool timed_out = false;  // ... because it ran out of time
  std::string how;         // "exit status 1", "signal 6 (Aborted)"; empty if not crashed
  std::string output;      // every byte the child wrote to its pipe
  std::string report;      // its stderr, with ChildOptions::capture_stderr
};

// Calls work(fd) in a child whose stdout goes to /dev/null; `fd` is the write
// end of the pipe the parent reads. A child that returns from `work` (and
// passes LeakSanitizer's check, in builds that have it) exits 0; anything
// else (sanitizer report, abort, signal, timeout) is a crash. An abort()
// prints a stack trace first, in sanitizer builds.
ChildOutcome run_in_child(const std::function<void(int fd)>& work,
                          const ChildOptions& options = {});

// Writes all of `text` to fd (retrying short writes); false on error.
bool write_all(int fd, std::string_view text);

}  // namespace tcpfuzz::harness
