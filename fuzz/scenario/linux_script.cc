#include "fuzz/scenario/linux_script.h"

#include "fuzz/scenario/pkt_writer.h"
#include "fuzz/scenario/sysctl_config.h"

namespace tcpfuzz::scenario {

namespace {

constexpr const char* kOneSegmentPerPacket =
    "ip link set dev tun0 gso_max_segs 1 2>/dev/null || true";

// Real time the leading commands may take on Linux before the first call or
// packet (a sysctl, the link and defaults.sh: 25 ms; a python helper: 130).
constexpr int64_t kCommandsSettleUs = 500'000;

Event command_event(std::string text) {
  Event e;
  e.action = CommandSpec{std::move(text)};
  return e;
}

// Calls `fn(sec, nsec)` on every SCM_TIMESTAMPING time the script's calls
// state. A time of 0 means "any" to packetdrill and is left out.
template <typename Fn>
void for_each_stated_timestamp(Expr& e, const Fn& fn) {
  if (e.kind == Expr::Kind::kStruct) {
    Expr* sec = nullptr;
    Expr* nsec = nullptr;
    for (size_t i = 0; i < e.names.size(); ++i) {
      if (e.names[i] == "scm_sec") sec = &e.elements[i];
      if (e.names[i] == "scm_nsec") nsec = &e.elements[i];
    }
    if (sec != nullptr && nsec != nullptr && sec->kind == Expr::Kind::kInteger &&
        nsec->kind == Expr::Kind::kInteger) {
      if (sec->integer != 0 || nsec->integer != 0) fn(sec->integer, nsec->integer);
      return;
    }
  }
  for (Expr& inner : e.elements) for_each_stated_timestamp(inner, fn);
}
template <typename Fn>
void for_each_stated_timestamp(Scenario& s, const Fn& fn) {
  for (Event& event : s.events) {
    if (auto* call = std::get_if<SyscallSpec>(&event.action)) {
      for (Expr& arg : call->args) for_each_stated_timestamp(arg, fn);
    }
  }
}

// The host's default congestion control may not be ours (a distribution
// may default to BBR, and a network namespace cannot choose an algorithm
// the host has not allowed), so every socket picks the stack's by
// setsockopt, which root may always do (Linux tcp_set_congestion_control()).
// Accepted sockets inherit it from their listener.
void choose_congestion_control(Scenario& s, std::string_view algorithm) {
  auto is_choice = [&](const Event& e) {
    const auto* call = std::get_if<SyscallSpec>(&e.action);
    return call != nullptr && call->name == "setsockopt" && call->args.size() > 2 &&
           call->args[2].kind == Expr::Kind::kSymbol && call->args[2].text == "TCP_CONGESTION";
  };
  for (size_t i = 0; i < s.events.size(); ++i) {
    const auto* call = std::get_if<SyscallSpec>(&s.events[i].action);
    if (call == nullptr || call->name != "socket" || call->result.kind != Expr::Kind::kInteger ||
        call->result.integer < 0) {
      continue;
    }
    if (i + 1 < s.events.size() && is_choice(s.events[i + 1])) continue;
    Event choice;
    choice.time = s.events[i].time;
    choice.time.end_us.reset();
    choice.line = s.events[i].line;
    SyscallSpec set;
    set.name = "setsockopt";
    set.args = {Expr::number(call->result.integer), Expr::symbol("SOL_TCP"),
                Expr::symbol("TCP_CONGESTION"),
                Expr::of(Expr::Kind::kString, 0, std::string(algorithm), {}),
                Expr::number(static_cast<int64_t>(algorithm.size()))};
    set.result = Expr::number(0);
    choice.action = std::move(set);
    s.events.insert(s.events.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(choice));
  }
}

}  // namespace

std::string write_linux_script(Scenario recorded, std::string_view comment,
                               const netstack::tcp::Config& config) {
  const std::string profile = sysctl_command(config);
  choose_congestion_control(recorded, netstack::tcp::algorithm_name(config.congestion_control));
  const auto* first =
      recorded.events.empty() ? nullptr : std::get_if<CommandSpec>(&recorded.events.front().action);
  const bool add_commands = first == nullptr || first->command != profile;
  if (add_commands) {  // a record of a written script has them
    recorded.events.insert(recorded.events.begin(),
                           {command_event(profile), command_event(kOneSegmentPerPacket)});
  }
  // Relative times, as packetdrill scripts are written: they stay right when
  // a command takes real time on Linux. packetdrill times a relative event
  // from when the one before it ended, but a stated timestamp from the
  // script's start: where there are some, the first event after the leading
  // commands is absolute, late enough for them, and the timestamps move
  // with it.
  bool states_timestamps = false;
  for_each_stated_timestamp(recorded, [&](int64_t&, int64_t&) { states_timestamps = true; });
  // (A record of a written script has moved already.)
  const int64_t settle_us = add_commands && states_timestamps ? kCommandsSettleUs : 0;
  if (settle_us != 0) {
    for_each_stated_timestamp(recorded, [&](int64_t& sec, int64_t& nsec) {
      const int64_t ns = sec * 1'000'000'000 + nsec + settle_us * 1000;
      sec = ns / 1'000'000'000;
      nsec = ns % 1'000'000'000;
    });
  }
  int64_t previous_us = 0;
  bool after_commands = false;
  for (size_t i = 1; i < recorded.events.size(); ++i) {
    Event& event = recorded.events[i];
    EventTime& t = event.time;
    auto* call = std::get_if<SyscallSpec>(&event.action);
    const int64_t at = t.start_us;
    if (states_timestamps && !after_commands &&
        !std::holds_alternative<CommandSpec>(event.action)) {
      after_commands = true;
      t.kind = EventTime::Kind::kAbsolute;
      t.start_us = at + settle_us;
      if (call != nullptr && call->end_us) *call->end_us += settle_us;
      previous_us = at;
      continue;
    }
    t.kind = EventTime::Kind::kRelative;
    t.start_us = at - previous_us;
    // A blocking call's return time counts from the same point.
    if (call != nullptr && call->end_us) *call->end_us -= previous_us;
    previous_us = at;
  }
  return write_script(recorded, comment);
}

}  // namespace tcpfuzz::scenario
