// tcpfuzz minimize: the smallest input that still fails the same way (same
// crash signature), with its script and packets.
#include "fuzz/cli/minimize_command.h"

#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/cli/input_file.h"
#include "fuzz/cli/pcap_export.h"

namespace tcpfuzz::cli {

namespace {

constexpr const char* kUsage =
    "usage: tcpfuzz minimize INPUT [--target NAME] [-o OUT] [--max-runs N] [--max-seconds S]\n"
    "                        [--timeout S]\n"
    "  (OUT defaults to INPUT.min; OUT.pkt and OUT.pcap are written where the target\n"
    "   exports them; defaults: 5000 runs, 300 s, 10 s per run)\n";

template <class T>
bool parse_positive(const std::string& text, T& value) {
  T parsed{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (error != std::errc() || end != text.data() + text.size() || parsed <= 0) return false;
  value = parsed;
  return true;
}

// OUT.pkt: the script of the minimised run (it ends where the run crashed).
int write_script(const harness::Target& target, const std::vector<uint8_t>& input,
                 const MinimizeRequest& request, const std::string& signature) {
  const std::string path = request.out_path + ".pkt";
  auto script =
      target.to_script(input,
                       "Minimised by `tcpfuzz minimize` from " + std::string(target.name) +
                           " input " + request.input_path + ".\nFailure kept: " + signature +
                           "\nThe stack is 192.168.0.1, the scripted peer 192.0.2.1.",
                       nullptr);
  if (!script) {
    std::fprintf(stderr, "tcpfuzz minimize: %s: not written: %s\n", path.c_str(),
                 script.error().c_str());
    return 1;
  }
  if (auto error = write_output(path, script->text)) {
    std::fprintf(stderr, "%s\n", error->c_str());
    return 2;
  }
  return 0;
}

}  // namespace

int minimize_input(const harness::Target& target, const std::vector<uint8_t>& input,
                   const MinimizeRequest& request) {
  const minimize::InputShape& shape = minimize::shape_of(target.name);
  double last_line = -1;
  minimize::Minimizer minimizer(
      shape, target.run, request.limits, [&](const minimize::Progress& p) {
        // At most a line a second: enough to see it move.
        if (p.seconds - last_line < 1) return;
        last_line = p.seconds;
        std::printf("%s\n", minimize::progress_line(p, shape.unit_name).c_str());
        std::fflush(stdout);
      });
  const minimize::Result result = minimizer.minimize(input);
  if (!result.fails) {
    std::fprintf(stderr, "tcpfuzz minimize: %s does not fail: %s\n", request.input_path.c_str(),
                 result.signature.c_str());
    return 1;
  }
  std::printf(
      "%s (%s)\n", minimize::progress_line(result.progress, shape.unit_name).c_str(),
      result.stopped_by.empty() ? "fixed point" : ("stopped: " + result.stopped_by).c_str());
  std::printf("failure kept: %s\n", result.signature.c_str());
  if (auto error =
          write_output(request.out_path, std::string(result.input.begin(), result.input.end()))) {
    std::fprintf(stderr, "%s\n", error->c_str());
    return 2;
  }
  std::string written = request.out_path;
  int status = 0;
  if (target.to_script != nullptr) {
    status = write_script(target, result.input, request, result.signature);
    if (status == 0) written += " " + request.out_path + ".pkt";
  }
  if (target.writes_pcap) {
    const PcapExport pcap = write_pcap(target, result.input, request.out_path + ".pcap");
    if (pcap.error) {
      std::fprintf(stderr, "%s\n", pcap.error->c_str());
      status = 2;
    } else {
      written += " " + request.out_path + ".pcap";
    }
  }
  std::printf("wrote %s\n", written.c_str());
  return status;
}

int minimize_command(const std::vector<std::string>& args) {
  std::string input_path;
  std::string target_name;
  MinimizeRequest request;
  for (size_t i = 0; i < args.size(); ++i) {
    const bool has_value = i + 1 < args.size();
    if (args[i] == "--target" && has_value) {
      target_name = args[++i];
    } else if ((args[i] == "-o" || args[i] == "--output") && has_value) {
      request.out_path = args[++i];
    } else if (args[i] == "--max-runs" && has_value) {
      if (!parse_positive(args[++i], request.limits.max_runs)) {
        std::fprintf(stderr, "tcpfuzz minimize: --max-runs needs a positive number\n");
        return 2;
      }
    } else if (args[i] == "--max-seconds" && has_value) {
      if (!parse_positive(args[++i], request.limits.max_seconds)) {
        std::fprintf(stderr, "tcpfuzz minimize: --max-seconds needs a positive number\n");
        return 2;
      }
    } else if (args[i] == "--timeout" && has_value) {
      if (!parse_positive(args[++i], request.limits.timeout_seconds)) {
        std::fprintf(stderr, "tcpfuzz minimize: --timeout needs a positive number of seconds\n");
        return 2;
      }
    } else if (args[i].starts_with("-") || !input_path.empty()) {
      std::fprintf(stderr, "tcpfuzz minimize: unexpected argument %s\n%s", args[i].c_str(), kUsage);
      return 2;
    } else {
      input_path = args[i];
    }
  }
  if (input_path.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  auto loaded = load_target_input("minimize", target_name, input_path);
  if (!loaded) return 2;
  request.input_path = input_path;
  if (request.out_path.empty()) request.out_path = input_path + ".min";
  return minimize_input(*loaded->target, loaded->bytes, request);
}

}  // namespace tcpfuzz::cli
