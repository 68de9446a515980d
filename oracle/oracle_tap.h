// OracleTap: hands an Oracle the packets of a world that has no testbed (a
// RecordingTap's PacketRecorder sees both directions without saying which):
// a packet from one of the host's own addresses is one it sent.
#pragma once

#include <initializer_list>
#include <vector>

#include "oracle/oracle.h"
#include "stack/link/packet_recorder.h"

namespace tcpfuzz::oracle {

class OracleTap final : public netstack::PacketRecorder {
 public:
  OracleTap(Oracle& oracle, std::initializer_list<netstack::IpAddress> host_addresses)
      : oracle_(oracle), host_addresses_(host_addresses) {}

  // Begin PacketRecorder implementation.
  void record(netstack::Instant at, std::span<const uint8_t> ip_packet) override {
    auto s = decode_wire_segment(ip_packet, /*verify_checksum=*/false);
    if (!s) return;
    bool outbound = false;
    for (const netstack::IpAddress& a : host_addresses_) outbound = outbound || s->src == a;
    // Only what reaches the host may carry a bad checksum.
    if (!outbound && !decode_wire_segment(ip_packet)) return;
    oracle_.on_segment(at, *s, outbound);
  }
  // End PacketRecorder implementation.

 private:
  Oracle& oracle_;
  std::vector<netstack::IpAddress> host_addresses_;
};

}  // namespace tcpfuzz::oracle
