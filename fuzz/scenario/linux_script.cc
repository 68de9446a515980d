#include "fuzz/scenario/linux_script.h"

#include "fuzz/scenario/pkt_writer.h"
#include "fuzz/scenario/sysctl_config.h"

namespace tcpfuzz::scenario {

namespace {

constexpr const char* kOneSegmentPerPacket =
    "ip link set dev tun0 gso_max_segs 1 2>/dev/null || true";

Event command_event(std::string text) {
  Event e;
  e.action = CommandSpec{std::move(text)};
  return e;
}

}  // namespace

std::string write_linux_script(Scenario recorded, std::string_view comment,
                               const netstack::tcp::Config& config) {
  const std::string profile = sysctl_command(config);
  const auto* first =
      recorded.events.empty() ? nullptr : std::get_if<CommandSpec>(&recorded.events.front().action);
  if (first == nullptr || first->command != profile) {  // a record of a written script has them
    recorded.events.insert(recorded.events.begin(),
                           {command_event(profile), command_event(kOneSegmentPerPacket)});
  }
  // Relative times, as packetdrill scripts are written: they stay right when
  // a command (the sysctl above) takes real time on Linux.
  int64_t previous_us = 0;
  for (size_t i = 1; i < recorded.events.size(); ++i) {
    EventTime& t = recorded.events[i].time;
    const int64_t at = t.start_us;
    t.kind = EventTime::Kind::kRelative;
    t.start_us = at - previous_us;
    // A blocking call's return time counts from the same point.
    if (auto* call = std::get_if<SyscallSpec>(&recorded.events[i].action); call && call->end_us) {
      *call->end_us -= previous_us;
    }
    previous_us = at;
  }
  return write_script(recorded, comment);
}

}  // namespace tcpfuzz::scenario
