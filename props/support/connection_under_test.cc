#include "props/support/connection_under_test.h"

#include <rapidcheck.h>

#include <algorithm>

#include "fuzz/scenario/linux_script.h"
#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/runner.h"
#include "stack/header/tcp.h"

namespace tcpfuzz::props {

using namespace netstack;
namespace flag = header::tcp_flag;

bool StepObserved::sent_rst() const {
  return std::any_of(sent.begin(), sent.end(), [](uint8_t f) { return (f & flag::kRst) != 0; });
}

bool StepObserved::sent_ack_only() const {
  return std::any_of(sent.begin(), sent.end(), [](uint8_t f) {
    return (f & flag::kAck) != 0 && (f & (flag::kSyn | flag::kFin | flag::kRst)) == 0;
  });
}

ConnectionUnderTest::ConnectionUnderTest()
    : runner_({.seed = 1, .pcap = oracle_.tap(), .tracer = &tracer_, .transcript = &transcript_}) {
  tracer_.add(trace_);
  tracer_.add(recorder_);
  if (tcp::Tracer* t = oracle_.tracer()) tracer_.add(*t);
  runner_.tcp().set_invariant_failure_handler([this](const std::string& report) {
    if (!invariant_failure_) invariant_failure_ = report;
  });
}

void ConnectionUnderTest::set_extra_tracer(tcp::Tracer* t) {
  if (extra_ != nullptr) tracer_.remove(*extra_);
  extra_ = t;
  if (extra_ != nullptr) tracer_.add(*extra_);
}

template <class Step>
StepObserved ConnectionUnderTest::observe(const Step& step) {
  // Timers already due belong to the time before the step (the runner
  // would run them first anyway).
  runner_.advance(Duration::zero());
  step_ = StepObserved{};
  step();
  if (invariant_failure_) {
    RC_FAIL("invariant violated: " + *invariant_failure_ + "\n" + report("invariant violated"));
  }
  oracle_.finish(runner_.clock().now());
  if (oracle_failure_) RC_FAIL(*oracle_failure_ + "\n" + report("oracle"));
  return step_;
}

StepObserved ConnectionUnderTest::call(scenario::SocketCall c) {
  return observe([&] { runner_.run({c}); });
}

StepObserved ConnectionUnderTest::inject(const scenario::InjectSegment& s) {
  return observe([&] { runner_.run({s}); });
}

StepObserved ConnectionUnderTest::inject_at(const scenario::InjectSegment& s, uint32_t live_seq,
                                            uint32_t live_ack) {
  return observe([&] { runner_.inject_at(s, live_seq, live_ack); });
}

StepObserved ConnectionUnderTest::run(const scenario::BinaryEvent& e) {
  return observe([&] { runner_.run({e}); });
}

StepObserved ConnectionUnderTest::advance(Duration d) {
  return observe([&] { runner_.advance(d); });
}

const tcp::Endpoint* ConnectionUnderTest::connection() const {
  return connection_ == tcp::kNoEndpoint ? nullptr : runner_.tcp().find(connection_);
}

tcp::State ConnectionUnderTest::state() const {
  const tcp::Endpoint* ep = connection();
  return ep != nullptr ? ep->state() : tcp::State::kClosed;
}

std::string ConnectionUnderTest::report(std::string_view headline) const {
  std::string text = scenario::write_linux_script(
      transcript_.scenario(),
      std::string(headline) + "\nThe run as a script: `tcpfuzz run FILE` replays it on the stack.");
  // Say so if the script would tell another story than the run.
  auto parsed = scenario::parse_script(text, "<property>");
  if (!parsed) {
    text += "// (the script does not parse: " + parsed.error().format("<property>") + ")\n";
  } else if (auto r = scenario::run_scenario(*parsed, {});
             r.status != scenario::RunResult::Status::kPass) {
    text += "// (the script does not replay: " + r.message + ")\n";
  }
  text += "\ntrace:\n";
  for (const std::string& line : trace_.lines()) text += "  " + line + "\n";
  return text;
}

void ConnectionUnderTest::StepRecorder::on_segment_in(Instant /*t*/, tcp::EndpointId /*id*/,
                                                      tcp::State s, const header::TcpHeader& /*h*/,
                                                      size_t /*len*/, tcp::Verdict v) {
  // A listener's verdict counts only when nothing else saw the segment.
  if (s != tcp::State::kListen || !c_.step_.verdict) c_.step_.verdict = v;
}

void ConnectionUnderTest::StepRecorder::on_segment_out(Instant /*t*/, tcp::EndpointId /*id*/,
                                                       tcp::State /*s*/,
                                                       const tcp::SegmentOut& out) {
  c_.step_.sent.push_back(out.tcp.flags);
}

void ConnectionUnderTest::StepRecorder::on_transition(Instant /*t*/, tcp::EndpointId id,
                                                      tcp::State from, tcp::State to,
                                                      std::string_view /*cause*/) {
  // Every edge but a listener's own (CLOSED <-> LISTEN) is the connection's;
  // a listener's child starts from LISTEN.
  if ((to != tcp::State::kListen && from != tcp::State::kListen) ||
      (from == tcp::State::kListen && to == tcp::State::kSynRcvd)) {
    c_.connection_ = id;
  }
}

}  // namespace tcpfuzz::props
