#include "fuzz/scenario/trace_log.h"

#include <sstream>

namespace tcpfuzz::scenario {

using namespace netstack;

namespace {

std::string endpoint(tcp::EndpointId id) {
  return "ep" + std::to_string(id);
}

}  // namespace

void TraceLog::add(Instant t, const std::string& line) {
  std::ostringstream o;
  o << std::fixed;
  o.precision(6);
  o << static_cast<double>(t.nanos()) / 1e9 << " " << line;
  if (echo_ != nullptr) *echo_ << echo_prefix_ << o.str() << std::endl;
  lines_.push_back(o.str());
  if (!keep_all_ && lines_.size() > kTail) lines_.pop_front();
}

void TraceLog::on_transition(Instant t, tcp::EndpointId id, tcp::State from, tcp::State to,
                             std::string_view cause) {
  add(t, endpoint(id) + " " + std::string(to_string(from)) + " -> " + std::string(to_string(to)) +
             " (" + std::string(cause) + ")");
}

void TraceLog::on_timer(Instant t, tcp::EndpointId id, tcp::State, tcp::TimerKind k) {
  add(t, endpoint(id) + " timer " + std::string(to_string(k)));
}

void TraceLog::on_segment_in(Instant t, tcp::EndpointId id, tcp::State s,
                             const header::TcpHeader& h, size_t len, tcp::Verdict v) {
  add(t, endpoint(id) + " in " + header::flags_to_string(h.flags) + " len " + std::to_string(len) +
             " in " + std::string(to_string(s)) + ": " + std::string(to_string(v)));
}

void TraceLog::on_segment_out(Instant t, tcp::EndpointId id, tcp::State s,
                              const tcp::SegmentOut& out) {
  add(t, endpoint(id) + " out " + header::flags_to_string(out.tcp.flags) + " seq " +
             std::to_string(out.tcp.seq) + " ack " + std::to_string(out.tcp.ack) + " win " +
             std::to_string(out.tcp.window) + " len " + std::to_string(out.payload.size()) +
             " in " + std::string(to_string(s)));
}

void TraceLog::on_socket_call(Instant t, tcp::EndpointId id, tcp::State s, std::string_view call,
                              long result, const tcp::CallArgs&) {
  add(t, endpoint(id) + " " + std::string(call) + " = " + std::to_string(result) + " (" +
             std::string(to_string(s)) + ")");
}

}  // namespace tcpfuzz::scenario
