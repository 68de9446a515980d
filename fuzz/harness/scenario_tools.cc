// What `tcpfuzz replay` shows of scenario_fuzzer inputs, and `tcpfuzz export`.
#include "fuzz/harness/replay.h"
#include "fuzz/scenario/binary_runner.h"
#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/pkt_writer.h"
#include "fuzz/scenario/runner.h"
#include "fuzz/scenario/sysctl_config.h"
#include "fuzz/scenario/trace_log.h"

namespace tcpfuzz::harness {

using scenario::BinaryRunner;

namespace {

scenario::Event command_event(std::string text) {
  scenario::Event e;
  e.action = scenario::CommandSpec{std::move(text)};
  return e;
}

}  // namespace

void replay_scenario_input(std::span<const uint8_t> input, const ReplayOptions& options,
                           std::ostream& out) {
  const auto events = scenario::decode_binary(input);
  out << "events (" << events.size() << " from " << input.size() << " bytes):\n";
  for (const auto& e : events) out << "  " << scenario::describe(e) << "\n";
  scenario::TraceLog trace(/*keep_all=*/false);
  out << "trace:" << std::endl;
  trace.set_echo(&out, "  ");
  scenario::Scenario script;
  BinaryRunner runner({.seed = 1, .pcap = options.pcap, .tracer = &trace, .transcript = &script});
  runner.run(events);
  out << "as a script:\n";
  for (const auto& e : script.events) out << "  " << scenario::format_event(e) << "\n";
  out << "states reached:";
  for (size_t i = 0; i < runner.states_reached().size(); ++i) {
    if (runner.states_reached()[i]) {
      out << " " << netstack::tcp::to_string(static_cast<netstack::tcp::State>(i));
    }
  }
  out << "\n";
}

void observe_scenario_input(std::span<const uint8_t> input, netstack::tcp::Tracer& tracer) {
  BinaryRunner runner({.tracer = &tracer});
  runner.run(scenario::decode_binary(input));
}

netstack::Expected<std::string, std::string> scenario_input_as_script(
    std::span<const uint8_t> input, std::string_view comment) {
  scenario::Scenario recorded;
  BinaryRunner runner({.transcript = &recorded});
  runner.run(scenario::decode_binary(input));
  // The configuration first, so the script means the same to Linux: the
  // stack's sysctls, and one segment per packet on packetdrill's tun0.
  const scenario::RunOptions defaults;
  recorded.events.insert(
      recorded.events.begin(),
      {command_event(scenario::sysctl_command(defaults.config)),
       command_event("ip link set dev tun0 gso_max_segs 1 2>/dev/null || true")});
  // Relative times, as packetdrill scripts are written: they stay right when
  // a command (the sysctl above) takes real time on Linux.
  int64_t previous_us = 0;
  for (size_t i = 1; i < recorded.events.size(); ++i) {
    scenario::EventTime& t = recorded.events[i].time;
    const int64_t at = t.start_us;
    t.kind = scenario::EventTime::Kind::kRelative;
    t.start_us = at - previous_us;
    previous_us = at;
  }
  std::string text = scenario::write_script(recorded, comment);
  // The text must parse back and replay the run; if the runners ever
  // disagree, say so rather than hand out a script that tells another story.
  auto parsed = scenario::parse_script(text, "<exported>");
  if (!parsed) {
    return netstack::Unexpected{"the exported script does not parse: " +
                                parsed.error().format("<exported>")};
  }
  const scenario::RunResult r = scenario::run_scenario(*parsed, scenario::RunOptions{});
  if (r.status != scenario::RunResult::Status::kPass) {
    return netstack::Unexpected{"the exported script does not replay the input: " + r.message};
  }
  return text;
}

}  // namespace tcpfuzz::harness
