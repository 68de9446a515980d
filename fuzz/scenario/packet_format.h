// Packets and option lists in packetdrill's notation, for mismatch reports,
// traces and exported scripts.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "fuzz/scenario/scenario.h"

namespace tcpfuzz::scenario {

// Every option of a raw option space in order, one entry per NOP/EOL byte,
// as packetdrill's option iterator walks it.
std::vector<OptionSpec> options_in_order(std::span<const uint8_t> bytes);
// Appends one option's raw bytes (no padding) to `out`.
void append_option_bytes(const OptionSpec& option, std::vector<uint8_t>& out);

std::string format_options(const std::vector<OptionSpec>& options);
// "S. 0:0(0) ack 1 win 65535 <mss 1460,...>" (without direction or time).
std::string format_packet(const PacketSpec& p);

}  // namespace tcpfuzz::scenario
