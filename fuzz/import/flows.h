// Splits captured TCP segments into flows: one per connection, in the
// order of their first packet. A flow is a 4-tuple's segments, both ways;
// a SYN on a tuple whose connection already ended (FIN or RST seen) starts
// a new flow, so a reused port pair stays two connections.
#pragma once

#include <string>
#include <vector>

#include "fuzz/import/captured_segment.h"

namespace tcpfuzz::import {

struct Flow {
  size_t index = 0;  // from 1
  std::vector<CapturedSegment> segments;

  // The connection ended within the capture: a RST, or a FIN each way.
  bool ended() const;
};

std::vector<Flow> split_flows(std::vector<CapturedSegment> segments);

// "127.0.0.1:55748 > 127.0.0.1:8080", "[::1]:48224 > [::1]:8080": the
// flow's first packet's direction.
std::string describe(const Flow& flow);

}  // namespace tcpfuzz::import
