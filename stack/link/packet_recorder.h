// PacketRecorder: where a RecordingTap puts the packets it sees. The stack
// and the fuzz harnesses depend only on this interface; PcapWriter (the
// netstack_pcap library, libpcap) is one implementation, so fuzz binaries
// need no libpcap at run time (OSS-Fuzz's runners do not have it).
#pragma once

#include <cstdint>
#include <span>

#include "stack/time/clock.h"

namespace netstack {

class PacketRecorder {
 public:
  virtual ~PacketRecorder() = default;
  // One raw IP packet seen at `at`.
  virtual void record(Instant at, std::span<const uint8_t> ip_packet) = 0;
};

}  // namespace netstack
