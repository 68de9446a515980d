// Where Linux parted from our stack: the first error in packetdrill's
// report on a script whose outbound lines are what our stack sent.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tcpfuzz::diff {

struct Divergence {
  int line = 0;            // in the script the kernel ran
  std::string message;     // packetdrill's error, one line
  std::string what;        // what differs: window, ack_seq, options, timing, missing, result, ...
  std::string ours;        // the script's packet (ours), as packetdrill printed it
  std::string linux_sent;  // the live packet (Linux's), as packetdrill printed it
};

// The first "FILE:LINE: ..." error of a failed run, with the packets
// packetdrill printed under it; nullopt when the report names no line.
std::optional<Divergence> parse_packetdrill_report(std::string_view output);

// "window" from "live packet field tcp_window: ...", "options" from "bad
// outbound TCP options", "missing" from "Timed out waiting for packet", ...
std::string classify(std::string_view message);

}  // namespace tcpfuzz::diff
