// What `tcpfuzz replay` shows of scenario_fuzzer inputs, and `tcpfuzz export`.
#include <sstream>

#include "fuzz/harness/child_run.h"
#include "fuzz/harness/replay.h"
#include "fuzz/scenario/binary_runner.h"
#include "fuzz/scenario/linux_script.h"
#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/pkt_writer.h"
#include "fuzz/scenario/runner.h"
#include "fuzz/scenario/trace_log.h"

namespace tcpfuzz::harness {

using scenario::BinaryRunner;

namespace {

scenario::Event command_event(std::string text) {
  scenario::Event e;
  e.action = scenario::CommandSpec{std::move(text)};
  return e;
}

// Streams a run's script lines through a pipe, one message a line:
// "E <event> <now_us> <until_us>", "P <pending call>", "L <line>".
class PipeTranscript final : public scenario::TranscriptSink {
 public:
  explicit PipeTranscript(int fd) : fd_(fd) {}
  void add(scenario::Event e) override { send("L " + scenario::format_event(e)); }
  void begin_event(size_t index, int64_t now_us, int64_t until_us) override {
    send("E " + std::to_string(index) + " " + std::to_string(now_us) + " " +
         std::to_string(until_us));
  }
  void pending(const scenario::Event& call) override { send("P " + scenario::format_event(call)); }

 private:
  void send(const std::string& message) { write_all(fd_, message + "\n"); }
  int fd_;
};

// What a (possibly crashed) child streamed.
struct StreamedRun {
  std::vector<std::string> lines;
  std::optional<std::string> pending;  // a call that never completed
  size_t event = 0;                    // the last event begun
  int64_t until_us = 0;                // the time that event may reach
};

StreamedRun parse_stream(const std::string& output) {
  StreamedRun run;
  std::istringstream in(output);
  std::string message;
  while (std::getline(in, message)) {
    if (message.size() < 2) continue;
    const std::string body = message.substr(2);
    switch (message[0]) {
      case 'L':
        run.lines.push_back(body);
        run.pending.reset();
        break;
      case 'P':
        run.pending = body;
        break;
      case 'E': {
        std::istringstream fields(body);
        int64_t now_us = 0;
        fields >> run.event >> now_us >> run.until_us;
        run.pending.reset();
        break;
      }
      default:
        break;  // a message cut short by the crash
    }
  }
  return run;
}

// Why `text` does not replay the run (nullopt: it does). For a crashing
// run, replaying must crash too, or stop at an invariant violation (the
// script runner reports those instead of aborting).
std::optional<std::string> check_replay(const std::string& text, bool crashes,
                                        netstack::tcp::Tracer* also) {
  auto parsed = scenario::parse_script(text, "<exported>");
  if (!parsed) {
    return "the exported script does not parse: " + parsed.error().format("<exported>");
  }
  scenario::RunOptions options;
  options.tracer = also;
  if (!crashes) {
    const scenario::RunResult r = scenario::run_scenario(*parsed, options);
    if (r.status == scenario::RunResult::Status::kPass) return std::nullopt;
    return "the exported script does not replay the input: " + r.message;
  }
  const ChildOutcome child = run_in_child(
      [&](int fd) {
        const scenario::RunResult r = scenario::run_scenario(*parsed, options);
        // The message is "<exported>:LINE: invariant violated after this event: ...".
        const bool invariant =
            r.status == scenario::RunResult::Status::kFail &&
            r.message.find(": invariant violated after this event") != std::string::npos;
        write_all(fd, invariant ? "reproduced" : "did not crash: " + r.message);
      },
      {.capture_stderr = false, .timeout_seconds = kToolTimeoutSeconds});
  if (child.crashed || child.output == "reproduced") return std::nullopt;
  return "the exported script does not reproduce the crash; it " + child.output;
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
  scenario::ScenarioRecorder script;
  BinaryRunner runner({.seed = 1, .pcap = options.pcap, .tracer = &trace, .transcript = &script});
  runner.run(events);
  out << "as a script:\n";
  for (const auto& e : script.scenario().events) out << "  " << scenario::format_event(e) << "\n";
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

netstack::Expected<ExportedScript, std::string> scenario_input_as_script(
    std::span<const uint8_t> input, std::string_view comment, netstack::tcp::Tracer* also) {
  const auto events = scenario::decode_binary(input);
  // In a child, so that an input that crashes the stack still yields its
  // script up to the crash.
  const ChildOutcome child = run_in_child(
      [&](int fd) {
        PipeTranscript transcript(fd);
        BinaryRunner runner({.tracer = also, .transcript = &transcript});
        runner.run(events);
      },
      {.capture_stderr = false, .timeout_seconds = kToolTimeoutSeconds});
  const StreamedRun streamed = parse_stream(child.output);
  std::string lines;
  for (const std::string& line : streamed.lines) lines += line + "\n";
  if (child.crashed && streamed.pending) lines += *streamed.pending + "\n";
  auto parsed = scenario::parse_script(lines, "<recorded>");
  if (!parsed) {
    return netstack::Unexpected{"the recorded run does not parse: " +
                                parsed.error().format("<recorded>")};
  }
  scenario::Scenario recorded = std::move(*parsed);
  ExportedScript out;
  std::string header(comment);
  if (child.crashed) {
    const size_t index = std::min(streamed.event, events.empty() ? 0 : events.size() - 1);
    out.crash = child.how + (events.empty() ? std::string()
                                            : " in event " + std::to_string(index) + ": " +
                                                  scenario::describe(events[index]));
    if (!streamed.pending) {
      // The run died in a clock jump (or after the event's last line): a
      // last line at the time it reached makes the runner get there too.
      scenario::Event end = command_event("# the run crashed by this time");
      end.time.start_us = streamed.until_us;
      recorded.events.push_back(std::move(end));
    }
    header += "\nThe input crashes the stack (" + *out.crash + ");\nthe script ends there.";
  }
  out.text = scenario::write_linux_script(std::move(recorded), header);
  // The text must parse back and replay the run (or its crash); if the
  // runners ever disagree, say so rather than hand out a script that tells
  // another story.
  if (auto failure = check_replay(out.text, out.crash.has_value(), also)) {
    return netstack::Unexpected{*failure};
  }
  return out;
}

}  // namespace tcpfuzz::harness
