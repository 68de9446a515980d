// TracerFanout: hands every TCP event to several tracers, in the order they
// were added. A Protocol has one Tracer slot; the testbed puts the fan-out
// there only when more than one tracer listens (target() gives what to
// install), so a lone tracer costs no extra call.
#pragma once

#include <vector>

#include "stack/tcp/trace.h"

namespace tcpfuzz::testbed {

class TracerFanout final : public netstack::tcp::Tracer {
 public:
  void add(netstack::tcp::Tracer& t) { tracers_.push_back(&t); }
  // Removes every occurrence of `t`.
  void remove(const netstack::tcp::Tracer& t);
  void clear() { tracers_.clear(); }
  size_t size() const { return tracers_.size(); }
  // What a Protocol should call: nullptr for none, the tracer itself for
  // one, this fan-out for more.
  netstack::tcp::Tracer* target();

  // Begin Tracer implementation.
  void on_segment_in(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                     const netstack::header::TcpHeader& h, size_t payload,
                     netstack::tcp::Verdict v) override;
  void on_segment_out(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                      const netstack::tcp::SegmentOut& out) override;
  void on_transition(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State from,
                     netstack::tcp::State to, std::string_view cause) override;
  void on_timer(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                netstack::tcp::TimerKind k) override;
  void on_socket_call(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                      std::string_view call, long result,
                      const netstack::tcp::CallArgs& args) override;
  // End Tracer implementation.

 private:
  std::vector<netstack::tcp::Tracer*> tracers_;
};

}  // namespace tcpfuzz::testbed
