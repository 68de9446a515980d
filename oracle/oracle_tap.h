// OracleTap: hands an Oracle the packets a host's tap sees. A testbed host
// says which way each crossed its NIC; a RecordingTap does not, and there a
// packet from one of the host's own addresses is taken for one it sent
// (wrong only for a packet forged with the host's address as its source).
#pragma once

#include <algorithm>
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
    judge(at, *s, is_host_address(s->src), ip_packet);
  }
  void record_crossing(netstack::Instant at, bool sent,
                       std::span<const uint8_t> ip_packet) override {
    // The direction known, one decode does: only what reaches the host is
    // checked, and only what is addressed to it reaches its TCP.
    const auto s = decode_wire_segment(ip_packet, /*verify_checksum=*/!sent);
    if (s && (sent || is_host_address(s->dst))) {
      oracle_.on_segment(at, *s, sent, ip_packet);
    } else if (!s && !sent && is_icmp(ip_packet)) {
      oracle_.on_icmp();
    }
  }
  // End PacketRecorder implementation.

 private:
  void judge(netstack::Instant at, const WireSegment& s, bool outbound,
             std::span<const uint8_t> ip_packet) {
    // Only what reaches the host may carry a bad checksum; what is not
    // addressed to it never reaches its TCP.
    if (!outbound && (!is_host_address(s.dst) || !decode_wire_segment(ip_packet))) return;
    oracle_.on_segment(at, s, outbound, ip_packet);
  }
  bool is_host_address(const netstack::IpAddress& address) const {
    return std::ranges::find(host_addresses_, address) != host_addresses_.end();
  }

  Oracle& oracle_;
  std::vector<netstack::IpAddress> host_addresses_;
};

}  // namespace tcpfuzz::oracle
