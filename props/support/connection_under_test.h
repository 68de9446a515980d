// A stack driven the way packetdrill drives Linux, for property tests: a
// BinaryRunner plays the peer (192.0.2.1) of a fresh stack (192.168.0.1),
// and every step is observed through the TCP tracer: the verdict the stack
// gave the segment injected, the segments it sent, and the state of the
// connection under test. report() writes the run so far as a script that
// `tcpfuzz run` replays, with the trace: what a failing property prints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/harness/run_oracle.h"
#include "fuzz/scenario/binary_runner.h"
#include "fuzz/scenario/trace_log.h"
#include "fuzz/scenario/transcript.h"
#include "stack/tcp/trace.h"
#include "testbed/tracer_fanout.h"

namespace tcpfuzz::props {

// What one step did.
struct StepObserved {
  // The stack's verdict on the injected segment (none for calls and clock
  // steps, or when the segment did not reach TCP).
  std::optional<netstack::tcp::Verdict> verdict;
  // Flags of every segment the stack sent during the step.
  std::vector<uint8_t> sent;
  bool sent_rst() const;
  bool sent_ack_only() const;  // some segment with ACK and neither SYN, FIN nor RST
};

class ConnectionUnderTest {
 public:
  ConnectionUnderTest();

  StepObserved call(scenario::SocketCall c);
  // The peer's next in-order segment (seq_delta/ack_delta as in the fuzz
  // encoding), or one at explicit live numbers.
  StepObserved inject(const scenario::InjectSegment& s);
  StepObserved inject_at(const scenario::InjectSegment& s, uint32_t live_seq, uint32_t live_ack);
  StepObserved advance(netstack::Duration d);
  // Any event of the binary scenario encoding.
  StepObserved run(const scenario::BinaryEvent& e);
  // Also hands every TCP event to `t` (nullptr: none), after the trace and
  // the step's own record.
  void set_extra_tracer(netstack::tcp::Tracer* t);

  // The connection under test: the newest endpoint that is not a listener
  // (nullptr before there is one, or once it is reaped).
  const netstack::tcp::Endpoint* connection() const;
  // Its state, CLOSED when there is none.
  netstack::tcp::State state() const;
  scenario::BinaryRunner& runner() { return runner_; }

  // The run so far as a script (checked to replay on the script runner),
  // then the trace.
  std::string report(std::string_view headline) const;
  // The first invariant violation the stack reported, if any (the checker
  // runs after every event; a violation fails the step that caused it).
  const std::optional<std::string>& invariant_failure() const { return invariant_failure_; }

 private:
  // The TCP events a step is judged by.
  class StepRecorder final : public netstack::tcp::Tracer {
   public:
    explicit StepRecorder(ConnectionUnderTest& c) : c_(c) {}
    void on_segment_in(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                       const netstack::header::TcpHeader& h, size_t len,
                       netstack::tcp::Verdict v) override;
    void on_segment_out(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                        const netstack::tcp::SegmentOut& out) override;
    void on_transition(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State from,
                       netstack::tcp::State to, std::string_view cause) override;

   private:
    ConnectionUnderTest& c_;
  };

  template <class Step>
  StepObserved observe(const Step& step);

  scenario::TraceLog trace_{/*keep_all=*/true};
  StepRecorder recorder_{*this};
  netstack::tcp::Tracer* extra_ = nullptr;
  testbed::TracerFanout tracer_;  // trace_, recorder_, the oracle, then extra_
  scenario::ScenarioRecorder transcript_;
  // The reference oracle judges every step (unless TCPFUZZ_ORACLE=0).
  std::optional<std::string> oracle_failure_;
  harness::RunOracle oracle_{nullptr, [this](const std::string& report) {
                               if (!oracle_failure_) oracle_failure_ = report;
                             }};
  scenario::BinaryRunner runner_;
  netstack::tcp::EndpointId connection_ = netstack::tcp::kNoEndpoint;
  StepObserved step_;
  std::optional<std::string> invariant_failure_;
};

}  // namespace tcpfuzz::props
