// tcpfuzz minimize, as a function of the target, so tests can hand it a
// target whose failure they control.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/harness/targets.h"
#include "fuzz/minimize/minimizer.h"

namespace tcpfuzz::cli {

struct MinimizeRequest {
  std::string input_path;
  std::string out_path;  // the minimised input; OUT.pkt and OUT.pcap go next to it
  minimize::Limits limits;
};

// Minimises `input` (read from request.input_path), printing progress to
// standard output, and writes OUT plus, where the target exports them,
// OUT.pkt and OUT.pcap. Returns the exit status: 0 written, 1 the input
// does not fail or an export failed, 2 an output could not be written.
int minimize_input(const harness::Target& target, const std::vector<uint8_t>& input,
                   const MinimizeRequest& request);

}  // namespace tcpfuzz::cli
