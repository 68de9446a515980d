// Oracle: the reference oracle for one host's TCP layer, stepped on every
// event of a run — each segment that reaches the host and each it sends
// (whole packets, from the wire), each socket call's result, each clock
// move — and judging the stack against RFC 9293, 5961, 7323 and Linux's
// choices (rules.h, docs/oracle.md). The first violation is reported as
// "oracle: <rule>" with what happened; by default that aborts the process,
// so a fuzzer files it as a crash with that signature.
//
// It is a testbed::Observer: attach one per host (`bed.attach(oracle,
// host)`). Worlds without a testbed hand it their packets through an
// OracleTap (oracle_tap.h) and their TCP events as a Tracer.
//
// In the fuzz targets it runs unless TCPFUZZ_ORACLE=0 (oracle_enabled()),
// the switch for throughput comparisons. `tcpfuzz run --oracle` and the
// properties always run it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "oracle/connection_oracle.h"
#include "oracle/wire_segment.h"
#include "testbed/observer.h"

namespace tcpfuzz::oracle {

// False only when TCPFUZZ_ORACLE is "0" (read once).
bool oracle_enabled();

class Oracle final : public testbed::Observer {
 public:
  // Receives the report of the first violation; without one the report is
  // printed and the process aborts. A handler that returns leaves the
  // oracle silent for the rest of the run.
  using FailureHandler = std::function<void(const std::string& report)>;
  explicit Oracle(FailureHandler on_failure = nullptr) : on_failure_(std::move(on_failure)) {}

  // A segment on the wire: `outbound` when the host sent it; `ip_packet`,
  // when given, the packet it came in (the oracle then judges what reads
  // return against its bytes).
  void on_segment(netstack::Instant at, const WireSegment& s, bool outbound,
                  std::span<const uint8_t> ip_packet = {});
  // An ICMP error reached the host: it may end a connection or change its
  // path, which the oracle (TCP segments only) does not judge.
  void on_icmp();
  // Whether the host's allocations may fail from now on (fault injection):
  // then no reply is owed, as an allocation failure drops it silently, and
  // no deadline is judged for the rest of the run (a lost retransmission
  // is retried on the stack's own schedule).
  void set_replies_may_fail(bool may_fail) {
    replies_may_fail_ = may_fail;
    if (may_fail) deadlines_judged_ = false;
  }
  // Judges what the peer's last segment drew and the deadlines due by
  // `now`: when the run ends, or pauses between steps that each finish
  // what they provoke.
  void finish(netstack::Instant now);
  // Forgets every connection and any failure: as constructed, keeping the
  // handler and the containers' capacity (a fuzz harness reuses one oracle).
  void reset();
  const std::optional<std::string>& failure() const { return failure_; }

  // Begin Observer implementation.
  void on_packet(netstack::Instant at, testbed::HostId host, testbed::Direction direction,
                 std::span<const uint8_t> ip_packet) override;
  void on_clock(netstack::Instant now) override;
  // End Observer implementation.
  // Begin Tracer implementation.
  void on_segment_in(netstack::Instant, netstack::tcp::EndpointId id, netstack::tcp::State,
                     const netstack::header::TcpHeader& h, size_t, netstack::tcp::Verdict) override;
  void on_segment_out(netstack::Instant, netstack::tcp::EndpointId id, netstack::tcp::State,
                      const netstack::tcp::SegmentOut& out) override;
  void on_transition(netstack::Instant, netstack::tcp::EndpointId id, netstack::tcp::State,
                     netstack::tcp::State to, std::string_view) override;
  void on_timer(netstack::Instant at, netstack::tcp::EndpointId, netstack::tcp::State,
                netstack::tcp::TimerKind) override;
  void on_socket_call(netstack::Instant at, netstack::tcp::EndpointId id, netstack::tcp::State,
                      std::string_view call, long result,
                      const netstack::tcp::CallArgs& args) override;
  // End Tracer implementation.

 private:
  // The peer's last segment and what the host sent since, at that instant.
  struct Exchange {
    size_t connection = 0;
    Arrival arrival;
    std::vector<WireSegment> replies;
    // How many replies had gone out when the stack traced the segment.
    std::optional<size_t> replies_when_processed{};
  };
  // Which connection a socket's events belong to: the one whose segment the
  // stack traced it with (ports alone do not tell: the peer may send to
  // another address of the host).
  struct EndpointLink {
    netstack::tcp::EndpointId id;
    size_t connection;
    uint32_t incarnation;  // a socket of an older incarnation is not judged
  };
  // A segment the stack traced and the wire has not carried yet.
  // An option set on a socket before any segment named its connection.
  struct PendingOption {
    netstack::tcp::EndpointId id;
    netstack::Instant at;
    netstack::tcp::CallArgs args;
  };
  struct TracedOut {
    netstack::tcp::EndpointId id;
    uint16_t local_port;
    uint16_t remote_port;
  };

  ConnectionOracle& connection_for(const WireSegment& s, bool outbound, size_t* index);
  ConnectionOracle* connection_of(netstack::tcp::EndpointId id);
  std::optional<size_t> newest_on(uint16_t local_port, uint16_t remote_port) const;
  void link_endpoint(netstack::tcp::EndpointId id, size_t connection);
  void apply_pending_options(netstack::tcp::EndpointId id, size_t connection);
  void close_exchange();
  // Every connection's deadlines, at an event at `now`.
  void check_deadlines(netstack::Instant now);
  void report(const std::optional<Violation>& v);

  FailureHandler on_failure_;
  std::optional<std::string> failure_;
  std::vector<ConnectionOracle> connections_;
  std::vector<PeerStream> spare_streams_;  // emptied, their capacity kept
  std::vector<EndpointLink> endpoints_;
  std::vector<PendingOption> pending_options_;
  std::optional<TracedOut> traced_out_;
  std::optional<Exchange> exchange_;
  bool replies_may_fail_ = false;
  bool deadlines_judged_ = true;
};

}  // namespace tcpfuzz::oracle
