// The script runner. Rules follow real packetdrill (src/run_packet.c,
// run_system_call.c, run.c):
//  - Sequence numbers: SYNs carry absolute numbers, everything else is
//    relative to the ISNs. The remote ISN is the script's; the stack's live
//    ISN is learned from its SYN or SYN-ACK (socket_under_test.h).
//  - Outbound packets are compared field by field (outbound_match.h),
//    summing consecutive live segments up to the expected length (TSO)
//    unless --strict_segments.
//  - Inbound TSecr is the stack's live TSval for the script value it names.
//  - Time: "+t" is relative to when the previous event finished (to its
//    script time between two inbound packets); outbound packets must be sent
//    within max(--tolerance_usecs, --tolerance_percent of the gap)
//    (script_timing.h).
//  - Packets the script does not mention are only noticed when a later
//    outbound line takes them as its packet.
//
// The parts: ScriptOptions, ScriptTiming, OutboundMatch, check_tcp_info()
// (%{ }%), run_script_command() (`...`), ScriptSyscalls on SocketCalls, and
// RunRecording; this file plays the events through them in order.
#include "fuzz/scenario/runner.h"

#include <algorithm>

#include "fuzz/scenario/outbound_match.h"
#include "fuzz/scenario/packet_format.h"
#include "fuzz/scenario/packet_mapping.h"
#include "fuzz/scenario/peer_capture.h"
#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/run_recording.h"
#include "fuzz/scenario/scenario_world.h"
#include "fuzz/scenario/script_commands.h"
#include "fuzz/scenario/script_options.h"
#include "fuzz/scenario/script_syscalls.h"
#include "fuzz/scenario/script_timing.h"
#include "fuzz/scenario/socket_calls.h"
#include "fuzz/scenario/socket_under_test.h"
#include "fuzz/scenario/tcp_info_assertions.h"
#include "fuzz/scenario/trace_log.h"
#include "stack/header/tcp.h"

namespace tcpfuzz::scenario {

namespace {

using namespace netstack;
namespace flag = header::tcp_flag;

struct Failure {
  int line;
  std::string message;
};

SocketCalls::Addresses addresses_of(const ScriptOptions& o) {
  const bool v6 = o.family == IpAddress::Family::kV6;
  return SocketCalls::Addresses{*IpAddress::parse(v6 ? kLocalIpv6 : kLocalIpv4),
                                *IpAddress::parse(v6 ? kRemoteIpv6 : kRemoteIpv4), o.bind_port,
                                o.connect_port};
}

ScenarioWorld::Options world_options(const RunOptions& run, const ScriptOptions& script) {
  return ScenarioWorld::Options{run.seed, run.config, script.mtu, addresses_of(script).local,
                                run.pcap};
}

class Runner final : public CommandHost {
 public:
  Runner(const Scenario& s, const RunOptions& o)
      : s_(s),
        opts_(o),
        options_(ScriptOptions::of(s)),
        addresses_(addresses_of(options_)),
        timing_(options_),
        outbound_(options_, o.compare_windows, timing_),
        trace_(o.trace),
        world_(world_options(o, options_)),
        calls_(world_.tcp(), sut_, addresses_),
        syscalls_(calls_, files_, options_.family, world_.clock(), options_.tolerance_us),
        capture_(world_.clock(), sut_),
        recording_(o.record) {
    world_.attach_peer(&capture_);
    world_.testbed().attach(trace_);
    if (o.tracer != nullptr) world_.testbed().attach(*o.tracer);
    world_.host().set_invariant_failure_handler([this](const std::string& report) {
      if (!invariant_failure_) invariant_failure_ = report;
    });
    if (o.record || o.record_only) {
      capture_.on_sent = [this](const Captured& c) { on_sent(c); };
      capture_.on_unseen = [this](const Captured& c) { unread_.push_back(c); };
    }
  }

  RunResult run() {
    RunResult r = run_events();
    r.ended_at = world_.clock().now();
    if (opts_.record) {
      r.unscriptable = recording_.unscriptable();
      r.recorded.path = s_.path;
      r.recorded.options = s_.options;
      r.recorded.events = recording_.take();
    }
    return r;
  }

 private:
  // A blocking call that has not returned yet.
  struct Pending {
    const Event* event;
    const SyscallSpec* call;
    int64_t end_us;
  };

  RunResult run_events() {
    if (!s_.unsupported.empty()) {
      return skip(s_.unsupported.front().construct, s_.unsupported.front().line);
    }
    if (auto option = unsupported_option(s_)) return skip(*option, 1);
    for (size_t i = 0; i < s_.events.size(); ++i) {
      const Event& e = s_.events[i];
      std::optional<RunResult> early;
      if (!run_event(e, i, &early)) {
        if (early) return *early;
        return fail_result();
      }
      if (invariant_failure_) {
        failure_ = Failure{e.line, "invariant violated after this event:\n" + *invariant_failure_};
        return fail_result();
      }
    }
    if (pending_) {
      // Give a blocking call that is still pending the time the script allowed.
      const Instant deadline =
          Instant::from_nanos((pending_->end_us + options_.tolerance_us) * 1000) +
          std::chrono::seconds(1);
      advance_to(deadline);
      if (pending_ && !failure_) {
        failure_ =
            Failure{pending_->event->line, "blocking " + pending_->call->name + " never returned"};
      }
      if (failure_) return fail_result();
    }
    RunResult r;
    r.status = RunResult::Status::kPass;
    r.trace = trace_.lines();
    return r;
  }

  // ---- Results ----
  RunResult skip(const std::string& construct, int line) const {
    RunResult r;
    r.status = RunResult::Status::kSkip;
    r.message = "unsupported: " + construct + " at " + s_.path + ":" + std::to_string(line);
    r.line = line;
    return r;
  }
  RunResult fail_result() const {
    RunResult r;
    r.status = RunResult::Status::kFail;
    r.line = failure_->line;
    r.message = s_.path + ":" + std::to_string(failure_->line) + ": " + failure_->message;
    r.trace = trace_.lines();
    return r;
  }
  bool fail(int line, std::string message) {
    if (!failure_) failure_ = Failure{line, std::move(message)};
    return false;
  }

  // ---- Time ----
  int64_t script_now_us() const { return script_us(world_.now()); }

  // Moves the fake clock to t timer by timer, delivering packets and giving
  // a pending blocking call its chance after each step.
  void advance_to(Instant t) {
    world_.testbed().run_to(t, testbed::QueuedPackets::kDeliverFirst, [this] { retry_pending(); });
  }

  bool run_event(const Event& e, size_t index, std::optional<RunResult>* early) {
    const auto* packet = std::get_if<PacketSpec>(&e.action);
    const bool inbound = packet != nullptr && packet->direction == PacketSpec::Direction::kInbound;
    const bool outbound = packet != nullptr && !inbound;
    const ScriptTiming::Due due = timing_.due(e, inbound, script_now_us());
    const int64_t t = due.start_us;
    if (index == 0 && !std::holds_alternative<CommandSpec>(e.action) && t != 0) {
      return fail(e.line, "first event should be at time 0");
    }
    bool ok = true;
    if (outbound && opts_.record_only) return true;  // the run decides what goes out
    if (outbound) {
      ok = expect_outbound(e, *packet, t, due.end_us);
    } else {
      if (e.time.kind != EventTime::Kind::kAny) {
        if (auto late = timing_.late_start(t, world_.now())) return fail(e.line, *late);
        advance_to(instant_of_script_us(t));
      }
      if (inbound) {
        // Recorded before what it makes the stack send.
        recording_.inbound(script_now_us(), e, *packet, outbound_.timestamps());
        ok = inject(e, *packet);
      } else if (const auto* sc = std::get_if<SyscallSpec>(&e.action)) {
        ok = syscall(e, *sc, t, early);
      } else if (const auto* code = std::get_if<CodeSpec>(&e.action)) {
        ok = tcp_info_assertions(e, *code, early);
        recording_.as_is(script_now_us(), e);
      } else {
        ok = command(e, std::get<CommandSpec>(e.action), early);
        recording_.as_is(script_now_us(), e);
      }
    }
    if (failure_ || early->has_value()) return false;
    timing_.finished(t, inbound);
    return ok;
  }

  // ---- Inbound packets ----
  bool inject(const Event& e, const PacketSpec& p) {
    const PeerAddresses peer{addresses_.local, addresses_.remote, addresses_.bind_port};
    if (p.icmp) {
      world_.send_to_stack(live_inbound_icmp(p, peer, sut_));
      world_.pump();
      retry_pending();
      return true;
    }
    auto packet = live_inbound_packet(p, peer, sut_, [this](uint32_t script_ts) {
      const TimestampMap& stamps = outbound_.timestamps();
      const std::optional<uint32_t> live = stamps.live(script_ts);
      return live || !options_.ts_ecr_scaled ? live : stamps.scaled(script_ts);
    });
    if (!packet) return fail(e.line, packet.error());
    // Linux virtio_net_hdr_to_skb(): "too small packets are not really GSO ones".
    if (options_.gso_mss != 0 && p.payload_length > options_.gso_mss) {
      packet->set_gso_size(options_.gso_mss);
    }
    world_.send_to_stack(std::move(*packet));
    world_.pump();
    retry_pending();
    return true;
  }

  // ---- Outbound packets ----
  // The next packet the stack sends, waiting (in fake time) up to `limit`.
  std::optional<Captured> next_sent(Instant limit) {
    world_.pump();
    while (true) {
      while (capture_.queue.empty()) {
        const auto next = world_.clock().next_deadline();
        if (!next || *next > limit) return std::nullopt;
        advance_to(*next);
      }
      Captured c = std::move(capture_.queue.front());
      capture_.queue.pop_front();
      if (of_socket_under_test(c)) return c;
    }
  }

  bool of_socket_under_test(const Captured& c) const {
    return sut_.compares(c.tcp.has(flag::kSyn) && !c.tcp.has(flag::kAck), c.tcp.src_port,
                         c.tcp.dst_port);
  }

  bool expect_outbound(const Event& e, const PacketSpec& p, int64_t t,
                       std::optional<int64_t> t_end) {
    const int64_t latest = (t_end ? *t_end : t);
    const int64_t previous = timing_.previous_us();
    const int64_t wait_us = std::max(latest - previous, int64_t{0}) + 2'000'000;
    const Instant limit = e.time.kind == EventTime::Kind::kAny
                              ? Instant::from_nanos(INT64_MAX / 2)
                              : std::max(world_.now(), instant_of_script_us(previous)) +
                                    std::chrono::microseconds(wait_us);
    std::optional<Captured> first = next_sent(limit);
    if (!first) return fail(e.line, "timed out waiting for packet: expected > " + format_packet(p));
    // TSO: Linux hands the device one large segment; sum consecutive live
    // segments until the expected payload is reached. A packet of another
    // connection (an older socket's retransmitted SYN) drops what was summed
    // and starts anew (packetdrill do_outbound_script_packet()).
    size_t payload = first->payload;
    size_t fragments = 1;
    Captured last = *first;
    while (!options_.strict_segments && payload < p.payload_length) {
      std::optional<Captured> more = next_sent(limit);
      if (!more) break;
      if (more->tcp.src_port != last.tcp.src_port || more->tcp.dst_port != last.tcp.dst_port) {
        first = *more;
        payload = more->payload;
        fragments = 1;
        last = std::move(*more);
        continue;
      }
      if (more->tcp.seq != last.tcp.seq + last.payload || more->tcp.ack != last.tcp.ack) {
        capture_.queue.push_front(std::move(*more));
        break;
      }
      payload += more->payload;
      ++fragments;
      last = std::move(*more);
    }
    if (first->tcp.has(flag::kSyn) && (p.flags & flag::kSyn) != 0) {
      sut_.on_outbound_syn(p.seq_start, first->tcp.seq, first->tcp.src_port);
    }
    // Headers from the last fragment, seq from the first (packetdrill aggregate_packets()).
    PacketSpec live = script_outbound_packet(first->tcp.seq, last.tcp, payload, sut_);
    live.ip = live_ip_fields(first->packet);
    if (auto differs = outbound_.mismatch(e, p, std::move(live), fragments, t, t_end,
                                          script_us(last.sent_at))) {
      return fail(e.line, *differs);
    }
    // Later relative events count from when this packet actually went out.
    return true;
  }

  // ---- %{ }% blocks and commands ----
  bool tcp_info_assertions(const Event& e, const CodeSpec& code, std::optional<RunResult>* early) {
    const tcp::Endpoint* ep = world_.tcp().find(calls_.newest_socket());
    if (ep == nullptr) return fail(e.line, "%{ }% block with no socket under test");
    const TcpInfoVerdict verdict = check_tcp_info(code.code, ep->info(), python_variables_);
    switch (verdict.kind) {
      case TcpInfoVerdict::Kind::kHolds:
        return true;
      case TcpInfoVerdict::Kind::kFails:
        return fail(e.line, verdict.detail);
      case TcpInfoVerdict::Kind::kUnsupported:
        *early = skip("python code `" + verdict.detail + "`", e.line);
        return false;
    }
    return false;
  }

  bool command(const Event& e, const CommandSpec& c, std::optional<RunResult>* early) {
    std::optional<std::string> failed;
    if (auto cannot =
            run_script_command(c.command, s_.path, world_.tcp().config(), this, &failed)) {
      *early = skip(*cannot, e.line);
      return false;
    }
    if (failed) return fail(e.line, *failed);
    return true;
  }

  // Begin CommandHost implementation.
  MibCounters counters() const override { return mib_counters(world_.tcp().stats()); }
  Nstat& nstat() override { return nstat_; }
  void flush_metrics() override { world_.tcp().flush_metrics(); }
  EmulatedFiles& files() override { return files_; }
  void set_link_mtu(uint32_t mtu) override { world_.set_link_mtu(mtu); }
  bool listening_on(uint16_t port) const override {
    bool found = false;
    world_.tcp().for_each_endpoint([&](const tcp::Endpoint& ep) {
      found = found || (ep.state() == tcp::State::kListen && ep.tuple().local_port == port);
    });
    return found;
  }
  // End CommandHost implementation.

  // ---- Syscalls ----
  CallOutcome make_call(const Event& e, const SyscallSpec& sc, std::string* unsupported) {
    CallIssues issues;
    const CallOutcome out = syscalls_.call(sc, &issues);
    if (issues.failure) fail(e.line, std::move(*issues.failure));
    *unsupported = std::move(issues.unsupported);
    return out;
  }

  bool syscall(const Event& e, const SyscallSpec& sc, int64_t t, std::optional<RunResult>* early) {
    if (pending_) {
      return fail(e.line, "blocking system call while another blocking system call is in progress");
    }
    std::string unsupported;
    const CallOutcome out = make_call(e, sc, &unsupported);
    // The call's line goes before what it sent.
    if (unsupported.empty() && !failure_) recording_.call(script_now_us(), e, sc, out);
    world_.pump();  // what the call sent leaves now, stamped with this instant
    if (!unsupported.empty()) {
      *early = skip(unsupported, e.line);
      return false;
    }
    if (failure_) return false;
    if (out.would_block && opts_.record_only && !sc.end_us) {
      return fail(e.line, sc.name + " blocks forever");
    }
    const std::optional<int64_t> end = sc.end_us
                                           ? std::optional(e.time.kind == EventTime::Kind::kRelative
                                                               ? t - e.time.start_us + *sc.end_us
                                                               : *sc.end_us)
                                           : std::nullopt;
    if (out.would_block) {
      if (!end) {
        return fail(e.line, sc.name +
                                " would block forever: the socket is blocking and the script has "
                                "no '...' end time");
      }
      pending_ = Pending{&e, &sc, *end};
      return true;
    }
    if (opts_.record_only) return true;
    if (end && !check_end_time(e, sc, *end)) return false;
    return check_result(e, sc, out);
  }

  void retry_pending() {
    if (!pending_ || failure_) return;
    const Pending p = *pending_;
    std::string unsupported;  // a line is unsupported on its first try or never
    const CallOutcome out = make_call(*p.event, *p.call, &unsupported);
    if (!out.would_block) recording_.returned(script_now_us(), out);
    world_.pump();
    if (out.would_block) return;
    pending_.reset();
    if (opts_.record_only) return;
    if (check_end_time(*p.event, *p.call, p.end_us)) check_result(*p.event, *p.call, out);
  }

  bool check_end_time(const Event& e, const SyscallSpec& sc, int64_t end_us) {
    if (auto wrong = timing_.wrong_return(sc.name, end_us, script_now_us())) {
      return fail(e.line, *wrong);
    }
    return true;
  }

  bool check_result(const Event& e, const SyscallSpec& sc, const CallOutcome& out) {
    if (auto wrong = result_mismatch(sc, out)) return fail(e.line, *wrong);
    return true;
  }

  // ---- The run as it happened ----
  // Every packet the stack sends the scripted peer, in script numbers; the
  // first SYN fixes the local ISN as script ISN 0, as packetdrill scripts
  // write it.
  void on_sent(const Captured& c) {
    // packetdrill reads a packet when it plays the next outbound line, and
    // decides then whether it is the socket under test's: an older socket's
    // SYN left unread is taken for the SYN of a socket that connects since.
    if (std::ranges::any_of(unread_, [&](const Captured& u) { return of_socket_under_test(u); })) {
      recording_.unscriptable_from_here(
          "an older socket's SYN, which packetdrill would take for a newer socket's");
    }
    // What packetdrill would not compare has no line.
    if (!of_socket_under_test(c)) {
      unread_.push_back(c);
      return;
    }
    unread_.clear();
    // Every open takes an ISN from the clock: a SYN after another open than
    // the one that fixed the mapping carries a new ISN, even one equal to
    // the first because fake time stood still.
    const netstack::tcp::TcpStats& stats = world_.tcp().stats();
    const uint64_t opens = stats.active_opens + stats.passive_opens;
    const bool syn = c.tcp.has(flag::kSyn);
    const bool maps = syn && (sut_.phase == SocketUnderTest::Phase::kPassiveReceived ||
                              sut_.phase == SocketUnderTest::Phase::kConnecting);
    if (maps) opens_at_mapping_ = opens;
    const bool new_isn = syn && !maps && opens > opens_at_mapping_;
    if (syn) sut_.on_outbound_syn(0, c.tcp.seq, c.tcp.src_port);
    PacketSpec spec = script_outbound_packet(c.tcp.seq, c.tcp, c.payload, sut_);
    if (opts_.record_only && spec.options) {
      // The inbound lines of a recorded run name live TSvals.
      for (const OptionSpec& o : *spec.options) {
        if (o.kind == OptionSpec::Kind::kTimestamp) outbound_.timestamps().learn_as_is(o.value);
      }
    }
    recording_.sent(c, std::move(spec), new_isn);
  }

  uint64_t opens_at_mapping_ = 0;  // connections opened when the sut's ISN was mapped
  std::vector<Captured> unread_;   // sent since the last line, not compared by packetdrill
  const Scenario& s_;
  const RunOptions& opts_;
  const ScriptOptions options_;
  const SocketCalls::Addresses addresses_;
  ScriptTiming timing_;
  OutboundMatch outbound_;
  // The trace outlives the world, whose stack reports to it to the end.
  TraceLog trace_;
  ScenarioWorld world_;
  Nstat nstat_;
  SocketUnderTest sut_;
  SocketCalls calls_;
  EmulatedFiles files_;  // the files sendfile() reads
  ScriptSyscalls syscalls_;
  PeerCapture capture_;
  RunRecording recording_;
  // Assignments in %{ }% blocks, seen by the blocks after them.
  PythonVariables python_variables_;

  std::optional<Pending> pending_;
  std::optional<Failure> failure_;
  std::optional<std::string> invariant_failure_;
};

}  // namespace

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  return Runner(scenario, options).run();
}

RunResult run_script_file(const std::string& path, const RunOptions& options) {
  auto scenario = parse_script_file(path);
  if (!scenario) {
    RunResult r;
    r.status = RunResult::Status::kFail;
    r.message = scenario.error();
    return r;
  }
  return run_scenario(*scenario, options);
}

}  // namespace tcpfuzz::scenario
