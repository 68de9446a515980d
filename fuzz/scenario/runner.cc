// The script runner. Rules follow real packetdrill (src/run_packet.c,
// run_system_call.c, run.c):
//  - Sequence numbers: SYNs carry absolute numbers, everything else is
//    relative to the ISNs. The remote ISN is the script's; the stack's live
//    ISN is learned from its SYN or SYN-ACK.
//  - Outbound packets are compared field by field: flags, seq, ack (0 when
//    the script gives none), window when given, the option list in order
//    (nop and eol included) unless "<...>", and the payload length, summing
//    consecutive live segments up to the expected length (TSO) unless
//    --strict_segments. TSval and TSecr are not compared.
//  - Inbound TSecr is the stack's live TSval for the script value it names.
//  - Time: "+t" is relative to when the previous event finished (to its
//    script time between two inbound packets); outbound packets must be sent
//    within max(--tolerance_usecs, --tolerance_percent of the gap).
//  - Packets the script does not mention are only noticed when a later
//    outbound line takes them as its packet.
#include "fuzz/scenario/runner.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "fuzz/scenario/linux_symbols.h"
#include "fuzz/scenario/packet_format.h"
#include "fuzz/scenario/packet_mapping.h"
#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/socket_under_test.h"
#include "fuzz/scenario/sysctl_config.h"
#include "fuzz/scenario/trace_log.h"
#include "stack/header/ip.h"
#include "stack/header/tcp_packet.h"
#include "stack/link/loopback_link.h"
#include "stack/link/recording_tap.h"
#include "stack/stack.h"
#include "stack/tcp/protocol.h"
#include "stack/time/fake_clock.h"

namespace tcpfuzz::scenario {

namespace {

using namespace netstack;
namespace flag = header::tcp_flag;
using tcp::EndpointId;

Instant at_us(int64_t us) {
  return Instant::from_nanos(us * 1000);
}
int64_t us_of(Instant t) {
  return t.nanos() / 1000;
}

// One packet the stack sent, as captured at the peer.
struct Captured {
  Instant sent_at;
  header::TcpHeader tcp;
  std::vector<uint8_t> options;
  size_t payload = 0;
  View packet;  // keeps tcp.options' bytes alive
};

class Capture final : public PacketReceiver {
 public:
  Capture(const Clock& clock, const SocketUnderTest& sut) : clock_(clock), sut_(sut) {}
  void receive(View packet) override {
    std::span<const uint8_t> segment;
    if (auto v4 = header::parse_ipv4(packet.bytes())) {
      segment = v4->payload;
    } else if (auto v6 = header::parse_ipv6(packet.bytes())) {
      segment = v6->payload;
    }
    auto tcp = header::parse_tcp(segment);
    // packetdrill sees the packets of the socket under test, as it is when
    // they are sent; segments to other peer ports (extra connections a
    // script opened with explicit ports, or an earlier socket) go unseen.
    if (!tcp || !sut_.sees(tcp->header.dst_port)) return;
    Captured c;
    c.sent_at = clock_.now();
    c.tcp = tcp->header;
    c.options.assign(tcp->header.options.begin(), tcp->header.options.end());
    c.payload = tcp->payload.size();
    c.packet = std::move(packet);
    if (on_sent) on_sent(c);
    queue.push_back(std::move(c));
  }
  std::deque<Captured> queue;
  std::function<void(const Captured&)> on_sent;

 private:
  const Clock& clock_;
  const SocketUnderTest& sut_;
};

// What one syscall did.
struct CallOutcome {
  bool would_block = false;
  long result = 0;
  int error = 0;
};

struct Fd {
  EndpointId endpoint = tcp::kNoEndpoint;
  bool nonblocking = false;
};

struct Failure {
  int line;
  std::string message;
};

class Runner {
 public:
  Runner(const Scenario& s, const RunOptions& o)
      : s_(s),
        opts_(o),
        trace_(o.trace),
        family_(family_option()),
        wire_(static_cast<uint32_t>(
            int_option("mtu", family_ == IpAddress::Family::kV6 ? 1520 : 1500))),
        stack_(clock_, StackOptions{o.seed}),
        tcp_(stack_, o.config),
        capture_(clock_, sut_) {
    local_ = *IpAddress::parse(family_ == IpAddress::Family::kV6 ? kLocalIpv6 : kLocalIpv4);
    remote_ = *IpAddress::parse(family_ == IpAddress::Family::kV6 ? kRemoteIpv6 : kRemoteIpv4);
    tolerance_us_ = int_option("tolerance_usecs", 4000);
    tolerance_pct_ = double_option("tolerance_percent", 12.5);
    strict_segments_ = s.options.end() != std::ranges::find_if(s.options, [](const auto& kv) {
                         return kv.first == "strict_segments";
                       });
    ts_tick_us_ = int_option("tcp_ts_tick_usecs", 0);
    bind_port_ = static_cast<uint16_t>(int_option("bind_port", kDefaultBindPort));
    connect_port_ = static_cast<uint16_t>(int_option("connect_port", kDefaultConnectPort));
    const NicId nic =
        stack_.add_nic(o.pcap ? static_cast<Link&>(tap()) : wire_.side(LoopbackLink::Side::kA));
    stack_.add_address(nic, local_);
    wire_.attach(LoopbackLink::Side::kA,
                 o.pcap ? static_cast<PacketReceiver*>(&tap()) : &stack_.nic_receiver(nic));
    if (o.pcap) tap_->set_receiver(&stack_.nic_receiver(nic));
    wire_.attach(LoopbackLink::Side::kB, &capture_);
    if (o.tracer != nullptr) {
      tee_.emplace(trace_, *o.tracer);
      tcp_.set_tracer(&*tee_);
    } else {
      tcp_.set_tracer(&trace_);
    }
    tcp_.set_invariant_failure_handler([this](const std::string& report) {
      if (!invariant_failure_) invariant_failure_ = report;
    });
    if (o.record || o.record_only) capture_.on_sent = [this](const Captured& c) { on_sent(c); };
  }

  RunResult run() {
    RunResult r = run_events();
    if (opts_.record) {
      r.unscriptable = unscriptable_;
      r.recorded.path = s_.path;
      r.recorded.options = s_.options;
      r.recorded.events = std::move(recorded_);
    }
    return r;
  }

 private:
  RunResult run_events() {
    RunResult r;
    if (!s_.unsupported.empty())
      return skip(s_.unsupported.front().construct, s_.unsupported.front().line);
    for (const auto& [name, value] : s_.options) {
      static constexpr std::string_view kKnown[] = {
          "ip_version", "tolerance_usecs",   "tolerance_percent", "strict_segments",
          "bind_port",  "tcp_ts_tick_usecs", "connect_port",      "mtu",
          "local_ip",   "remote_ip",         "gateway_ip",        "netmask_ip"};
      if (std::ranges::find(kKnown, name) == std::end(kKnown)) return skip("option --" + name, 1);
      if (name == "ip_version" && value != "ipv4" && value != "ipv6")
        return skip("--ip_version=" + value, 1);
    }
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
      const Instant deadline = at_us(pending_->end_us + tolerance_us_) + std::chrono::seconds(1);
      advance_to(deadline);
      if (pending_ && !failure_) {
        failure_ =
            Failure{pending_->event->line, "blocking " + pending_->call->name + " never returned"};
      }
      if (failure_) return fail_result();
    }
    r.status = RunResult::Status::kPass;
    r.trace = trace_.lines();
    return r;
  }

  struct Pending {
    const Event* event;
    const SyscallSpec* call;
    int64_t end_us;
    Instant started;
  };

  // ---- Options ----
  std::optional<std::string> option(std::string_view name) const {
    for (const auto& [k, v] : s_.options) {
      if (k == name) return v;
    }
    return std::nullopt;
  }
  long int_option(std::string_view name, long fallback) const {
    auto v = option(name);
    return v ? std::strtol(v->c_str(), nullptr, 10) : fallback;
  }
  double double_option(std::string_view name, double fallback) const {
    auto v = option(name);
    return v ? std::strtod(v->c_str(), nullptr) : fallback;
  }
  IpAddress::Family family_option() const {
    auto v = option("ip_version");
    return v && *v == "ipv6" ? IpAddress::Family::kV6 : IpAddress::Family::kV4;
  }
  RecordingTap& tap() {
    if (!tap_)
      tap_ =
          std::make_unique<RecordingTap>(*opts_.pcap, clock_, wire_.side(LoopbackLink::Side::kA));
    return *tap_;
  }

  // ---- Results ----
  RunResult skip(const std::string& construct, int line) {
    RunResult r;
    r.status = RunResult::Status::kSkip;
    r.message = "unsupported: " + construct + " at " + s_.path + ":" + std::to_string(line);
    r.line = line;
    return r;
  }
  RunResult fail_result() {
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
  // Moves the fake clock to t timer by timer, delivering packets and giving
  // a pending blocking call its chance after each step.
  void advance_to(Instant t) {
    while (true) {
      wire_.pump();
      retry_pending();
      const auto next = clock_.next_deadline();
      if (!next || *next > t) break;
      clock_.advance_to(*next);
    }
    if (clock_.now() < t) clock_.advance_to(t);
    wire_.pump();
    retry_pending();
  }

  int64_t tolerance_for(int64_t expected_us) const {
    const auto dynamic = static_cast<int64_t>(tolerance_pct_ / 100.0 *
                                              static_cast<double>(expected_us - prev_time_us_));
    return std::max(tolerance_us_, dynamic);
  }

  // Resolves the event's script time (packetdrill adjust_relative_event_times()).
  void resolve_time(const Event& e, bool inbound, int64_t* start, std::optional<int64_t>* end) {
    int64_t offset = 0;
    if (e.time.kind != EventTime::Kind::kAbsolute) {
      offset = (inbound && prev_inbound_) ? prev_time_us_ : us_of(clock_.now()) - kStartUs;
    }
    *start = e.time.kind == EventTime::Kind::kAbsolute ? e.time.start_us : offset + e.time.start_us;
    if (e.time.end_us)
      *end = e.time.end_relative || e.time.kind == EventTime::Kind::kRelative
                 ? offset + *e.time.end_us
                 : *e.time.end_us;
  }

  bool run_event(const Event& e, size_t index, std::optional<RunResult>* early) {
    const bool inbound =
        std::holds_alternative<PacketSpec>(e.action) &&
        std::get<PacketSpec>(e.action).direction == PacketSpec::Direction::kInbound;
    const bool outbound = std::holds_alternative<PacketSpec>(e.action) && !inbound;
    int64_t t = 0;
    std::optional<int64_t> t_end;
    resolve_time(e, inbound, &t, &t_end);
    if (index == 0 && !std::holds_alternative<CommandSpec>(e.action) && t != 0) {
      return fail(e.line, "first event should be at time 0");
    }
    bool ok = true;
    if (outbound && opts_.record_only) return true;  // the run decides what goes out
    if (outbound) {
      ok = expect_outbound(e, std::get<PacketSpec>(e.action), t, t_end);
    } else {
      if (e.time.kind != EventTime::Kind::kAny) {
        const Instant when = at_us(t + kStartUs);
        if (clock_.now() > when + std::chrono::microseconds(tolerance_for(t))) {
          return fail(e.line, "timing error: expected event at " + seconds(t) +
                                  " s but it could run only at " +
                                  seconds(us_of(clock_.now()) - kStartUs) + " s");
        }
        advance_to(when);
      }
      if (inbound) {
        record_inbound(e, std::get<PacketSpec>(e.action));  // before what it makes the stack send
        ok = inject(e, std::get<PacketSpec>(e.action));
      } else if (const auto* sc = std::get_if<SyscallSpec>(&e.action)) {
        ok = syscall(e, *sc, t, early);
      } else if (const auto* code = std::get_if<CodeSpec>(&e.action)) {
        ok = tcp_info_assertions(e, *code, early);
        record_as_is(e);
      } else {
        ok = command(e, std::get<CommandSpec>(e.action), early);
        record_as_is(e);
      }
    }
    if (failure_ || early->has_value()) return false;
    prev_time_us_ = t;
    prev_inbound_ = inbound;
    return ok;
  }

  static std::string seconds(int64_t us) {
    std::ostringstream o;
    o << std::fixed;
    o.precision(6);
    o << static_cast<double>(us) / 1e6;
    return o.str();
  }

  // ---- Inbound packets ----
  bool inject(const Event& e, const PacketSpec& p) {
    auto packet = live_inbound_packet(p, PeerAddresses{local_, remote_, bind_port_}, sut_,
                                      [this](uint32_t script_ts) -> std::optional<uint32_t> {
                                        auto it = ts_val_map_.find(script_ts);
                                        if (it == ts_val_map_.end()) return std::nullopt;
                                        return it->second;
                                      });
    if (!packet) return fail(e.line, packet.error());
    wire_.side(LoopbackLink::Side::kB).send(std::move(*packet));
    wire_.pump();
    retry_pending();
    return true;
  }

  // ---- Outbound packets ----
  // The next packet the stack sends, waiting (in fake time) up to `limit`.
  std::optional<Captured> next_sent(Instant limit) {
    wire_.pump();
    while (true) {
      if (!capture_.queue.empty()) break;
      const auto next = clock_.next_deadline();
      if (!next || *next > limit) return std::nullopt;
      advance_to(*next);
    }
    Captured c = std::move(capture_.queue.front());
    capture_.queue.pop_front();
    return c;
  }

  void learn_isn(const PacketSpec& p, const Captured& c) {
    const bool live_syn = c.tcp.has(flag::kSyn);
    if (!live_syn || (p.flags & flag::kSyn) == 0) return;
    sut_.on_outbound_syn(p.seq_start, c.tcp.seq, c.tcp.src_port);
  }

  bool expect_outbound(const Event& e, const PacketSpec& p, int64_t t,
                       std::optional<int64_t> t_end) {
    const int64_t latest = (t_end ? *t_end : t);
    const int64_t wait_us = std::max(latest - prev_time_us_, int64_t{0}) + 2'000'000;
    const Instant limit = e.time.kind == EventTime::Kind::kAny
                              ? Instant::from_nanos(INT64_MAX / 2)
                              : std::max(clock_.now(), at_us(prev_time_us_ + kStartUs)) +
                                    std::chrono::microseconds(wait_us);
    std::optional<Captured> first = next_sent(limit);
    if (!first) return fail(e.line, "timed out waiting for packet: expected > " + format_packet(p));
    learn_isn(p, *first);
    // TSO: Linux hands the device one large segment; sum consecutive live
    // segments until the expected payload is reached.
    size_t payload = first->payload;
    size_t fragments = 1;
    Captured last = *first;
    while (!strict_segments_ && payload < p.payload_length) {
      std::optional<Captured> more = next_sent(limit);
      if (!more) break;
      if (more->tcp.seq != last.tcp.seq + last.payload || more->tcp.ack != last.tcp.ack) {
        capture_.queue.push_front(std::move(*more));
        break;
      }
      payload += more->payload;
      ++fragments;
      last = std::move(*more);
    }
    // Headers from the last fragment, seq from the first (packetdrill aggregate_packets()).
    PacketSpec live = script_outbound_packet(first->tcp.seq, last.tcp, payload, sut_);
    // Remember which live TSval a script TSval stands for, and map the live
    // TSval into script space from the first pair seen (packetdrill
    // map_outbound_live_packet()).
    std::optional<std::pair<uint32_t, uint32_t>> ts_pair;  // (script, live mapped)
    if (p.options) {
      auto script_ts =
          std::ranges::find(*p.options, OptionSpec::Kind::kTimestamp, &OptionSpec::kind);
      auto live_ts =
          std::ranges::find(*live.options, OptionSpec::Kind::kTimestamp, &OptionSpec::kind);
      if (script_ts != p.options->end() && live_ts != live.options->end()) {
        ts_val_map_[script_ts->value] = live_ts->value;
        if (!ts_baseline_) ts_baseline_ = std::make_pair(script_ts->value, live_ts->value);
        ts_pair = std::make_pair(script_ts->value,
                                 ts_baseline_->first + (live_ts->value - ts_baseline_->second));
        live_ts->value = ts_pair->second;
      }
    }
    const std::string actual = "> " + format_packet(live);
    auto mismatch = [&](const std::string& what) {
      return fail(e.line, what + "\n  expected: > " + format_packet(p) + "\n  actual:   " + actual +
                              " at " + seconds(us_of(last.sent_at) - kStartUs) + " s");
    };
    // Linux behind a TSO device marks every multi-segment TSO packet PSH
    // (checked with real packetdrill on Linux 6.18); a stack without TSO
    // cannot place that bit, so PSH is not compared on packets summed from
    // several live segments (docs/linux-differences.md).
    const uint8_t psh_mask = fragments > 1 ? static_cast<uint8_t>(~flag::kPsh) : uint8_t{0xff};
    if ((live.flags & psh_mask) != (p.flags & psh_mask)) return mismatch("flags differ");
    if (live.seq_start != p.seq_start) return mismatch("sequence number differs");
    if (*live.ack != p.ack.value_or(0)) return mismatch("ack number differs");
    if (opts_.compare_windows && p.window && *live.window != *p.window) {
      return mismatch("window differs");
    }
    if (*live.urgent != p.urgent.value_or(0)) return mismatch("urgent pointer differs");
    if (live.payload_length != p.payload_length) return mismatch("payload length differs");
    if (p.options && !options_match(*p.options, *live.options))
      return mismatch("TCP options differ");
    if (ts_tick_us_ > 0 && ts_pair) {
      // --tcp_ts_tick_usecs: TSval must advance with time, within the tolerance.
      const int64_t drift =
          std::llabs(static_cast<int32_t>(ts_pair->second - ts_pair->first)) * ts_tick_us_;
      const int64_t tol = std::max(
          tolerance_us_, static_cast<int64_t>(tolerance_pct_ / 100.0 * static_cast<double>(t)));
      if (drift > tol) return mismatch("TS val differs by more than the tolerance");
    }
    // Timing, judged by when the packet was sent.
    if (e.time.kind != EventTime::Kind::kAny) {
      const int64_t sent = us_of(last.sent_at) - kStartUs;
      const int64_t tol = tolerance_for(t);
      const int64_t hi = (t_end ? *t_end : t) + tol;
      if (sent < t - tol || sent > hi) {
        return mismatch("timing error: expected the packet at " + seconds(t) +
                        (t_end ? "~" + seconds(*t_end) : "") + " s (tolerance " + seconds(tol) +
                        " s)");
      }
      // Later relative events count from when this packet actually went out.
    }
    return true;
  }

  static bool options_match(const std::vector<OptionSpec>& want,
                            const std::vector<OptionSpec>& got) {
    if (want.size() != got.size()) return false;
    for (size_t i = 0; i < want.size(); ++i) {
      if (want[i].kind != got[i].kind) return false;
      switch (want[i].kind) {
        case OptionSpec::Kind::kTimestamp:  // TSval/TSecr are not compared by default
        case OptionSpec::Kind::kNop:
        case OptionSpec::Kind::kEol:
        case OptionSpec::Kind::kSackPermitted:
          break;
        default:
          if (!(want[i] == got[i])) return false;
      }
    }
    return true;
  }

  // ---- %{ }% blocks ----
  // packetdrill runs these with python3 on a TCP_INFO snapshot taken here.
  // The form scripts use to check TCP state, "assert tcpi_NAME == N[, ...]",
  // is evaluated on the spot for the fields the stack has; anything else
  // makes the script skipped.
  bool tcp_info_assertions(const Event& e, const CodeSpec& code, std::optional<RunResult>* early) {
    tcp::Endpoint* ep = tcp_.find(sut_endpoint_);
    if (ep == nullptr) return fail(e.line, "%{ }% block with no socket under test");
    const tcp::TcpInfo info = ep->info();
    std::string text = code.code;
    std::ranges::replace(text, '\\', ' ');
    std::ranges::replace(text, '\n', ';');
    std::istringstream statements(text);
    std::string statement;
    while (std::getline(statements, statement, ';')) {
      std::istringstream words(statement);
      std::string assert_word, field, op, value;
      if (!(words >> assert_word)) continue;  // blank
      words >> field >> op >> value;
      value = value.substr(0, value.find(','));  // "N, message" or "N,message"
      const std::optional<long> actual = tcp_info_field(info, field);
      const std::optional<long> want = assertion_value(value);
      if (assert_word != "assert" || op != "==" || !actual || !want) {
        *early = skip("python code `" + statement + "`", e.line);
        return false;
      }
      if (*actual != *want) {
        return fail(e.line, "assertion failed: " + field + " == " + value + " (it is " +
                                std::to_string(*actual) + ")");
      }
    }
    return true;
  }

  // A number, or one of the TCP_CA_* state names packetdrill's Python knows.
  static std::optional<long> assertion_value(const std::string& value) {
    static constexpr std::array<std::string_view, 5> kCaStates = {
        "TCP_CA_Open", "TCP_CA_Disorder", "TCP_CA_CWR", "TCP_CA_Recovery", "TCP_CA_Loss"};
    if (const auto it = std::ranges::find(kCaStates, value); it != kCaStates.end()) {
      return it - kCaStates.begin();
    }
    char* end = nullptr;
    const long n = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0') return std::nullopt;
    return n;
  }

  static std::optional<long> tcp_info_field(const tcp::TcpInfo& i, std::string_view name) {
    if (name == "tcpi_ca_state") return static_cast<long>(i.ca_state);
    if (name == "tcpi_unacked") return i.unacked;
    if (name == "tcpi_sacked") return i.sacked;
    if (name == "tcpi_lost") return i.lost;
    if (name == "tcpi_retrans") return i.retrans;
    if (name == "tcpi_reordering") return i.reordering;
    if (name == "tcpi_snd_ssthresh") return i.ssthresh;
    if (name == "tcpi_snd_mss") return i.snd_mss;
    if (name == "tcpi_advmss") return i.advmss;
    if (name == "tcpi_probes") return i.probes;
    if (name == "tcpi_backoff") return i.backoff;
    if (name == "tcpi_retransmits") return i.retransmits;
    if (name == "tcpi_total_retrans") return static_cast<long>(i.total_retransmits);
    if (name == "tcpi_snd_cwnd") return i.cwnd;
    return std::nullopt;
  }

  // ---- Commands ----
  bool command(const Event& e, const CommandSpec& c, std::optional<RunResult>* early) {
    std::istringstream lines(c.command);
    std::string line;
    while (std::getline(lines, line)) {
      const auto first = line.find_first_not_of(" \t");
      if (first == std::string::npos) continue;
      line = line.substr(first);
      if (line.starts_with("#")) continue;
      if (line.ends_with("defaults.sh")) {
        // The baseline profile: sysctls the stack has knobs for are applied;
        // the rest describe Linux features outside this stack's model.
        auto text = read_defaults(line);
        if (!text) {
          *early = skip("cannot read " + line, e.line);
          return false;
        }
        apply_sysctl_script(*text, tcp_.config());
        continue;
      }
      if (line.starts_with("sysctl")) {
        std::vector<std::string> unknown = apply_sysctl_script(line, tcp_.config());
        if (!unknown.empty()) {
          *early = skip("sysctl " + unknown.front(), e.line);
          return false;
        }
        continue;
      }
      // Linux-only plumbing with no meaning for an in-process stack: a plain
      // FIFO qdisc, flushing cached metrics, one segment per packet. A qdisc
      // that drops or delays (limit, netem, ...) changes behaviour: skipped.
      if (is_harmless_plumbing(line)) continue;
      *early = skip("shell command `" + line + "`", e.line);
      return false;
    }
    return true;
  }

  static bool is_harmless_plumbing(std::string line) {
    // Drop trailing "|| true" and output redirections, in any order.
    static constexpr std::string_view kTails[] = {"|| true", "2>&1", "2>/dev/null", ">/dev/null",
                                                  "> /dev/null"};
    for (bool trimmed = true; trimmed;) {
      trimmed = false;
      line.erase(line.find_last_not_of(' ') + 1);
      for (const std::string_view tail : kTails) {
        if (!line.ends_with(tail)) continue;
        line.resize(line.size() - tail.size());
        trimmed = true;
      }
    }
    static constexpr std::string_view kHarmless[] = {
        "tc qdisc add dev tun0 root pfifo",
        "tc qdisc replace dev tun0 root pfifo",
        "ip tcp_metrics flush all",
        "ip tcp_metrics flush",
        "ip link set dev tun0 gso_max_segs 1",
        "ethtool -K tun0 tso off gso off",
    };
    return std::ranges::find(kHarmless, std::string_view(line)) != std::end(kHarmless);
  }

  std::optional<std::string> read_defaults(const std::string& relative) {
    namespace fs = std::filesystem;
    fs::path p = fs::path(s_.path).parent_path() / relative;
    for (int hops = 0; hops < 3; ++hops) {
      std::ifstream in(p);
      if (!in) return std::nullopt;
      std::stringstream text;
      text << in.rdbuf();
      std::string content = text.str();
      // packetdrill's tcp/common/defaults.sh is a one-line pointer to the real file.
      const std::string trimmed = content.substr(0, content.find_last_not_of(" \n") + 1);
      if (trimmed.find('\n') == std::string::npos && trimmed.ends_with(".sh")) {
        p = p.parent_path() / trimmed;
        continue;
      }
      return content;
    }
    return std::nullopt;
  }

  // ---- Syscalls ----
  std::optional<long> eval(const Expr& x) const {
    switch (x.kind) {
      case Expr::Kind::kInteger:
        return x.integer;
      case Expr::Kind::kSymbol:
        if (auto v = symbol_value(x.text)) return *v;
        if (auto v = errno_value(x.text)) return *v;
        return std::nullopt;
      case Expr::Kind::kOr: {
        long v = 0;
        for (const Expr& t : x.elements) {
          auto tv = eval(t);
          if (!tv) return std::nullopt;
          v |= *tv;
        }
        return v;
      }
      case Expr::Kind::kArray:
        if (x.elements.size() == 1) return eval(x.elements[0]);
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

  tcp::Endpoint* endpoint_for(long fd) {
    auto it = fds_.find(static_cast<int>(fd));
    return it == fds_.end() ? nullptr : tcp_.find(it->second.endpoint);
  }

  bool syscall(const Event& e, const SyscallSpec& sc, int64_t t, std::optional<RunResult>* early) {
    if (pending_)
      return fail(e.line, "blocking system call while another blocking system call is in progress");
    std::string unsupported;
    CallOutcome out = call(e, sc, &unsupported);
    // The call's line goes before what it sent.
    if (unsupported.empty() && !failure_) record_call(e, sc, out);
    wire_.pump();  // what the call sent leaves now, stamped with this instant
    if (!unsupported.empty()) {
      *early = skip(unsupported, e.line);
      return false;
    }
    if (failure_) return false;
    if (out.would_block && opts_.record_only && !sc.end_us) {
      return fail(e.line, sc.name + " blocks forever");
    }
    if (out.would_block) {
      if (!sc.end_us) {
        return fail(e.line, sc.name +
                                " would block forever: the socket is blocking and the script has "
                                "no '...' end time");
      }
      const int64_t end =
          e.time.kind == EventTime::Kind::kRelative ? t - e.time.start_us + *sc.end_us : *sc.end_us;
      pending_ = Pending{&e, &sc, end, clock_.now()};
      return true;
    }
    if (opts_.record_only) return true;
    if (sc.end_us) {
      const int64_t end =
          e.time.kind == EventTime::Kind::kRelative ? t - e.time.start_us + *sc.end_us : *sc.end_us;
      if (!check_end_time(e, sc, end)) return false;
    }
    return check_result(e, sc, out);
  }

  void retry_pending() {
    if (!pending_ || failure_) return;
    std::string unsupported;
    const Pending p = *pending_;
    CallOutcome out = call(*p.event, *p.call, &unsupported);
    if (!out.would_block) complete_recorded_call(out);
    wire_.pump();
    if (out.would_block) return;
    pending_.reset();
    if (opts_.record_only) return;
    if (check_end_time(*p.event, *p.call, p.end_us)) check_result(*p.event, *p.call, out);
  }

  // ---- The run as it happened (RunOptions::record) ----
  int64_t script_now_us() const { return us_of(clock_.now()) - kStartUs; }
  static EventTime at_script_us(int64_t us) {
    EventTime t;
    t.start_us = us;
    return t;
  }

  void record(EventTime time, int line,
              std::variant<PacketSpec, SyscallSpec, CommandSpec, CodeSpec> action) {
    if (!opts_.record) return;
    recorded_.push_back(Event{time, line, std::move(action)});
  }
  void record_as_is(const Event& e) { record(at_script_us(script_now_us()), e.line, e.action); }
  void record_inbound(const Event& e, const PacketSpec& p) {
    PacketSpec live_ecr = p;
    // packetdrill maps the TSecr of inbound ACKs only (map_inbound_packet()).
    if (live_ecr.options && (p.flags & flag::kAck) != 0) {
      for (OptionSpec& o : *live_ecr.options) {
        auto it = ts_val_map_.find(o.value2);
        if (o.kind == OptionSpec::Kind::kTimestamp && it != ts_val_map_.end()) {
          o.value2 = it->second;
        }
      }
    }
    record(at_script_us(script_now_us()), e.line, std::move(live_ecr));
  }
  // A call that blocks is recorded when it starts, its result and return
  // time filled in when it returns.
  void record_call(const Event& e, const SyscallSpec& sc, const CallOutcome& out) {
    SyscallSpec made = sc;
    made.end_us.reset();
    record(at_script_us(script_now_us()), e.line, std::move(made));
    if (out.would_block) {
      pending_record_ = recorded_.empty() ? std::nullopt : std::optional(recorded_.size() - 1);
    } else {
      set_result(recorded_.empty() ? nullptr : &recorded_.back(), out);
    }
  }
  void complete_recorded_call(const CallOutcome& out) {
    if (!pending_record_) return;
    Event& call = recorded_[*pending_record_];
    std::get<SyscallSpec>(call.action).end_us = script_now_us();
    set_result(&call, out);
    pending_record_.reset();
  }
  void set_result(Event* call, const CallOutcome& out) const {
    if (!opts_.record || call == nullptr) return;
    auto& sc = std::get<SyscallSpec>(call->action);
    sc.result = Expr::number(out.result);
    sc.errno_name.reset();
    if (out.result < 0) sc.errno_name = std::string(errno_name(out.error));
  }
  // Every packet the stack sends the scripted peer, in script numbers; the
  // first SYN fixes the local ISN as script ISN 0, as packetdrill scripts
  // write it.
  void on_sent(const Captured& c) {
    if (c.tcp.has(flag::kSyn)) sut_.on_outbound_syn(0, c.tcp.seq, c.tcp.src_port);
    PacketSpec spec = script_outbound_packet(c.tcp.seq, c.tcp, c.payload, sut_);
    if (c.tcp.has(flag::kRst) && c.tcp.seq == 0 && spec.seq_start != 0 && !unscriptable_) {
      unscriptable_ = "at " + seconds(us_of(c.sent_at) - kStartUs) +
                      " s a RST with sequence number 0, which no script line can state";
    }
    if (opts_.record_only && spec.options) {
      // The inbound lines of a recorded run name live TSvals.
      for (const OptionSpec& o : *spec.options) {
        if (o.kind == OptionSpec::Kind::kTimestamp) ts_val_map_[o.value] = o.value;
      }
    }
    record(at_script_us(us_of(c.sent_at) - kStartUs), 0, std::move(spec));
  }

  bool check_end_time(const Event& e, const SyscallSpec& sc, int64_t end_us) {
    const int64_t now = us_of(clock_.now()) - kStartUs;
    const int64_t tol = std::max(
        tolerance_us_,
        static_cast<int64_t>(tolerance_pct_ / 100.0 * static_cast<double>(end_us - prev_time_us_)));
    if (std::llabs(now - end_us) > tol) {
      return fail(e.line, "timing error: expected " + sc.name + " to return at " + seconds(end_us) +
                              " s but it returned at " + seconds(now) + " s");
    }
    return true;
  }

  bool check_result(const Event& e, const SyscallSpec& sc, const CallOutcome& out) {
    if (sc.result.kind == Expr::Kind::kEllipsis) return true;
    const auto want = eval(sc.result);
    if (!want) return fail(e.line, "cannot evaluate the expected result");
    const bool fd_call = sc.name == "socket" || sc.name == "accept";
    const bool ok = fd_call && *want >= 0 ? out.result >= 0 : out.result == *want;
    if (!ok) {
      std::string got = std::to_string(out.result);
      if (out.result < 0) got += " " + std::string(errno_name(out.error));
      return fail(e.line, sc.name + ": expected result " + std::to_string(*want) +
                              (sc.errno_name ? " " + *sc.errno_name : "") + " but got " + got);
    }
    if (*want < 0 && sc.errno_name) {
      const auto want_errno = errno_value(*sc.errno_name);
      if (!want_errno) return fail(e.line, "unknown errno " + *sc.errno_name);
      if (*want_errno != out.error) {
        return fail(e.line, sc.name + ": expected errno " + *sc.errno_name + " but got " +
                                std::string(errno_name(out.error)));
      }
    }
    return true;
  }

  static CallOutcome ok(long r) { return CallOutcome{false, r, 0}; }
  static CallOutcome err(int e) { return CallOutcome{false, -1, e}; }
  static CallOutcome blocked() { return CallOutcome{true, 0, 0}; }

  template <class T>
  CallOutcome from(const Expected<T, tcp::Errno>& r, bool nonblocking) {
    if (r) return ok(static_cast<long>(*r));
    if (r.error() == EAGAIN && !nonblocking) return blocked();
    return err(r.error());
  }

  std::optional<tcp::SockOpt> sockopt(long level, long name) const {
    using O = tcp::SockOpt;
    if (level == *symbol_value("SOL_SOCKET")) {
      if (name == *symbol_value("SO_KEEPALIVE")) return O::kKeepAlive;
      if (name == *symbol_value("SO_LINGER")) return O::kLinger;
      if (name == *symbol_value("SO_RCVBUF")) return O::kRcvBuf;
      if (name == *symbol_value("SO_SNDBUF")) return O::kSndBuf;
      if (name == *symbol_value("SO_ERROR")) return O::kError;
      if (name == *symbol_value("SO_REUSEADDR")) return O::kReuseAddr;
      return std::nullopt;
    }
    if (level != *symbol_value("IPPROTO_TCP") && level != *symbol_value("SOL_TCP"))
      return std::nullopt;
    if (name == *symbol_value("TCP_NODELAY")) return O::kNoDelay;
    if (name == *symbol_value("TCP_CORK")) return O::kCork;
    if (name == *symbol_value("TCP_KEEPIDLE")) return O::kKeepIdle;
    if (name == *symbol_value("TCP_KEEPINTVL")) return O::kKeepIntvl;
    if (name == *symbol_value("TCP_KEEPCNT")) return O::kKeepCnt;
    if (name == *symbol_value("TCP_USER_TIMEOUT")) return O::kUserTimeout;
    if (name == *symbol_value("TCP_DEFER_ACCEPT")) return O::kDeferAccept;
    if (name == *symbol_value("TCP_MAXSEG")) return O::kMaxSeg;
    if (name == *symbol_value("TCP_LINGER2")) return O::kLinger2;
    return std::nullopt;
  }

  // A symbol no table knows, anywhere in the arguments (struct field names
  // aside): the call cannot be honoured faithfully.
  std::optional<std::string> unknown_symbol(const Expr& x) const {
    if (x.kind == Expr::Kind::kSymbol && !symbol_value(x.text) && !errno_value(x.text) &&
        x.elements.empty()) {
      return x.text;
    }
    for (const Expr& sub : x.elements) {
      if (auto u = unknown_symbol(sub)) return u;
    }
    return std::nullopt;
  }

  CallOutcome call(const Event& e, const SyscallSpec& sc, std::string* unsupported) {
    const auto& a = sc.args;
    for (const Expr& arg : a) {
      if (auto u = unknown_symbol(arg)) {
        *unsupported = "symbol " + *u + " in " + sc.name;
        return err(EINVAL);
      }
    }
    auto arg = [&](size_t i) -> std::optional<long> {
      return i < a.size() ? eval(a[i]) : std::nullopt;
    };
    auto bad = [&](const std::string& what) {
      fail(e.line, sc.name + ": " + what);
      return err(EINVAL);
    };
    const std::string& n = sc.name;
    if (n == "socket") {
      if (a.size() != 3) return bad("expected 3 args");
      const auto fd = eval(sc.result);
      if (!fd || *fd < 0) return bad("socket() must name its fd as the result");
      const EndpointId id = tcp_.open(family_);
      fds_[static_cast<int>(*fd)] = Fd{id, false};
      sut_endpoint_ = id;
      sut_.on_socket();
      return ok(*fd);
    }
    const auto fd = arg(0);
    if (!fd) return bad("first argument must be an fd");
    if (n == "close" && fds_.count(static_cast<int>(*fd)) == 0) return err(EBADF);
    tcp::Endpoint* ep = endpoint_for(*fd);
    if (ep == nullptr) return err(EBADF);
    Fd& f = fds_[static_cast<int>(*fd)];
    if (n == "bind") {
      const tcp::Errno r = ep->bind(local_, bind_port_);
      return r == 0 ? ok(0) : err(r);
    }
    if (n == "listen") {
      const tcp::Errno r = ep->listen(static_cast<int>(arg(1).value_or(0)));
      if (r != 0) return err(r);
      sut_.on_listen(ep->tuple().local_port);
      return ok(0);
    }
    if (n == "connect") {
      if (ep->state() == tcp::State::kClosed && pending_connect_ != f.endpoint) {
        const tcp::Errno r = ep->connect(remote_, connect_port_);
        if (r != EINPROGRESS) return err(r);
        sut_.on_connect(connect_port_);
        if (f.nonblocking) return err(EINPROGRESS);
        pending_connect_ = f.endpoint;
        return blocked();
      }
      if (pending_connect_ == f.endpoint) {
        if (ep->state() == tcp::State::kSynSent || ep->state() == tcp::State::kSynRcvd)
          return blocked();
        pending_connect_ = tcp::kNoEndpoint;
        const int e2 = ep->get_option(tcp::SockOpt::kError).value_or(0);
        return e2 == 0 ? ok(0) : err(e2);
      }
      return err(ep->connect(remote_, connect_port_));
    }
    if (n == "accept") {
      auto r = ep->accept();
      if (!r) return r.error() == EAGAIN && !f.nonblocking ? blocked() : err(r.error());
      const auto want = eval(sc.result);
      if (!want || *want < 0) {
        fail(e.line, "accept: expected " + (want ? std::to_string(*want) : std::string("?")) +
                         " but a connection was accepted");
        return ok(0);
      }
      fds_[static_cast<int>(*want)] = Fd{*r, false};
      sut_endpoint_ = *r;
      return ok(*want);
    }
    // A NULL buffer faults in the kernel before TCP sees the call.
    const bool io_call = n == "read" || n == "recv" || n == "recvfrom" || n == "write" ||
                         n == "send" || n == "sendto";
    if (io_call && a.size() > 1 && eval(a[1]) == 0) return err(EFAULT);
    if (n == "read" || n == "recv" || n == "recvfrom") {
      const auto len = arg(2);
      if (!len) return bad("expected a length");
      const long flags = n == "read" ? 0 : arg(3).value_or(0);
      std::vector<uint8_t> buf(static_cast<size_t>(*len));
      const bool peek = (flags & *symbol_value("MSG_PEEK")) != 0;
      const bool dontwait = (flags & *symbol_value("MSG_DONTWAIT")) != 0;
      return from(ep->read(buf, peek), f.nonblocking || dontwait);
    }
    if (n == "write" || n == "send" || n == "sendto" || n == "sendmsg") {
      std::optional<long> len;
      long flags = 0;
      if (n == "sendmsg") {
        // sendmsg(fd, {msg_name(...)=..., msg_iov(N)=[{..., len}, ...], msg_flags=0}, flags)
        if (a.size() != 3 || a[1].kind != Expr::Kind::kStruct)
          return bad("expected (fd, {msghdr}, flags)");
        len = 0;
        for (size_t i = 0; i < a[1].names.size(); ++i) {
          if (a[1].names[i] != "msg_iov") continue;
          for (const Expr& iov : a[1].elements[i].elements) {
            if (iov.elements.size() != 2) return bad("iovec must be {..., length}");
            *len += eval(iov.elements[1]).value_or(0);
          }
        }
        flags = arg(2).value_or(0);
      } else {
        len = arg(2);
        flags = n == "write" ? 0 : arg(3).value_or(0);
      }
      if (!len) return bad("expected a length");
      const long msg_more = *symbol_value("MSG_MORE");
      const long msg_dontwait = *symbol_value("MSG_DONTWAIT");
      const long msg_eor = *symbol_value("MSG_EOR");
      if ((flags & ~(msg_more | msg_dontwait | msg_eor)) != 0) {
        *unsupported = n + " flags " + std::to_string(flags);
        return err(EINVAL);
      }
      if (n == "sendto" && a.size() > 4 && a[4].kind != Expr::Kind::kEllipsis) {
        *unsupported = "sendto with an address (TCP Fast Open)";
        return err(EINVAL);
      }
      const bool more = (flags & msg_more) != 0;
      const bool eor = (flags & msg_eor) != 0;
      const bool nonblocking = f.nonblocking || (flags & msg_dontwait) != 0;
      // A blocking write returns once all of it is queued.
      const size_t want = static_cast<size_t>(*len);
      std::vector<uint8_t> zeros(want - std::min(want, write_progress_), 0);
      auto r = ep->write(zeros, more, eor);
      if (!r) {
        if (r.error() == EAGAIN && !nonblocking) return blocked();
        if (write_progress_ > 0) {
          const long done = static_cast<long>(write_progress_);
          write_progress_ = 0;
          return ok(done);
        }
        return err(r.error());
      }
      if (nonblocking) return ok(static_cast<long>(*r));
      write_progress_ += *r;
      if (write_progress_ < want) return blocked();
      write_progress_ = 0;
      return ok(static_cast<long>(want));
    }
    if (n == "shutdown") {
      const auto how = arg(1);
      if (!how) return bad("expected SHUT_RD/SHUT_WR/SHUT_RDWR");
      const tcp::ShutdownHow h = *how == *symbol_value("SHUT_RD")   ? tcp::ShutdownHow::kRead
                                 : *how == *symbol_value("SHUT_WR") ? tcp::ShutdownHow::kWrite
                                                                    : tcp::ShutdownHow::kBoth;
      const tcp::Errno r = ep->shutdown(h);
      return r == 0 ? ok(0) : err(r);
    }
    if (n == "close") {
      ep->close();
      fds_.erase(static_cast<int>(*fd));
      return ok(0);
    }
    if (n == "fcntl") {
      const auto cmd = arg(1);
      if (cmd == symbol_value("F_GETFL")) {
        return ok(*symbol_value("O_RDWR") | (f.nonblocking ? *symbol_value("O_NONBLOCK") : 0));
      }
      if (cmd == symbol_value("F_SETFL")) {
        f.nonblocking = (arg(2).value_or(0) & *symbol_value("O_NONBLOCK")) != 0;
        return ok(0);
      }
      *unsupported = "fcntl command";
      return err(EINVAL);
    }
    if (n == "setsockopt" || n == "getsockopt") {
      const auto level = arg(1);
      const auto name = arg(2);
      const std::optional<tcp::SockOpt> o = level && name ? sockopt(*level, *name) : std::nullopt;
      if (!o) {
        *unsupported = n + " option " + (a.size() > 2 ? a[2].text : "?");
        return err(EINVAL);
      }
      if (a.size() < 5) return bad("expected 5 args");
      if (n == "setsockopt") {
        int value = 0;
        if (a[3].kind == Expr::Kind::kStruct && *o == tcp::SockOpt::kLinger) {
          long onoff = 0;
          long secs = 0;
          for (size_t i = 0; i < a[3].names.size(); ++i) {
            if (a[3].names[i] == "onoff") onoff = eval(a[3].elements[i]).value_or(0);
            if (a[3].names[i] == "linger") secs = eval(a[3].elements[i]).value_or(0);
          }
          value = onoff != 0 ? static_cast<int>(secs) : -1;
        } else if (a[3].kind == Expr::Kind::kArray && a[3].elements.size() == 1) {
          value = static_cast<int>(eval(a[3]).value_or(0));
        } else {
          *unsupported = "setsockopt value form";
          return err(EINVAL);
        }
        const tcp::Errno r = ep->set_option(*o, value);
        return r == 0 ? ok(0) : err(r);
      }
      auto r = ep->get_option(*o);
      if (!r) return err(r.error());
      if (a[3].kind == Expr::Kind::kArray) {
        const auto want = eval(a[3]);
        if (!want || *want != *r) {
          fail(e.line, "getsockopt: expected value " + (want ? std::to_string(*want) : "?") +
                           " but got " + std::to_string(*r));
        }
      }
      return ok(0);
    }
    if (n == "poll") return poll_call(e, sc);
    *unsupported = "syscall " + n;
    return err(EINVAL);
  }

  CallOutcome poll_call(const Event& e, const SyscallSpec& sc) {
    const auto& a = sc.args;
    if (a.size() != 3 || a[0].kind != Expr::Kind::kArray) {
      fail(e.line, "poll: expected ([{fd=..., events=..., revents=...}], n, timeout)");
      return err(EINVAL);
    }
    const long timeout_ms = eval(a[2]).value_or(0);
    long ready = 0;
    std::vector<std::pair<long, long>> revents;  // (want, got)
    for (const Expr& pfd : a[0].elements) {
      long fd = -1;
      long events = 0;
      long want = 0;
      for (size_t i = 0; i < pfd.names.size(); ++i) {
        const long v = eval(pfd.elements[i]).value_or(0);
        if (pfd.names[i] == "fd") fd = v;
        if (pfd.names[i] == "events") events = v;
        if (pfd.names[i] == "revents") want = v;
      }
      tcp::Endpoint* ep = endpoint_for(fd);
      const long mask = ep != nullptr ? static_cast<long>(ep->poll()) : *symbol_value("POLLNVAL");
      const long got = mask & (events | *symbol_value("POLLERR") | *symbol_value("POLLHUP") |
                               *symbol_value("POLLNVAL"));
      if (got != 0) ++ready;
      revents.emplace_back(want, got);
    }
    if (ready == 0 && timeout_ms != 0) {
      if (!poll_started_) poll_started_ = clock_.now();
      if (timeout_ms < 0 || clock_.now() - *poll_started_ < std::chrono::milliseconds(timeout_ms)) {
        return blocked();
      }
    }
    poll_started_.reset();
    for (const auto& [want, got] : revents) {
      if (want != got) {
        fail(e.line,
             "poll: expected revents " + std::to_string(want) + " but got " + std::to_string(got));
        return ok(ready);
      }
    }
    return ok(ready);
  }

  static constexpr int64_t kStartUs = kScriptStartNanos / 1000;

  const Scenario& s_;
  const RunOptions& opts_;
  FakeClock clock_{Instant::from_nanos(kStartUs * 1000)};
  TraceLog trace_;
  std::optional<netstack::tcp::TeeTracer> tee_;
  IpAddress::Family family_;
  LoopbackLink wire_;
  Stack stack_;
  tcp::Protocol tcp_;
  SocketUnderTest sut_;
  Capture capture_;
  std::unique_ptr<RecordingTap> tap_;
  IpAddress local_;
  IpAddress remote_;
  int64_t tolerance_us_ = 4000;
  double tolerance_pct_ = 12.5;
  bool strict_segments_ = false;
  int64_t ts_tick_us_ = 0;
  std::optional<std::pair<uint32_t, uint32_t>> ts_baseline_;  // (script, live) TSval
  uint16_t bind_port_ = kDefaultBindPort;
  uint16_t connect_port_ = kDefaultConnectPort;

  std::unordered_map<int, Fd> fds_;
  EndpointId sut_endpoint_ = tcp::kNoEndpoint;  // whose TCP_INFO %{ }% blocks read
  std::unordered_map<uint32_t, uint32_t> ts_val_map_;
  std::optional<Pending> pending_;
  EndpointId pending_connect_ = tcp::kNoEndpoint;
  size_t write_progress_ = 0;
  std::optional<Instant> poll_started_;
  int64_t prev_time_us_ = 0;
  bool prev_inbound_ = false;
  std::optional<Failure> failure_;
  std::optional<std::string> invariant_failure_;
  std::vector<Event> recorded_;
  std::optional<std::string> unscriptable_;
  std::optional<size_t> pending_record_;  // the recorded line of a call still blocked
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
