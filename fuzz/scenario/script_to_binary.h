// A packetdrill-dialect scenario as a binary scenario, so conformance
// scripts seed scenario_fuzzer with the conversations they describe.
//
// The conversion keeps the script's shape, not its exact numbers: socket
// calls become CallOps (socket/bind/listen -> listen, connect, accept,
// read/recv, write/send with MSG_MORE, shutdown, close, and the socket
// options the encoding has); inbound packets become segments whose sequence
// and ack numbers are taken relative to what the peer last sent in order
// and the highest number the script's outbound lines showed; time between
// events becomes clock advances. Outbound lines only inform those numbers.
// Calls and options the encoding cannot express are left out.
#pragma once

#include <vector>

#include "fuzz/scenario/binary_scenario.h"
#include "fuzz/scenario/scenario.h"

namespace tcpfuzz::scenario {

std::vector<BinaryEvent> script_to_binary(const Scenario& script);

}  // namespace tcpfuzz::scenario
