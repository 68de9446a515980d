// Invariants of one endpoint, checked after every event in builds with
// TCPFUZZ_INVARIANTS (dev, fuzz). A violation turns a semantic bug into a
// crash with a readable report.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "stack/tcp/state.h"

namespace netstack::tcp {

class Endpoint;

// nullopt when all hold; otherwise the first violation and the endpoint's state.
std::optional<std::string> check_invariants(const Endpoint& ep);
std::string describe_illegal_transition(const Endpoint& ep, State from, State to,
                                        std::string_view cause);

}  // namespace netstack::tcp
