// pair_fuzzer's input: two stacks joined by a FaultyLink in each direction,
// a client connected to a server, and what the applications do:
//   fault plan (6 bytes): drop, duplicate, reorder, corrupt, delay rates, in
//     thousandths of packets (0..255, i.e. up to 25.5 %), and the plan's seed;
//   operations, 2 bytes each: op (mod 8), argument:
//     0/1 client/server writes argument*64+1 bytes of its stream
//     2/3 client/server reads up to argument*64+1 bytes
//     4   the clock moves argument*4 ms
//     5/6 client/server shuts down writing
//     7   TCP_NODELAY (bit 0) and TCP_CORK (bit 1) on the client (bit 2 clear)
//         or the server (bit 2 set), and memory pressure on that side's
//         stack: bits 3-7 make allocations fail at a rate of n/32 (0: none)
// Oracles, beyond ASan/UBSan and the invariant checker:
// - integrity: every byte read is the next byte of what the other side
//   wrote, exactly once, in order;
// - liveness: once the operations end, the faults (link and memory) stop
//   and both sides shut
//   down writing; then, unless a side saw its connection fail, each side
//   reads all the other wrote and then end-of-file within kLivenessBound of
//   fake time; after close() and TIME-WAIT no endpoint, timer or held
//   packet is left;
// - the reference oracle (oracle/oracle.h) on each host, unless
//   TCPFUZZ_ORACLE=0.
// A violation prints what failed and aborts.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fuzz/harness/random_allocation_faults.h"
#include "oracle/oracle.h"
#include "stack/link/faulty_link.h"
#include "stack/tcp/protocol.h"
#include "testbed/testbed.h"

namespace tcpfuzz::harness {

// Faults stop, then this much fake time may pass before the transfer and
// the close must be complete (RTO backoff at its 120 s cap included).
inline constexpr netstack::Duration kLivenessBound = std::chrono::minutes(20);

struct PairOp {
  enum Kind : uint8_t {
    kClientWrite,
    kServerWrite,
    kClientRead,
    kServerRead,
    kAdvance,
    kClientShutdown,
    kServerShutdown,
    kOptions,
  };
  Kind kind = kAdvance;
  uint8_t arg = 0;
};
inline constexpr uint8_t kPairOpKinds = 8;

struct PairInput {
  netstack::FaultPlan plan;
  std::vector<PairOp> ops;
};
PairInput decode_pair(std::span<const uint8_t> input);

// One run: the two stacks, the links, the applications and the oracles.
class PairRun {
 public:
  // An oracle failure calls `on_failure` with the report, which must not
  // return (property tests throw); without one it prints and aborts.
  using FailureHandler = std::function<void(const std::string& report)>;
  PairRun(const netstack::FaultPlan& plan, netstack::tcp::Tracer* tracer,
          FailureHandler on_failure = nullptr);
  // Another run with `plan` on the same world: the testbed reset (not
  // rebuilt), the oracles, memory faults and applications as constructed,
  // then the server listens and the client connects again. Plays every
  // input as a PairRun constructed with `plan` would.
  void restart(const netstack::FaultPlan& plan);
  void apply(const PairOp& op);
  // Stops the faults and checks liveness and cleanup (aborts on a failure).
  void finish();
  // "client wrote 6401 read 2561 eof 1 error 0; server ...; at 245.3 s"
  std::string summary() const;

 private:
  struct Side {
    netstack::tcp::EndpointId endpoint = netstack::tcp::kNoEndpoint;
    uint64_t written = 0;
    uint64_t read = 0;
    bool shut = false;
    bool eof = false;
    int error = 0;
  };

  // The server listens, the client connects, the wire is pumped.
  void open_connection();
  netstack::tcp::Endpoint* endpoint(int side);
  // Whether the connection failed on either side (then nothing is owed).
  bool failed(int side) const;
  // Pumps the wire, then checks().
  void step();
  // After every pump: the server accepts, and an invariant violation fails.
  void checks();
  void write(int side, size_t length);
  void read(int side, size_t length);
  void shut_down(int side);
  void advance(netstack::Duration d);
  [[noreturn]] void fail(const std::string& what);

  // The reference oracle of the client and of the server; they outlive the
  // testbed that reports to them.
  std::array<oracle::Oracle, 2> oracles_;
  // The client is host 0 (link end A), the server host 1 (end B).
  testbed::Testbed bed_;
  testbed::HostId client_host_;
  testbed::HostId server_host_;
  testbed::LinkId link_;
  netstack::tcp::Protocol& client_;
  netstack::tcp::Protocol& server_;
  std::array<RandomAllocationFaults, 2> memory_;  // client, server
  netstack::tcp::EndpointId listener_ = netstack::tcp::kNoEndpoint;
  std::array<Side, 2> sides_{};       // client, server
  std::vector<uint8_t> read_buffer_;  // what read() asks the endpoint for
  FailureHandler on_failure_;
  std::optional<std::string> invariant_failure_;
};

// Runs the input; `summary`, if given, receives PairRun::summary() at the end.
void run_pair(std::span<const uint8_t> input, netstack::tcp::Tracer* tracer,
              std::string* summary = nullptr);
void run_pair_input(std::span<const uint8_t> input);

}  // namespace tcpfuzz::harness
