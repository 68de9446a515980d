// Parses the packetdrill script language into a Scenario.
//
// Supported: option lines (--name=value), backquoted commands, absolute,
// relative (+), any (*) and ranged (a~b) times, inbound/outbound TCP
// packets with flags, seq ranges, ack, win, urg and option lists, and
// syscalls with packetdrill's expression syntax, and code blocks (%{ }%).
// Non-TCP packets parse but are recorded as unsupported, so the runner can
// report the script as skipped, never as passed.
#pragma once

#include <string>
#include <string_view>

#include "fuzz/scenario/scenario.h"
#include "stack/util/expected.h"

namespace tcpfuzz::scenario {

struct ParseError {
  int line = 0;
  int col = 0;
  std::string message;
  // "path:line:col: message"
  std::string format(std::string_view path) const;
};

netstack::Expected<Scenario, ParseError> parse_script(std::string_view text, std::string path);

// Reads and parses a script file; the error is one line, "path: cannot
// open" or "path:line:col: message".
netstack::Expected<Scenario, std::string> parse_script_file(const std::string& path);

}  // namespace tcpfuzz::scenario
