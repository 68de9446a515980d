// StateCoverage: which TCP states, transitions and (state, segment kind,
// verdict) triples a set of inputs reaches, for `tcpfuzz cov` and the
// campaign summary of ci/fuzz.sh.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "fuzz/harness/state_feedback.h"
#include "stack/tcp/trace.h"

namespace tcpfuzz::harness {

class StateCoverage final : public netstack::tcp::Tracer {
 public:
  using Triple = std::tuple<netstack::tcp::State, SegmentKind, netstack::tcp::Verdict>;

  size_t states() const;
  const std::set<std::pair<netstack::tcp::State, netstack::tcp::State>>& transitions() const {
    return transitions_;
  }
  const std::set<Triple>& triples() const { return triples_; }
  // How many times each (from, to) transition was taken.
  const std::map<std::pair<netstack::tcp::State, netstack::tcp::State>, uint64_t>& transition_hits()
      const {
    return transition_hits_;
  }
  bool reached(netstack::tcp::State s) const { return states_[static_cast<size_t>(s)]; }
  // The socket calls made (the stack's names: read, read-oob, setsockopt,
  // ...), with the option for getsockopt()/setsockopt().
  using Call = std::pair<std::string, std::optional<netstack::tcp::SockOpt>>;
  const std::set<Call>& calls() const { return calls_; }

  // Begin Tracer implementation.
  void on_transition(netstack::Instant, netstack::tcp::EndpointId, netstack::tcp::State from,
                     netstack::tcp::State to, std::string_view) override;
  void on_segment_in(netstack::Instant, netstack::tcp::EndpointId, netstack::tcp::State s,
                     const netstack::header::TcpHeader& h, size_t payload,
                     netstack::tcp::Verdict v) override;
  void on_socket_call(netstack::Instant, netstack::tcp::EndpointId, netstack::tcp::State,
                      std::string_view call, long result,
                      const netstack::tcp::CallArgs& args) override;
  // End Tracer implementation.

 private:
  std::array<bool, netstack::tcp::kStateCount> states_{};
  std::set<std::pair<netstack::tcp::State, netstack::tcp::State>> transitions_;
  std::set<Triple> triples_;
  std::set<Call> calls_;
  std::map<std::pair<netstack::tcp::State, netstack::tcp::State>, uint64_t> transition_hits_;
};

}  // namespace tcpfuzz::harness
