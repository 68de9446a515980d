// One TCP segment as a capture recorded it, after the link and IP layers
// are taken off: what `tcpfuzz import` splits into flows and turns into
// scripts and seeds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "stack/header/address.h"

namespace tcpfuzz::import {

struct CapturedSegment {
  size_t number = 0;    // the packet's number in the capture, from 1
  int64_t time_ns = 0;  // capture timestamp
  netstack::IpAddress src;
  netstack::IpAddress dst;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t flags = 0;
  uint16_t window = 0;
  uint16_t urgent = 0;
  std::vector<uint8_t> options;  // raw option bytes
  std::vector<uint8_t> payload;
};

}  // namespace tcpfuzz::import
