#include "testbed/tracer_fanout.h"

#include <algorithm>

namespace tcpfuzz::testbed {

using namespace netstack;

void TracerFanout::remove(const tcp::Tracer& t) {
  std::erase(tracers_, &t);
}

tcp::Tracer* TracerFanout::target() {
  if (tracers_.empty()) return nullptr;
  if (tracers_.size() == 1) return tracers_.front();
  return this;
}

void TracerFanout::on_segment_in(Instant t, tcp::EndpointId id, tcp::State s,
                                 const header::TcpHeader& h, size_t payload, tcp::Verdict v) {
  for (tcp::Tracer* x : tracers_) x->on_segment_in(t, id, s, h, payload, v);
}

void TracerFanout::on_segment_out(Instant t, tcp::EndpointId id, tcp::State s,
                                  const tcp::SegmentOut& out) {
  for (tcp::Tracer* x : tracers_) x->on_segment_out(t, id, s, out);
}

void TracerFanout::on_transition(Instant t, tcp::EndpointId id, tcp::State from, tcp::State to,
                                 std::string_view cause) {
  for (tcp::Tracer* x : tracers_) x->on_transition(t, id, from, to, cause);
}

void TracerFanout::on_timer(Instant t, tcp::EndpointId id, tcp::State s, tcp::TimerKind k) {
  for (tcp::Tracer* x : tracers_) x->on_timer(t, id, s, k);
}

void TracerFanout::on_socket_call(Instant t, tcp::EndpointId id, tcp::State s,
                                  std::string_view call, long result, const tcp::CallArgs& args) {
  for (tcp::Tracer* x : tracers_) x->on_socket_call(t, id, s, call, result, args);
}

}  // namespace tcpfuzz::testbed
