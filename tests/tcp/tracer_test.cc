// The Tracer sees segments in (with verdicts) and out, transitions, timers
// and socket calls.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

struct Log final : Tracer {
  std::vector<std::string> lines;
  void on_segment_in(Instant, EndpointId, State s, const header::TcpHeader& tcp, size_t len,
                     Verdict v) override {
    lines.push_back("in " + header::flags_to_string(tcp.flags) + " len " + std::to_string(len) +
                    " " + std::string(to_string(s)) + " " + std::string(to_string(v)));
  }
  void on_segment_out(Instant, EndpointId, State, const SegmentOut& o) override {
    lines.push_back("out " + header::flags_to_string(o.tcp.flags));
  }
  void on_transition(Instant, EndpointId, State from, State to, std::string_view cause) override {
    lines.push_back(std::string(to_string(from)) + " -> " + std::string(to_string(to)) + " (" +
                    std::string(cause) + ")");
  }
  void on_timer(Instant, EndpointId, State, TimerKind k) override {
    lines.push_back("timer " + std::string(to_string(k)));
  }
  void on_socket_call(Instant, EndpointId, State, std::string_view call, long result,
                      const netstack::tcp::CallArgs&) override {
    lines.push_back(std::string(call) + " = " + std::to_string(result));
  }
};

TEST(Tracer, SeesAnActiveOpenRefusedByRst) {
  PeerHarness h;
  Log log;
  h.tcp.set_tracer(&log);
  Endpoint& ep = h.connect();
  const Seg syn = h.out();
  h.advance(1s);  // one SYN retransmission
  h.in(Seg{.flags = kRst | kAck, .ack = syn.seq + 1});
  std::array<uint8_t, 1> buf{};
  (void)ep.read(buf);
  const std::vector<std::string> expected{
      "bind = 0",
      "CLOSED -> SYN-SENT (active open)",
      "out S",
      "connect = -115",  // EINPROGRESS
      "timer retransmit",
      "out S",
      "in R. len 0 SYN-SENT rst-accepted",
      "SYN-SENT -> CLOSED (ext: rcv RST)",
      "read = -111",  // ECONNREFUSED
  };
  EXPECT_EQ(log.lines, expected);
}

TEST(Tracer, VerdictForAnOutOfWindowSegment) {
  PeerHarness h;
  Endpoint& ep = h.establish_passive();
  Log log;
  h.tcp.set_tracer(&log);
  h.in(Seg{.flags = kAck, .seq = 1001 + 1'000'000, .ack = h.our_iss + 1, .payload = {1}});
  ASSERT_FALSE(log.lines.empty());
  EXPECT_EQ(log.lines.front(), "out .");  // the ACK goes out before the verdict is recorded
  EXPECT_EQ(log.lines.back(), "in . len 1 ESTABLISHED out-of-window");
  (void)ep;
}

}  // namespace
}  // namespace netstack::tcp::testing
