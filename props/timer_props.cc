// Timers, to the tick of the fake clock: keepalive gives up after exactly
// idle + intvl * probes without replies; TIME-WAIT lasts exactly 2*MSL
// (restarted by a retransmitted FIN); the retransmission timeout doubles up
// to its cap and gives up on tcp_retries2's budget; TCP_USER_TIMEOUT ends
// the connection at its deadline. Both budgets count from the first RTO
// retransmission, as Linux's (checked against Linux 6.18 by
// corpus/scripts/user_timeout/abort-unacked-data.pkt).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <vector>

#include "props/gen/tcp_gen.h"
#include "props/support/conversation.h"

namespace tcpfuzz::props {
namespace {

using netstack::Duration;
using netstack::Instant;
using netstack::tcp::State;
using scenario::CallOp;
using scenario::InjectSegment;
using scenario::SocketCall;
using std::chrono::milliseconds;
using std::chrono::seconds;
namespace flag = netstack::header::tcp_flag;

std::string ms_text(Duration d) {
  return std::to_string(std::chrono::duration_cast<milliseconds>(d).count()) + " ms";
}

// When the connection under test entered each state, and when it sent
// segments (retransmissions included).
class Timeline final : public netstack::tcp::Tracer {
 public:
  void on_transition(Instant t, netstack::tcp::EndpointId, State, State to,
                     std::string_view) override {
    entered.emplace_back(to, t);
  }
  void on_segment_out(Instant t, netstack::tcp::EndpointId, State,
                      const netstack::tcp::SegmentOut& out) override {
    sent.emplace_back(t, out.tcp.seq, out.payload.size());
  }
  std::optional<Instant> last_entered(State s) const {
    for (auto it = entered.rbegin(); it != entered.rend(); ++it) {
      if (it->first == s) return it->second;
    }
    return std::nullopt;
  }
  std::vector<std::pair<State, Instant>> entered;
  std::vector<std::tuple<Instant, uint32_t, size_t>> sent;  // time, seq, payload
};

// Runs the clock forward by `limit` at most, stopping once the connection
// is CLOSED.
void run_until_closed(ConnectionUnderTest& c, Duration limit) {
  for (Duration spent{0}; spent < limit && c.state() != State::kClosed; spent += seconds(1)) {
    c.advance(seconds(1));
  }
}

RC_GTEST_PROP(Timers, KeepaliveGivesUpAfterIdlePlusIntervalTimesProbes, ()) {
  // The fuzz encoding's keepalive call: idle 1 + arg % 10 s, interval
  // 1 + arg % 3 s; tcp_keepalive_probes stays at Linux's 9.
  const uint16_t arg = *gen::whole_range(rc::gen::inRange<uint16_t>(0, 30));
  const Duration idle = seconds(1 + arg % 10);
  const Duration interval = seconds(1 + arg % 3);
  constexpr int kProbes = 9;
  ConnectionUnderTest c;
  Timeline timeline;
  c.set_extra_tracer(&timeline);
  establish_passive(c);
  const Instant quiet_since = c.runner().clock().now();
  c.call(SocketCall{CallOp::kKeepAlive, arg});
  run_until_closed(c, idle + interval * (kProbes + 5));
  const auto closed = timeline.last_entered(State::kClosed);
  const Duration want = idle + interval * kProbes;
  if (!closed || *closed - quiet_since != want) {
    RC_FAIL("keepalive idle " + ms_text(idle) + ", interval " + ms_text(interval) +
            ": want the connection closed " + ms_text(want) + " after the last segment, got " +
            (closed ? ms_text(*closed - quiet_since) : std::string("never")) + "\n" +
            c.report("keepalive timing"));
  }
}

RC_GTEST_PROP(Timers, TimeWaitLastsTwoMslFromTheLastFin, ()) {
  // Active close, the peer's FIN, then maybe retransmissions of that FIN.
  const int fins_again = *gen::whole_range(rc::gen::inRange(0, 4));
  ConnectionUnderTest c;
  Timeline timeline;
  c.set_extra_tracer(&timeline);
  establish_passive(c);
  c.call(SocketCall{CallOp::kClose, 0});
  c.inject(InjectSegment{.flags = flag::kAck, .window = 65535});
  c.inject(InjectSegment{.flags = flag::kFin | flag::kAck, .window = 65535});
  RC_ASSERT(c.state() == State::kTimeWait);
  Instant last_fin = c.runner().clock().now();
  for (int i = 0; i < fins_again; ++i) {
    const uint16_t wait_s = *gen::whole_range(rc::gen::inRange<uint16_t>(1, 59));
    c.advance(seconds(wait_s));
    // The same FIN again (its sequence number is the one before RCV.NXT).
    const auto info = c.connection()->info();
    c.inject_at(InjectSegment{.flags = flag::kFin | flag::kAck, .window = 65535}, info.rcv_nxt - 1,
                info.snd_max);
    last_fin = c.runner().clock().now();
  }
  run_until_closed(c, seconds(200));
  const auto closed = timeline.last_entered(State::kClosed);
  const Duration two_msl = seconds(60);  // Linux TCP_TIMEWAIT_LEN
  if (!closed || *closed - last_fin != two_msl) {
    RC_FAIL("TIME-WAIT after " + std::to_string(fins_again) +
            " FIN retransmission(s): want CLOSED 60000 ms after the last FIN, got " +
            (closed ? ms_text(*closed - last_fin) : std::string("never")) + "\n" +
            c.report("TIME-WAIT timing"));
  }
}

RC_GTEST_PROP(Timers, RetransmissionTimeoutDoublesUpToItsCapThenGivesUp, ()) {
  const uint16_t bytes = *gen::whole_range(rc::gen::inRange<uint16_t>(1, 3000));
  ConnectionUnderTest c;
  Timeline timeline;
  c.set_extra_tracer(&timeline);
  establish_passive(c);
  const size_t before = timeline.sent.size();
  c.call(SocketCall{CallOp::kWrite, bytes});
  RC_ASSERT(timeline.sent.size() > before);
  // The head segment: the one the RTO sends again.
  const uint32_t first_seq = std::get<1>(timeline.sent[before]);
  std::vector<Instant> sends;  // the first segment's transmissions
  for (const auto& [t, seq, len] : timeline.sent) {
    if (seq == first_seq && len > 0) sends.push_back(t);
  }
  const size_t first = timeline.sent.size();
  run_until_closed(c, seconds(2000));
  for (size_t i = first; i < timeline.sent.size(); ++i) {
    const auto& [t, seq, len] = timeline.sent[i];
    if (seq == first_seq && len > 0) sends.push_back(t);
  }
  const Duration cap = seconds(120);  // Linux TCP_RTO_MAX
  std::string problem;
  for (size_t i = 2; i < sends.size() && problem.empty(); ++i) {
    const Duration previous = sends[i - 1] - sends[i - 2];
    const Duration gap = sends[i] - sends[i - 1];
    if (gap != std::min(2 * previous, cap)) {
      problem = "retransmission " + std::to_string(i) + " came " + ms_text(gap) + " after the " +
                "one before, which came " + ms_text(previous) + " after its own";
    }
  }
  // Linux tcp_model_timeout() for tcp_retries2 = 15 from TCP_RTO_MIN 200 ms:
  // 200 ms * (2^10 - 1) + (15 - 9) * 120 s, counted from the first RTO
  // retransmission (tcp_retransmit_skb() sets retrans_stamp then), and
  // checked when an RTO fires.
  const Duration budget = milliseconds(200 * 1023) + 6 * cap;
  const auto closed = timeline.last_entered(State::kClosed);
  if (problem.empty() && (sends.size() < 2 || !closed || *closed - sends[1] < budget ||
                          *closed - sends[1] >= budget + cap)) {
    problem = "gave up " + (closed && sends.size() >= 2 ? ms_text(*closed - sends[1]) : "never") +
              " after the first retransmission; the budget is " + ms_text(budget);
  }
  if (!problem.empty()) RC_FAIL(problem + "\n" + c.report("RTO backoff"));
}

RC_GTEST_PROP(Timers, UserTimeoutEndsTheConnectionAtItsDeadline, ()) {
  const uint16_t timeout_ms = *gen::whole_range(rc::gen::inRange<uint16_t>(1500, 65535));
  ConnectionUnderTest c;
  Timeline timeline;
  c.set_extra_tracer(&timeline);
  establish_passive(c);
  c.call(SocketCall{CallOp::kUserTimeout, timeout_ms});
  const size_t before = timeline.sent.size();
  c.call(SocketCall{CallOp::kWrite, 100});
  run_until_closed(c, seconds(100));
  // The deadline counts from the first RTO retransmission, the data's
  // second transmission (Linux retrans_stamp; no SACK here, so no loss
  // probe comes first). The RTO is clamped to hit it exactly.
  RC_ASSERT(timeline.sent.size() >= before + 2);
  const Instant first_retransmission = std::get<0>(timeline.sent[before + 1]);
  const auto closed = timeline.last_entered(State::kClosed);
  if (!closed || *closed - first_retransmission != milliseconds(timeout_ms)) {
    RC_FAIL("TCP_USER_TIMEOUT " + std::to_string(timeout_ms) + " ms: the connection closed " +
            (closed ? ms_text(*closed - first_retransmission) : std::string("never")) +
            " after the first retransmission\n" + c.report("user timeout"));
  }
}

}  // namespace
}  // namespace tcpfuzz::props
