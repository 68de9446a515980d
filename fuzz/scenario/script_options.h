// The "--name=value" options a script states on its first lines, with
// packetdrill's defaults, and which of them the runner supports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "fuzz/scenario/scenario.h"
#include "fuzz/scenario/socket_under_test.h"
#include "stack/header/address.h"

namespace tcpfuzz::scenario {

struct ScriptOptions {
  netstack::IpAddress::Family family = netstack::IpAddress::Family::kV4;
  uint32_t mtu = 1500;
  // Outbound packets and returns may be late or early by
  // max(tolerance_us, tolerance_percent of the gap to the previous event).
  int64_t tolerance_us = 4000;
  double tolerance_percent = 12.5;
  // Compare each live segment alone, not summed up to the expected length.
  bool strict_segments = false;
  // When not 0: TSval must advance one tick per this many µs.
  int64_t ts_tick_us = 0;
  // --tcp_ts_ecr_scaled: an inbound TSecr no outbound line stated counts
  // from the first TSval seen (packetdrill map_inbound_packet()).
  bool ts_ecr_scaled = false;
  uint16_t bind_port = kDefaultBindPort;
  uint16_t connect_port = kDefaultConnectPort;
  // --mss=N: inbound TCP packets with more payload than N arrive as GSO
  // packets of N-byte segments (packetdrill's virtio-net header; Linux
  // takes a smaller one as a plain packet). 0: off.
  uint16_t gso_mss = 0;

  static ScriptOptions of(const Scenario& scenario);
};

// The first option the runner does not support ("option --foo",
// "--ip_version=ipv4-mapped-ipv6"), if any.
std::optional<std::string> unsupported_option(const Scenario& scenario);

}  // namespace tcpfuzz::scenario
