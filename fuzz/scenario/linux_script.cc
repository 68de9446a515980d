#include "fuzz/scenario/linux_script.h"

#include "fuzz/scenario/pkt_writer.h"
#include "fuzz/scenario/runner.h"
#include "fuzz/scenario/sysctl_config.h"

namespace tcpfuzz::scenario {

namespace {

Event command_event(std::string text) {
  Event e;
  e.action = CommandSpec{std::move(text)};
  return e;
}

}  // namespace

std::string write_linux_script(Scenario recorded, std::string_view comment) {
  const RunOptions defaults;
  recorded.events.insert(
      recorded.events.begin(),
      {command_event(sysctl_command(defaults.config)),
       command_event("ip link set dev tun0 gso_max_segs 1 2>/dev/null || true")});
  // Relative times, as packetdrill scripts are written: they stay right when
  // a command (the sysctl above) takes real time on Linux.
  int64_t previous_us = 0;
  for (size_t i = 1; i < recorded.events.size(); ++i) {
    EventTime& t = recorded.events[i].time;
    const int64_t at = t.start_us;
    t.kind = EventTime::Kind::kRelative;
    t.start_us = at - previous_us;
    previous_us = at;
  }
  return write_script(recorded, comment);
}

}  // namespace tcpfuzz::scenario
