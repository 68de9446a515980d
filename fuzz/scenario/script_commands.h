// The shell lines of a script (`...` commands): sysctls the stack has knobs
// for are applied to its Config, packetdrill's defaults.sh profile is read
// and applied the same way, and Linux-only plumbing with no meaning for an
// in-process stack is passed over. Anything else makes the script skipped.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "fuzz/scenario/emulated_files.h"
#include "fuzz/scenario/nstat.h"
#include "stack/tcp/config.h"

namespace tcpfuzz::scenario {

// What commands reach besides the sysctls: the stack's counters (`nstat`)
// and its link (`ip link set dev tun0 mtu N`).
class CommandHost {
 public:
  virtual ~CommandHost() = default;
  virtual MibCounters counters() const = 0;
  virtual Nstat& nstat() = 0;
  virtual void set_link_mtu(uint32_t mtu) = 0;
  // A socket in LISTEN has local port `port` (what /proc/net/tcp lists).
  virtual bool listening_on(uint16_t port) const = 0;
  // `ip tcp_metrics flush [all]`: what the stack learnt per destination.
  virtual void flush_metrics() = 0;
  // Where the files the script makes (`dd`, `rm -f`) live.
  virtual EmulatedFiles& files() = 0;
};

// Runs the command block `command` of the script at `script_path`. nullopt
// when it ran; otherwise the construct that cannot run ("sysctl foo",
// "shell command `...`", "cannot read ../defaults.sh"). Without a host,
// `nstat`, `ip link ... mtu`, `ip tcp_metrics flush` and file commands
// cannot run. A command that ran and failed (its
// exit status would be nonzero) sets `*failed`, when given, and stops.
std::optional<std::string> run_script_command(const std::string& command,
                                              const std::string& script_path,
                                              netstack::tcp::Config& config,
                                              CommandHost* host = nullptr,
                                              std::optional<std::string>* failed = nullptr);

// `ip tcp_metrics flush [all]`, with any output redirection.
bool is_metrics_flush(const std::string& line);

// A plain FIFO qdisc, one segment per packet: lines that change nothing
// here. A qdisc that drops or delays (limit, netem, ...)
// changes behaviour, so it is not one of them.
bool is_harmless_plumbing(std::string line);

}  // namespace tcpfuzz::scenario
