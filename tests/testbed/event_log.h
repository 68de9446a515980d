// EventLog: an Observer that writes every event it sees as one line, for
// the testbed's tests to compare and count.
#pragma once

#include <string>
#include <vector>

#include "stack/header/tcp.h"
#include "stack/tcp/state.h"
#include "testbed/observer.h"

namespace tcpfuzz::testbed {

class EventLog final : public Observer {
 public:
  std::vector<std::string> lines;

  // Lines of one kind ("in", "out", "call", "timer", "transition",
  // "packet", "clock"), optionally with more of the line following it.
  size_t count(std::string_view kind) const {
    const std::string key = " " + std::string(kind) + " ";
    size_t n = 0;
    for (const std::string& l : lines) n += l.find(key) == l.find(' ');
    return n;
  }

  void on_segment_in(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                     const netstack::header::TcpHeader& h, size_t payload,
                     netstack::tcp::Verdict v) override {
    add(t, "in", id, s,
        netstack::header::flags_to_string(h.flags) + " seq " + std::to_string(h.seq) + " len " +
            std::to_string(payload) + " " + std::string(to_string(v)));
  }
  void on_segment_out(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                      const netstack::tcp::SegmentOut& out) override {
    add(t, "out", id, s,
        netstack::header::flags_to_string(out.tcp.flags) + " seq " + std::to_string(out.tcp.seq) +
            " ack " + std::to_string(out.tcp.ack) + " len " + std::to_string(out.payload.size()));
  }
  void on_transition(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State from,
                     netstack::tcp::State to, std::string_view cause) override {
    add(t, "transition", id, from, std::string(to_string(to)) + " " + std::string(cause));
  }
  void on_timer(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                netstack::tcp::TimerKind k) override {
    add(t, "timer", id, s, std::string(to_string(k)));
  }
  void on_socket_call(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                      std::string_view call, long result, const netstack::tcp::CallArgs&) override {
    add(t, "call", id, s, std::string(call) + " = " + std::to_string(result));
  }
  void on_packet(netstack::Instant t, HostId host, Direction d,
                 std::span<const uint8_t> packet) override {
    lines.push_back(std::to_string(t.nanos()) + " packet host " + std::to_string(host) +
                    (d == Direction::kInbound ? " in " : " out ") + std::to_string(packet.size()));
  }
  void on_clock(netstack::Instant now) override {
    lines.push_back(std::to_string(now.nanos()) + " clock ");
  }

 private:
  void add(netstack::Instant t, const char* kind, netstack::tcp::EndpointId id,
           netstack::tcp::State s, const std::string& what) {
    lines.push_back(std::to_string(t.nanos()) + " " + kind + " ep " + std::to_string(id) + " " +
                    std::string(to_string(s)) + " " + what);
  }
};

}  // namespace tcpfuzz::testbed
