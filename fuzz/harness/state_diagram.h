// The RFC 9293 state diagram as a corpus covers it, in Graphviz's DOT
// language (`tcpfuzz cov --dot/--svg`): every transition the state machine
// allows, the taken ones coloured and labelled by how often, the others
// dashed; states never reached are grey.
#pragma once

#include <set>
#include <string>
#include <utility>

#include "fuzz/harness/state_coverage.h"

namespace tcpfuzz::harness {

std::string state_diagram_dot(
    const StateCoverage& coverage,
    const std::set<std::pair<netstack::tcp::State, netstack::tcp::State>>& allowed,
    const std::string& title);

}  // namespace tcpfuzz::harness
