#include "fuzz/harness/state_coverage.h"

#include <algorithm>

namespace tcpfuzz::harness {

using namespace netstack;

size_t StateCoverage::states() const {
  return static_cast<size_t>(std::ranges::count(states_, true));
}

void StateCoverage::on_transition(Instant, tcp::EndpointId, tcp::State from, tcp::State to,
                                  std::string_view) {
  states_[static_cast<size_t>(from)] = true;
  states_[static_cast<size_t>(to)] = true;
  transitions_.emplace(from, to);
  ++transition_hits_[{from, to}];
}

void StateCoverage::on_segment_in(Instant, tcp::EndpointId, tcp::State s,
                                  const header::TcpHeader& h, size_t payload, tcp::Verdict v) {
  states_[static_cast<size_t>(s)] = true;
  triples_.emplace(s, segment_kind(h.flags, payload), v);
}

void StateCoverage::on_socket_call(Instant, tcp::EndpointId, tcp::State, std::string_view call,
                                   long, const tcp::CallArgs& args) {
  calls_.emplace(std::string(call), args.option);
}

}  // namespace tcpfuzz::harness
