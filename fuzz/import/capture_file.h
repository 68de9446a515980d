// Reads the frames of a pcap or pcapng file through libpcap, with
// nanosecond timestamps. Only the tcpfuzz command links this (fuzz targets
// do not depend on libpcap).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "fuzz/import/packet_decode.h"
#include "stack/util/expected.h"

namespace tcpfuzz::import {

struct CaptureEnd {
  size_t frames = 0;
  // Why reading stopped before the end of the file (a truncated last
  // record, a broken block), as libpcap says it; the frames before count.
  std::optional<std::string> stopped;
};

// Calls `frame` for every frame in order. Fails with "PATH: reason" when
// the file cannot be opened as a capture at all or has a link type
// decode_frame() does not know.
netstack::Expected<CaptureEnd, std::string> read_capture(
    const std::string& path, const std::function<void(const Frame&)>& frame);

}  // namespace tcpfuzz::import
