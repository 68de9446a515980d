#include "oracle/oracle.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace tcpfuzz::oracle {

using netstack::Instant;
namespace tcp = netstack::tcp;

bool oracle_enabled() {
  static const bool enabled = [] {
    const char* v = std::getenv("TCPFUZZ_ORACLE");
    return v == nullptr || std::strcmp(v, "0") != 0;
  }();
  return enabled;
}

ConnectionOracle& Oracle::connection_for(const WireSegment& s, bool outbound, size_t* index) {
  for (size_t i = 0; i < connections_.size(); ++i) {
    if (connections_[i].matches(s, outbound)) {
      *index = i;
      return connections_[i];
    }
  }
  *index = connections_.size();
  if (outbound) {
    connections_.emplace_back(s.src, s.src_port, s.dst, s.dst_port);
  } else {
    connections_.emplace_back(s.dst, s.dst_port, s.src, s.src_port);
  }
  return connections_.back();
}

void Oracle::on_segment(Instant at, const WireSegment& s, bool outbound) {
  if (failure_) return;
  if (exchange_ && exchange_->arrival.at != at) close_exchange();
  size_t index = 0;
  ConnectionOracle& c = connection_for(s, outbound, &index);
  if (outbound) {
    if (exchange_ && exchange_->connection == index) exchange_->replies.push_back(s);
    report(c.on_sent(s, at));
    return;
  }
  close_exchange();
  exchange_ = Exchange{index, c.on_arrival(s, at), {}};
  exchange_->arrival.replies_may_fail = replies_may_fail_;
}

void Oracle::close_exchange() {
  if (!exchange_) return;
  const Exchange e = std::move(*exchange_);
  exchange_.reset();
  if (failure_) return;
  report(connections_[e.connection].judge(e.arrival, e.replies));
}

void Oracle::finish() {
  close_exchange();
}

void Oracle::reset() {
  failure_.reset();
  connections_.clear();
  endpoints_.clear();
  exchange_.reset();
  replies_may_fail_ = false;
}

void Oracle::report(const std::optional<Violation>& v) {
  if (!v || failure_) return;
  failure_ = "oracle: " + std::string(to_string(v->rule)) + "\n" + v->detail;
  if (on_failure_) {
    on_failure_(*failure_);
    return;
  }
  std::fprintf(stderr, "%s\n", failure_->c_str());
  std::abort();
}

void Oracle::on_packet(Instant at, testbed::HostId, testbed::Direction direction,
                       std::span<const uint8_t> ip_packet) {
  const bool outbound = direction == testbed::Direction::kOutbound;
  if (const auto s = decode_wire_segment(ip_packet, /*verify_checksum=*/!outbound)) {
    on_segment(at, *s, outbound);
  }
}

void Oracle::on_clock(Instant now) {
  if (exchange_ && exchange_->arrival.at != now) close_exchange();
}

ConnectionOracle* Oracle::newest_on(uint16_t local_port, uint16_t remote_port) {
  for (size_t i = connections_.size(); i-- > 0;) {
    if (connections_[i].local_port() == local_port &&
        connections_[i].remote_port() == remote_port) {
      return &connections_[i];
    }
  }
  return nullptr;
}

void Oracle::map_endpoint(tcp::EndpointId id, uint16_t local_port, uint16_t remote_port) {
  if (id == tcp::kNoEndpoint) return;
  std::optional<uint32_t> incarnation;
  if (const ConnectionOracle* c = newest_on(local_port, remote_port)) {
    incarnation = c->incarnation();
  }
  for (EndpointPorts& e : endpoints_) {
    if (e.id == id) {
      e = {id, local_port, remote_port, incarnation};
      return;
    }
  }
  endpoints_.push_back({id, local_port, remote_port, incarnation});
}

ConnectionOracle* Oracle::connection_of(tcp::EndpointId id) {
  for (EndpointPorts& e : endpoints_) {
    if (e.id != id) continue;
    ConnectionOracle* c = newest_on(e.local_port, e.remote_port);
    if (c == nullptr) return nullptr;
    // The tracer names a segment before the wire carries it: a socket
    // mapped before its first segment belongs to the connection it made.
    if (!e.incarnation) e.incarnation = c->incarnation();
    // A socket of an older incarnation on the same ports is not judged.
    return c->incarnation() == *e.incarnation ? c : nullptr;
  }
  return nullptr;
}

void Oracle::on_segment_in(Instant, tcp::EndpointId id, tcp::State,
                           const netstack::header::TcpHeader& h, size_t, tcp::Verdict) {
  map_endpoint(id, h.dst_port, h.src_port);
}

void Oracle::on_segment_out(Instant, tcp::EndpointId id, tcp::State, const tcp::SegmentOut& out) {
  map_endpoint(id, out.tcp.src_port, out.tcp.dst_port);
}

void Oracle::on_transition(Instant, tcp::EndpointId id, tcp::State, tcp::State to,
                           std::string_view) {
  // Only ever suspends judging: a connection that timed out is gone, and
  // what reaches its ports is no longer its business.
  if (to != tcp::State::kClosed) return;
  if (ConnectionOracle* c = connection_of(id)) c->on_closed();
}

void Oracle::on_timer(Instant, tcp::EndpointId, tcp::State, tcp::TimerKind) {
  close_exchange();
}

void Oracle::on_socket_call(Instant at, tcp::EndpointId id, tcp::State, std::string_view call,
                            long result) {
  ConnectionOracle* c = connection_of(id);
  // The tracer reports a call once it returns, after what it sent.
  if (exchange_ && exchange_->arrival.at == at && c == &connections_[exchange_->connection]) {
    exchange_->arrival.replies_include_a_call = true;
  }
  close_exchange();
  if (failure_) return;
  if (c != nullptr) report(c->on_call(call, result));
}

}  // namespace tcpfuzz::oracle
