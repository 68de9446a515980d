#include "fuzz/scenario/run_recording.h"

#include "fuzz/scenario/linux_symbols.h"
#include "fuzz/scenario/script_timing.h"
#include "stack/header/tcp.h"

namespace tcpfuzz::scenario {

namespace flag = netstack::header::tcp_flag;

void RunRecording::add(int64_t at_us, int line, decltype(Event::action) action) {
  if (!enabled_) return;
  EventTime time;
  time.start_us = at_us;
  events_.push_back(Event{time, line, std::move(action)});
}

void RunRecording::as_is(int64_t at_us, const Event& e) {
  add(at_us, e.line, e.action);
}

void RunRecording::inbound(int64_t at_us, const Event& e, const PacketSpec& p,
                           const TimestampMap& timestamps) {
  PacketSpec live_ecr = p;
  if (live_ecr.options && (p.flags & flag::kAck) != 0) {
    for (OptionSpec& o : *live_ecr.options) {
      const auto live = timestamps.live(o.value2);
      if (o.kind == OptionSpec::Kind::kTimestamp && live) o.value2 = *live;
    }
  }
  add(at_us, e.line, std::move(live_ecr));
}

void RunRecording::call(int64_t at_us, const Event& e, const SyscallSpec& sc,
                        const CallOutcome& out) {
  SyscallSpec made = sc;
  made.end_us.reset();
  add(at_us, e.line, std::move(made));
  if (out.would_block) {
    blocked_call_ = events_.empty() ? std::nullopt : std::optional(events_.size() - 1);
  } else {
    set_result(events_.empty() ? nullptr : &events_.back(), out);
  }
}

void RunRecording::returned(int64_t at_us, const CallOutcome& out) {
  if (!blocked_call_) return;
  Event& call = events_[*blocked_call_];
  std::get<SyscallSpec>(call.action).end_us = at_us;
  set_result(&call, out);
  blocked_call_.reset();
}

void RunRecording::set_result(Event* call, const CallOutcome& out) const {
  if (!enabled_ || call == nullptr) return;
  auto& sc = std::get<SyscallSpec>(call->action);
  sc.result = Expr::number(out.result);
  sc.errno_name.reset();
  if (out.result < 0) sc.errno_name = std::string(errno_name(out.error));
}

void RunRecording::unscriptable_from_here(std::string why) {
  if (!unscriptable_) unscriptable_ = Unscriptable{std::move(why), events_.size()};
}

void RunRecording::sent(const Captured& c, PacketSpec spec, bool new_isn) {
  const int64_t at_us = script_us(c.sent_at);
  // packetdrill numbers outbound segments from the ISN, so no script line
  // means a live 0 once the local ISN is known.
  if (c.tcp.has(flag::kRst) && c.tcp.seq == 0 && spec.seq_start != 0 && !unscriptable_) {
    unscriptable_ = Unscriptable{"a RST with sequence number 0, which no script line can state",
                                 events_.size()};
  }
  // A new ISN for the same socket under test (a new request after a reset,
  // a second connect()) is numbered from the first one: both stacks take
  // ISNs from a clock (RFC 6528), so where it lands follows the wall
  // clock's jitter on Linux, which no script line can pin.
  if (c.tcp.has(flag::kSyn) && (spec.seq_start != 0 || new_isn) && !unscriptable_) {
    unscriptable_ =
        Unscriptable{"a second ISN, numbered from the first, which the wall clock moves on Linux",
                     events_.size()};
  }
  add(at_us, 0, std::move(spec));
}

}  // namespace tcpfuzz::scenario
