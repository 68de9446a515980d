// The shell lines of a script (`...` commands): sysctls the stack has knobs
// for are applied to its Config, packetdrill's defaults.sh profile is read
// and applied the same way, and Linux-only plumbing with no meaning for an
// in-process stack is passed over. Anything else makes the script skipped.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "fuzz/scenario/emulated_files.h"
#include "stack/tcp/config.h"

namespace tcpfuzz::scenario {

// Runs the command block `command` of the script at `script_path`. nullopt
// when it ran; otherwise the construct that cannot run ("sysctl foo",
// "shell command `...`", "cannot read ../defaults.sh").
// Lines that make or remove files go to `files` when there is one; `ip
// tcp_metrics flush [all]` calls `flush_metrics` (without one it is
// reported as a command that cannot run).
std::optional<std::string> run_script_command(const std::string& command,
                                              const std::string& script_path,
                                              netstack::tcp::Config& config,
                                              EmulatedFiles* files = nullptr,
                                              const std::function<void()>& flush_metrics = {});

// `ip tcp_metrics flush [all]`, with any output redirection.
bool is_metrics_flush(const std::string& line);

// A plain FIFO qdisc, one segment per packet: lines that change nothing
// here. A qdisc that drops or delays (limit, netem, ...)
// changes behaviour, so it is not one of them.
bool is_harmless_plumbing(std::string line);

}  // namespace tcpfuzz::scenario
