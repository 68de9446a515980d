// A recorded run (absolute times, as BinaryRunner's transcript holds it)
// written as a script that means the same to Linux: the stack's sysctls
// first, relative times, and packetdrill's tun0 sending one segment per
// packet. What `tcpfuzz export` and failing property tests print.
#pragma once

#include <string>
#include <string_view>

#include "fuzz/scenario/scenario.h"
#include "stack/tcp/config.h"

namespace tcpfuzz::scenario {

// `config`: the sysctls the script starts with (the stack's defaults unless
// the run had others, as an imported capture's host had).
std::string write_linux_script(Scenario recorded, std::string_view comment,
                               const netstack::tcp::Config& config = {});

}  // namespace tcpfuzz::scenario
