// TraceLog: a Tracer that keeps the TCP layer's events as readable lines
// ("0.200000 ep2 SYN-SENT -> ESTABLISHED (SYN-ACK)"), all of them or only
// the last few, for mismatch reports and `tcpfuzz run|replay --trace`.
#pragma once

#include <cstddef>
#include <deque>
#include <ostream>
#include <string>
#include <vector>

#include "stack/tcp/trace.h"

namespace tcpfuzz::scenario {

class TraceLog final : public netstack::tcp::Tracer {
 public:
  // How many lines a log that does not keep everything holds.
  static constexpr size_t kTail = 24;

  explicit TraceLog(bool keep_all) : keep_all_(keep_all) {}
  // Also writes each line to `echo` as it happens (and flushes), so a run
  // that crashes still shows its trace up to the crash.
  void set_echo(std::ostream* echo, std::string prefix) {
    echo_ = echo;
    echo_prefix_ = std::move(prefix);
  }

  void add(netstack::Instant t, const std::string& line);
  std::vector<std::string> lines() const { return {lines_.begin(), lines_.end()}; }

  // Begin Tracer implementation.
  void on_transition(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State from,
                     netstack::tcp::State to, std::string_view cause) override;
  void on_timer(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State,
                netstack::tcp::TimerKind k) override;
  void on_segment_in(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                     const netstack::header::TcpHeader& h, size_t len,
                     netstack::tcp::Verdict v) override;
  void on_segment_out(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                      const netstack::tcp::SegmentOut& out) override;
  void on_socket_call(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                      std::string_view call, long result,
                      const netstack::tcp::CallArgs& args) override;
  // End Tracer implementation.

 private:
  bool keep_all_;
  std::deque<std::string> lines_;
  std::ostream* echo_ = nullptr;
  std::string echo_prefix_;
};

}  // namespace tcpfuzz::scenario
