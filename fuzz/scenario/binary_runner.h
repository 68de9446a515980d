// BinaryRunner: plays the remote peer of a fresh stack through a list of
// binary scenario events, the way a packetdrill script would: the stack is
// 192.168.0.1 and listens on 8080 or connects to the peer 192.0.2.1:8080;
// the peer's passive port is 48000. Injected segments are numbered
// relative to what the peer has seen of the socket under test (its live
// sequence numbers and TSval), and every socket is non-blocking.
//
// Both runners share the world set-up (scenario_world.h), the socket calls
// (socket_calls.h) and the socket-under-test mapping (packet_mapping.h), so
// a run can record itself as a Scenario whose script
// replays it exactly: the calls with their results, the packets injected
// and the packets the stack sent, at their times. Invariants are checked by
// the stack itself after every event (TCPFUZZ_INVARIANTS builds).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/scenario/binary_scenario.h"
#include "fuzz/scenario/scenario.h"
#include "fuzz/scenario/scenario_world.h"
#include "fuzz/scenario/socket_calls.h"
#include "fuzz/scenario/socket_under_test.h"
#include "fuzz/scenario/transcript.h"

namespace tcpfuzz::scenario {

// A call line for the transcript: `name(args)`, its result filled in later.
SyscallSpec syscall(std::string name, std::vector<Expr> args);

struct BinaryRunOptions {
  uint64_t seed = 1;
  // Every packet exchanged (nullptr: none).
  netstack::PacketRecorder* pcap = nullptr;
  // Also sees every TCP event (nullptr: none).
  netstack::tcp::Tracer* tracer = nullptr;
  // Receives the run as script lines (nullptr: not recorded).
  TranscriptSink* transcript = nullptr;
};

class BinaryRunner final : private netstack::PacketReceiver, private netstack::tcp::Tracer {
 public:
  explicit BinaryRunner(const BinaryRunOptions& options = {});
  // Back to a fresh stack and a fresh peer, as constructed, whatever ran
  // before (the testbed's reset(): no world is built again). A fuzz
  // harness keeps one runner and resets it before each input.
  void reset();
  void run(const std::vector<BinaryEvent>& events);
  // For harnesses that bring their own packets (segment_fuzzer): moves the
  // clock on timer by timer, and hands the stack a raw IP packet as the
  // peer. Raw packets are not part of the transcript.
  void advance(netstack::Duration d);
  void inject_raw(std::span<const uint8_t> packet);
  // For property tests: the peer sends `s` (flags, window, payload, options)
  // with these live sequence and acknowledgment numbers, deltas ignored.
  // Unlike an in-order inject(), it does not move the peer's next number.
  void inject_at(const InjectSegment& s, uint32_t live_seq, uint32_t live_ack);
  // What the peer has seen: its own next sequence number, and the stack's
  // highest sequence number sent + 1 (live numbers).
  uint32_t peer_next() const { return peer_next_; }
  uint32_t stack_next() const { return stack_next_; }

  // Which TCP states any endpoint reached.
  const std::array<bool, netstack::tcp::kStateCount>& states_reached() const { return states_; }
  netstack::tcp::Protocol& tcp() { return world_.tcp(); }
  const netstack::tcp::Protocol& tcp() const { return world_.tcp(); }
  netstack::FakeClock& clock() { return world_.clock(); }

 private:
  void begin_line();
  void inject(const InjectSegment& s);
  // The segment with script numbers `seq` and `ack_number`.
  void send_inbound(const InjectSegment& s, uint32_t seq, uint32_t ack_number);
  void call(const SocketCall& c);

  // Socket calls, applied and recorded as the script line that makes them.
  int open_socket();
  // A call's line, when a transcript is kept: announced before the call
  // runs (so a transcript that outlives a crash inside it still shows it),
  // then completed with the result.
  template <class MakeCall>
  void announce(const MakeCall& make_call) {
    started_ = true;
    if (options_.transcript == nullptr) return;  // fuzzing: nothing to build
    announced_ = make_call();
    announced_->result = Expr::number(0);
    options_.transcript->pending(event_now(*announced_));
  }
  void complete(const CallOutcome& out);
  void set_option(int fd, netstack::tcp::SockOpt option, int value);
  void close_fd(int fd);
  // The extended calls (binary_extended_calls.cc).
  void extended_call(int fd, const SocketCall& c);
  void send_flagged(int fd, uint16_t length, const char* flag, netstack::tcp::SendFlags flags);
  // ioctl(fd, request, [value]), or the error it answered.
  void ioctl(int fd, Expr request, const netstack::Expected<long, netstack::tcp::Errno>& value);
  // recv(1, MSG_OOB), with MSG_PEEK when `peek`.
  void read_urgent(int fd, bool peek);
  // splice(fd, NULL, pipe, NULL, length, SPLICE_F_NONBLOCK) into a pipe
  // made by the first call.
  void splice_to_pipe(int fd, uint16_t length);
  void read_error_queue(int fd);
  void epoll_wait(int fd, uint16_t arg);
  void poll(int fd);
  // A new socket that connects by Fast Open: sendto(MSG_FASTOPEN) with
  // `length` bytes, or TCP_FASTOPEN_CONNECT and connect() when `length` is
  // nullopt.
  void fast_open_connect(std::optional<uint16_t> length);

  // Begin PacketReceiver implementation: segments the stack sends.
  void receive(netstack::View packet) override;
  // End PacketReceiver implementation.
  // Begin Tracer implementation: the states reached, and every event on to
  // the caller's tracer (BinaryRunOptions::tracer). Forwarding costs a fuzz
  // input less than the testbed's fan-out of two tracers.
  void on_segment_in(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                     const netstack::header::TcpHeader& h, size_t len,
                     netstack::tcp::Verdict v) override;
  void on_segment_out(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                      const netstack::tcp::SegmentOut& out) override;
  void on_transition(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State from,
                     netstack::tcp::State to, std::string_view cause) override;
  void on_timer(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                netstack::tcp::TimerKind k) override;
  void on_socket_call(netstack::Instant t, netstack::tcp::EndpointId id, netstack::tcp::State s,
                      std::string_view call, long result,
                      const netstack::tcp::CallArgs& args) override;
  // End Tracer implementation.

  Event event_now(std::variant<PacketSpec, SyscallSpec, CommandSpec, CodeSpec> action);
  // A transcript line; a no-op (not even a copy) while fuzzing.
  template <class Action>
  void add_event(Action&& action) {
    if (options_.transcript == nullptr) return;
    options_.transcript->add(event_now(std::forward<Action>(action)));
  }

  BinaryRunOptions options_;
  netstack::IpAddress local_;
  netstack::IpAddress remote_;
  ScenarioWorld world_;
  SocketUnderTest sut_;
  // Every descriptor is non-blocking, numbered as Linux numbers them.
  SocketCalls calls_;
  // The peer's ISN for each connection it makes or answers.
  static constexpr uint32_t kPeerIsn = 1000;
  int listener_fd_ = -1;
  int epoll_fd_ = -1;             // made by the first epoll call
  int pipe_write_fd_ = -1;        // made by the first splice call
  std::vector<int> connections_;  // fds, the newest last; calls go to the newest
  // What the peer has seen of the socket under test, live numbers.
  uint32_t peer_next_ = kPeerIsn;  // its own next sequence number
  uint32_t stack_next_ = 0;        // highest sequence number the stack sent, +1
  std::optional<uint32_t> stack_ts_val_;
  std::optional<SyscallSpec> announced_;
  std::array<bool, netstack::tcp::kStateCount> states_{};
  bool started_ = false;  // an inject or a call has happened
};

}  // namespace tcpfuzz::scenario
