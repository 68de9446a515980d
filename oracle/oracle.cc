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
  if (!spare_streams_.empty()) {
    connections_.back().adopt_stream(std::move(spare_streams_.back()));
    spare_streams_.pop_back();
  }
  return connections_.back();
}

void Oracle::on_segment(Instant at, const WireSegment& s, bool outbound,
                        std::span<const uint8_t> ip_packet) {
  if (failure_) return;
  if (exchange_ && exchange_->arrival.at != at) close_exchange();
  check_deadlines(at);
  if (failure_) return;
  size_t index = 0;
  ConnectionOracle& c = connection_for(s, outbound, &index);
  if (outbound) {
    if (exchange_ && exchange_->connection == index) exchange_->replies.push_back(s);
    report(c.on_sent(s, at));
    // After on_sent(): a SYN starts the incarnation the socket belongs to.
    if (traced_out_ && traced_out_->local_port == s.src_port &&
        traced_out_->remote_port == s.dst_port) {
      link_endpoint(traced_out_->id, index);
      traced_out_.reset();
    }
    return;
  }
  close_exchange();
  const auto data = ip_packet.size() >= size_t{s.payload_at} + s.payload
                        ? ip_packet.subspan(s.payload_at, s.payload)
                        : std::span<const uint8_t>{};
  exchange_ = Exchange{index, c.on_arrival(s, at, data), {}};
  exchange_->arrival.replies_may_fail = replies_may_fail_;
  if (replies_may_fail_) c.on_reply_may_have_failed(at);
}

void Oracle::close_exchange() {
  if (!exchange_) return;
  const Exchange e = std::move(*exchange_);
  exchange_.reset();
  if (failure_) return;
  report(connections_[e.connection].judge(e.arrival, e.replies, e.replies_when_processed));
}

void Oracle::finish(Instant now) {
  close_exchange();
  check_deadlines(now);
}

void Oracle::check_deadlines(Instant now) {
  if (!deadlines_judged_) return;
  for (const ConnectionOracle& c : connections_) {
    if (failure_) return;
    report(c.check_deadlines(now));
  }
}

void Oracle::reset() {
  failure_.reset();
  // The stream records keep their memory for the next run's connections.
  for (ConnectionOracle& c : connections_) spare_streams_.push_back(c.release_stream());
  connections_.clear();
  endpoints_.clear();
  pending_options_.clear();
  traced_out_.reset();
  exchange_.reset();
  replies_may_fail_ = false;
  deadlines_judged_ = true;
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
    on_segment(at, *s, outbound, ip_packet);
  } else if (!outbound && is_icmp(ip_packet)) {
    on_icmp();
  }
}

void Oracle::on_icmp() {
  for (ConnectionOracle& c : connections_) c.on_icmp();
}

void Oracle::on_clock(Instant now) {
  if (exchange_ && exchange_->arrival.at != now) close_exchange();
  check_deadlines(now);
}

std::optional<size_t> Oracle::newest_on(uint16_t local_port, uint16_t remote_port) const {
  for (size_t i = connections_.size(); i-- > 0;) {
    if (connections_[i].local_port() == local_port &&
        connections_[i].remote_port() == remote_port) {
      return i;
    }
  }
  return std::nullopt;
}

void Oracle::link_endpoint(tcp::EndpointId id, size_t connection) {
  if (id == tcp::kNoEndpoint) return;
  const EndpointLink link{id, connection, connections_[connection].incarnation()};
  for (EndpointLink& e : endpoints_) {
    if (e.id == id) {
      e = link;
      return;
    }
  }
  endpoints_.push_back(link);
  apply_pending_options(id, connection);
}

void Oracle::apply_pending_options(tcp::EndpointId id, size_t connection) {
  // Options set before the connection existed apply to it now.
  for (const PendingOption& p : pending_options_) {
    if (p.id == id) connections_[connection].on_call("setsockopt", 0, p.args, p.at);
  }
  std::erase_if(pending_options_, [id](const PendingOption& p) { return p.id == id; });
}

ConnectionOracle* Oracle::connection_of(tcp::EndpointId id) {
  for (const EndpointLink& e : endpoints_) {
    if (e.id != id) continue;
    ConnectionOracle& c = connections_[e.connection];
    return c.incarnation() == e.incarnation ? &c : nullptr;
  }
  return nullptr;
}

void Oracle::on_segment_in(Instant, tcp::EndpointId id, tcp::State,
                           const netstack::header::TcpHeader& h, size_t, tcp::Verdict) {
  // The stack names a segment once it has answered it (the wire saw the
  // segment first, so it is the open exchange's).
  if (exchange_) {
    exchange_->replies_when_processed = exchange_->replies.size();
    const ConnectionOracle& c = connections_[exchange_->connection];
    if (c.local_port() == h.dst_port && c.remote_port() == h.src_port) {
      link_endpoint(id, exchange_->connection);
      return;
    }
  }
  if (const auto i = newest_on(h.dst_port, h.src_port)) link_endpoint(id, *i);
}

void Oracle::on_segment_out(Instant, tcp::EndpointId id, tcp::State, const tcp::SegmentOut& out) {
  // The tracer names a segment before the wire carries it.
  traced_out_ = TracedOut{id, out.tcp.src_port, out.tcp.dst_port};
}

void Oracle::on_transition(Instant at, tcp::EndpointId id, tcp::State, tcp::State to,
                           std::string_view) {
  // Only ever suspends judging: a connection that timed out is gone, and
  // what reaches its ports is no longer its business. It had to meet its
  // deadlines until then.
  if (to != tcp::State::kClosed) return;
  check_deadlines(at);
  if (ConnectionOracle* c = connection_of(id)) c->on_closed();
}

void Oracle::on_timer(Instant at, tcp::EndpointId, tcp::State, tcp::TimerKind) {
  close_exchange();
  check_deadlines(at);
}

void Oracle::on_socket_call(Instant at, tcp::EndpointId id, tcp::State, std::string_view call,
                            long result, const tcp::CallArgs& args) {
  ConnectionOracle* c = connection_of(id);
  // The tracer reports a call once it returns, after what it sent. What
  // went out after the stack finished with the segment is the call's, not
  // a reply; when that point is unknown, any RST may be the call's.
  if (exchange_ && exchange_->arrival.at == at && c == &connections_[exchange_->connection]) {
    if (exchange_->replies_when_processed) {
      exchange_->replies.resize(*exchange_->replies_when_processed);
    } else {
      exchange_->arrival.replies_include_a_call = true;
    }
  }
  close_exchange();
  check_deadlines(at);
  if (failure_) return;
  if (c != nullptr) {
    report(c->on_call(call, result, args, at));
  } else if (call == "setsockopt" && result == 0 && args.option) {
    pending_options_.push_back(PendingOption{id, at, args});
  }
}

}  // namespace tcpfuzz::oracle
