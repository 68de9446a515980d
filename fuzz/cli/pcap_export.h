// An input's packets as a pcap, for `tcpfuzz export --to pcap` and
// `tcpfuzz minimize`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/harness/targets.h"

namespace tcpfuzz::cli {

struct PcapExport {
  std::optional<std::string> error;  // "PATH: reason"; nothing was written
  std::string crash;                 // how the input crashed the stack, if it did
};

// Replays `input` in a child process, writing every packet exchanged to
// OUT.tmp as it goes, then renames it to OUT: an input that crashes the stack
// still yields the packets up to the crash.
PcapExport write_pcap(const harness::Target& target, const std::vector<uint8_t>& input,
                      const std::string& out_path);

}  // namespace tcpfuzz::cli
