// The addresses of a one-host testbed whose other end is a ScriptedPeer,
// and the segments the peer sends in the testbed's tests.
#pragma once

#include "stack/header/tcp.h"
#include "stack/header/tcp_packet.h"

namespace tcpfuzz::testbed {

inline const netstack::IpAddress kHost = *netstack::IpAddress::parse("192.0.2.1");
inline const netstack::IpAddress kPeer = *netstack::IpAddress::parse("192.0.2.2");

// A segment from the peer's port 40000 to the host's port 8080.
inline netstack::View peer_segment(uint8_t flags, uint32_t seq = 1000) {
  netstack::header::TcpPacketSpec spec;
  spec.src = kPeer;
  spec.dst = kHost;
  spec.tcp.src_port = 40000;
  spec.tcp.dst_port = 8080;
  spec.tcp.seq = seq;
  spec.tcp.flags = flags;
  spec.tcp.window = 65535;
  return netstack::header::build_tcp_packet(spec);
}

}  // namespace tcpfuzz::testbed
