// Maps the Linux sysctls a script sets (in a backquoted `sysctl` command or
// through packetdrill's defaults.sh) onto the stack's tcp::Config.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "stack/tcp/config.h"

namespace tcpfuzz::scenario {

// Applies one "net.ipv4.tcp_x=value" assignment; false if the stack has no
// such knob (or the value does not parse).
bool apply_sysctl(std::string_view assignment, netstack::tcp::Config& config);

// Applies every "sysctl ... name=value ..." line of a shell script's text.
// Assignments the stack has no knob for are returned (not applied).
std::vector<std::string> apply_sysctl_script(std::string_view text, netstack::tcp::Config& config);

// One "sysctl -q ..." command that gives Linux this configuration (every
// knob above, plus the Linux features the stack never uses switched off),
// so a script that starts with it means the same on both.
std::string sysctl_command(const netstack::tcp::Config& config);

}  // namespace tcpfuzz::scenario
