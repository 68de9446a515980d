// RunOracle: the reference oracle (oracle/oracle.h) hooked into a scenario
// runner through the two interfaces every runner offers — a packet tap and
// a tracer — so it follows the runner wherever its world is built. Off
// (the runner sees only `also`) when TCPFUZZ_ORACLE=0.
#pragma once

#include "fuzz/scenario/binary_runner.h"
#include "oracle/oracle.h"
#include "oracle/oracle_tap.h"
#include "testbed/tracer_fanout.h"

namespace tcpfuzz::harness {

class RunOracle {
 public:
  // `also` (may be nullptr) sees every TCP event after the oracle.
  // Off (`enabled` false), the runner sees only `also`.
  RunOracle(bool enabled, netstack::tcp::Tracer* also,
            oracle::Oracle::FailureHandler on_failure = nullptr);
  RunOracle(const RunOracle&) = delete;
  RunOracle& operator=(const RunOracle&) = delete;

  // `base` with the tap and the tracer in place (base.pcap must be unset).
  scenario::BinaryRunOptions options(scenario::BinaryRunOptions base);
  // The tap and tracer for runners configured otherwise (the script runner).
  netstack::PacketRecorder* tap() { return enabled_ ? &tap_ : nullptr; }
  netstack::tcp::Tracer* tracer();
  // Judges what the run's last segment drew and the deadlines due by `now`,
  // the run's end.
  void finish(netstack::Instant now) {
    if (enabled_) oracle_.finish(now);
  }
  // Before the next run of a reused runner: the oracle as constructed.
  void reset() { oracle_.reset(); }

 private:
  bool enabled_;
  netstack::tcp::Tracer* also_;
  oracle::Oracle oracle_;
  oracle::OracleTap tap_;
  // The oracle first, then `also`; used only when `also` is given.
  testbed::TracerFanout both_;
};

}  // namespace tcpfuzz::harness
