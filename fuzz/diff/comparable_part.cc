#include "fuzz/diff/comparable_part.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <sstream>
#include <variant>
#include <vector>

#include "fuzz/scenario/script_timing.h"
#include "stack/header/tcp.h"

namespace tcpfuzz::diff {

using scenario::Event;
using scenario::PacketSpec;

namespace {

// An outbound packet is what the stack made of the inbound line or call
// before it (or of a timer): the comparison stops before that cause.
size_t before_its_cause(const scenario::Scenario& s, size_t index) {
  while (index > 0 && is_outbound(s.events[index - 1])) --index;
  return index == 0 ? 0 : index - 1;
}

struct Limit {
  size_t events;     // events compared
  int64_t at_us;     // script time where the comparison stops
  std::string what;  // what happens there
};

int64_t end_of(const Event& e) {
  int64_t ends_us = e.time.start_us;
  if (const auto* call = std::get_if<scenario::SyscallSpec>(&e.action); call && call->end_us) {
    ends_us = std::max(ends_us, *call->end_us);
  }
  return ends_us;
}

// The first event past --max-seconds of fake time, or a call that started
// before it and returns after it (it goes with the rest).
std::optional<Limit> time_limit(const scenario::Scenario& s, double max_seconds) {
  const auto max_us = static_cast<int64_t>(max_seconds * 1e6);
  int64_t last_us = 0;
  for (const Event& e : s.events) last_us = std::max(last_us, end_of(e));
  if (last_us <= max_us) return std::nullopt;
  const auto late =
      std::ranges::find_if(s.events, [&](const Event& e) { return end_of(e) > max_us; });
  std::ostringstream what;
  what << "--max-seconds " << max_seconds << " of the run's " << static_cast<double>(last_us) / 1e6
       << " s of fake time (packetdrill runs on the wall clock)";
  return Limit{static_cast<size_t>(late - s.events.begin()), max_us, what.str()};
}

// packetdrill's parser rejects a segment whose script numbers wrap.
std::optional<Limit> wrapping_segment(const scenario::Scenario& s) {
  for (size_t i = 0; i < s.events.size(); ++i) {
    const auto* p = std::get_if<PacketSpec>(&s.events[i].action);
    if (p == nullptr || uint64_t{p->seq_start} + p->payload_length <= UINT32_MAX) continue;
    const bool ours = is_outbound(s.events[i]);
    return Limit{ours ? before_its_cause(s, i) : i, s.events[i].time.start_us,
                 std::string(ours ? "our stack sends" : "the peer sends") +
                     " a segment whose script sequence numbers wrap, which packetdrill's parser "
                     "rejects"};
  }
  return std::nullopt;
}

std::optional<int64_t> integer(const scenario::Expr& e) {
  if (e.kind != scenario::Expr::Kind::kInteger) return std::nullopt;
  return e.integer;
}

const scenario::OptionSpec* timestamp_of(const PacketSpec& p) {
  if (!p.options) return nullptr;
  const auto ts = std::ranges::find(*p.options, scenario::OptionSpec::Kind::kTimestamp,
                                    &scenario::OptionSpec::kind);
  return ts == p.options->end() ? nullptr : &*ts;
}

// packetdrill maps an inbound ACK's TSecr through the TSvals of the
// outbound lines it checked for its socket under test (map_inbound_packet(),
// no interpolation by default). socket() makes a new socket the one under
// test, and so does a packet reaching a listener (or coming before any
// socket): their mapping starts empty.
std::optional<Limit> unmappable_echo(const scenario::Scenario& s) {
  std::set<uint32_t> tsvals;
  std::optional<int64_t> socket_fd;
  bool listening = false;
  for (size_t i = 0; i < s.events.size(); ++i) {
    const Event& e = s.events[i];
    if (const auto* call = std::get_if<scenario::SyscallSpec>(&e.action)) {
      const auto result = integer(call->result);
      if (call->name == "socket" && result && *result >= 0) {
        socket_fd = result;
        listening = false;
        tsvals.clear();
      } else if (call->name == "listen" && result == 0 && !call->args.empty() &&
                 integer(call->args[0]) == socket_fd) {
        listening = true;
      }
      continue;
    }
    const auto* p = std::get_if<PacketSpec>(&e.action);
    if (p == nullptr || p->icmp) continue;
    const scenario::OptionSpec* ts = timestamp_of(*p);
    if (is_outbound(e)) {
      if (ts != nullptr) tsvals.insert(ts->value);
      continue;
    }
    if (!socket_fd || listening) {
      listening = false;
      tsvals.clear();
    }
    if (ts != nullptr && (p->flags & netstack::header::tcp_flag::kAck) != 0 && ts->value2 != 0 &&
        !tsvals.contains(ts->value2)) {
      return Limit{i, e.time.start_us,
                   "the peer's ACK echoes TSval " + std::to_string(ts->value2) +
                       ", which packetdrill cannot map for its socket under test"};
    }
  }
  return std::nullopt;
}

// The script fds a call names: its first argument, for splice() and
// epoll_ctl() the third too, for poll() each entry's fd.
std::vector<int64_t> fds_named(const scenario::SyscallSpec& call) {
  std::vector<int64_t> fds;
  if (call.name == "socket" || call.name == "pipe" || call.name.starts_with("epoll_create")) {
    return fds;
  }
  if (call.name == "poll") {
    if (call.args.empty()) return fds;
    for (const scenario::Expr& entry : call.args[0].elements) {
      for (size_t f = 0; f < entry.names.size(); ++f) {
        if (entry.names[f] != "fd") continue;
        if (auto fd = integer(entry.elements[f])) fds.push_back(*fd);
      }
    }
    return fds;
  }
  for (size_t position : {size_t{0}, size_t{2}}) {
    if (position == 2 && call.name != "splice" && call.name != "epoll_ctl") break;
    if (position < call.args.size()) {
      if (auto fd = integer(call.args[position])) fds.push_back(*fd);
    }
  }
  return fds;
}

// packetdrill runs a call only on fds the script opened and has not closed
// (to_live_fd(): "unable to find fd with script fd N"); our runner answers
// EBADF, which the kernel is never asked.
std::optional<Limit> unknown_fd(const scenario::Scenario& s) {
  std::set<int64_t> open;
  for (size_t i = 0; i < s.events.size(); ++i) {
    const auto* call = std::get_if<scenario::SyscallSpec>(&s.events[i].action);
    if (call == nullptr) continue;
    for (const int64_t fd : fds_named(*call)) {
      if (open.contains(fd)) continue;
      return Limit{i, s.events[i].time.start_us,
                   call->name + "() on fd " + std::to_string(fd) +
                       ", which the script has not opened (packetdrill cannot make the call)"};
    }
    const auto result = integer(call->result);
    if (!result || *result < 0) continue;
    if (call->name == "socket" || call->name == "accept" ||
        call->name.starts_with("epoll_create")) {
      open.insert(*result);
    } else if (call->name == "pipe" && !call->args.empty()) {
      for (const scenario::Expr& fd : call->args[0].elements) {
        if (auto n = integer(fd)) open.insert(*n);
      }
    } else if (call->name == "close" && !call->args.empty()) {
      if (auto fd = integer(call->args[0])) open.erase(*fd);
    }
  }
  return std::nullopt;
}

}  // namespace

bool is_outbound(const Event& e) {
  const auto* p = std::get_if<PacketSpec>(&e.action);
  return p != nullptr && p->direction == PacketSpec::Direction::kOutbound;
}

ComparablePart comparable_part(const scenario::Scenario& recorded,
                               const std::optional<scenario::Unscriptable>& unscriptable,
                               double max_seconds) {
  std::vector<Limit> limits;
  if (auto t = time_limit(recorded, max_seconds)) limits.push_back(std::move(*t));
  if (auto w = wrapping_segment(recorded)) limits.push_back(std::move(*w));
  if (auto u = unmappable_echo(recorded)) limits.push_back(std::move(*u));
  if (auto f = unknown_fd(recorded)) limits.push_back(std::move(*f));
  if (unscriptable && unscriptable->event <= recorded.events.size()) {
    const size_t cause = before_its_cause(recorded, unscriptable->event);
    const int64_t at_us = cause < recorded.events.size() ? recorded.events[cause].time.start_us : 0;
    limits.push_back(Limit{cause, at_us, "our stack sends " + unscriptable->what});
  }
  if (limits.empty()) return ComparablePart{recorded.events.size(), ""};
  const Limit& first = *std::ranges::min_element(limits, {}, &Limit::events);
  return ComparablePart{first.events, scenario::fixed_seconds(first.at_us) + " s: " + first.what};
}

bool has_outbound(const scenario::Scenario& recorded, size_t events) {
  const size_t n = std::min(events, recorded.events.size());
  return std::any_of(recorded.events.begin(),
                     recorded.events.begin() + static_cast<std::ptrdiff_t>(n), is_outbound);
}

}  // namespace tcpfuzz::diff
