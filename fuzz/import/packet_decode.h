// Takes a captured frame apart down to its TCP segment: the link layers
// pcap files carry from Linux and BSD hosts (Ethernet with VLAN tags, Linux
// cooked SLL and SLL2, raw IP, BSD null/loopback), then IPv4 or IPv6, then
// TCP. Anything else comes back as the one-line reason it is skipped.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "fuzz/import/captured_segment.h"
#include "stack/util/expected.h"

namespace tcpfuzz::import {

// The frame as the capture holds it: `bytes` may be shorter than
// `wire_length` when the snapshot length cut it.
struct Frame {
  size_t number = 0;
  int64_t time_ns = 0;
  int link_type = 0;  // libpcap's DLT_ value
  uint32_t wire_length = 0;
  std::span<const uint8_t> bytes;
};

// Whether decode_frame() knows the link type.
bool link_type_supported(int link_type);

// The TCP segment in the frame, or why there is none ("UDP, not TCP",
// "cut by the snapshot length (96 of 1514 bytes)", ...).
netstack::Expected<CapturedSegment, std::string> decode_frame(const Frame& frame);

}  // namespace tcpfuzz::import
