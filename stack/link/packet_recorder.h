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
  // The same, from a tap that knows which way the packet crossed the host's
  // NIC (`sent`: the host sent it); recorders that do not care need not
  // override it.
  virtual void record_crossing(Instant at, bool sent, std::span<const uint8_t> ip_packet) {
    (void)sent;
    record(at, ip_packet);
  }
};

}  // namespace netstack
