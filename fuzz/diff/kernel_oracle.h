// The Linux kernel as an oracle: a packetdrill script run by the real
// packetdrill binary against the kernel's TCP, in a network namespace of its
// own (so nothing on the host is touched and runs can go in parallel).
#pragma once

#include <optional>
#include <string>

#include "stack/util/expected.h"

namespace tcpfuzz::diff {

// The packetdrill binary: `flag` when given, else $TCPFUZZ_PACKETDRILL;
// otherwise a one-line error that says how to get one.
netstack::Expected<std::string, std::string> find_packetdrill(const std::string& flag);

// Why the kernel cannot be asked here (not root, no `unshare`), or nullopt.
std::optional<std::string> kernel_unavailable();

struct KernelRun {
  bool passed = false;
  bool timed_out = false;
  std::string output;  // packetdrill's report
};

// Runs `script` (a file) with packetdrill's own address flags, the IPv6 ones
// when `ipv6`, and its timing tolerance, from the script's folder, giving up
// after `timeout_seconds`.
KernelRun run_on_kernel(const std::string& packetdrill, const std::string& script, bool ipv6,
                        int tolerance_usecs, double timeout_seconds);

}  // namespace tcpfuzz::diff
