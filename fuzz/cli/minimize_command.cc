// tcpfuzz minimize: the smallest input that still fails the same way (same
// crash signature), with its script and packets.
#include "fuzz/cli/minimize_command.h"

#include <cstdio>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/cli/input_file.h"
#include "fuzz/cli/pcap_export.h"

namespace tcpfuzz::cli {

namespace {

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
  const minimize::InputShape& shape = minimize::shape_of(target);
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

namespace {

class Minimize final : public Command {
 public:
  Minimize()
      : Command("minimize",
                "the smallest input that fails the same way, with its script and pcap") {
    line_.positional("INPUT", request_.input_path, "a failing input of a fuzz target")
        .flag("--target", text(target_name_, "NAME"),
              "the fuzz target (tcpfuzz targets); default: the input's folder name")
        .flag("-o,--output", text(request_.out_path, "OUT"),
              "the minimised input, default INPUT.min; OUT.pkt and OUT.pcap go next to it where "
              "the target exports them")
        .flag("--max-runs", number(request_.limits.max_runs, "N", 1), "candidates to try at most")
        .flag("--max-seconds", seconds(request_.limits.max_seconds), "time to spend at most")
        .flag("--timeout", seconds(request_.limits.timeout_seconds),
              "a longer candidate run is a hang");
  }

 private:
  int run() override {
    auto loaded = load_target_input("minimize", target_name_, request_.input_path);
    if (!loaded) return 2;
    if (request_.out_path.empty()) request_.out_path = request_.input_path + ".min";
    return minimize_input(*loaded->target, loaded->bytes, request_);
  }

  std::string target_name_;
  MinimizeRequest request_;
};

}  // namespace

std::unique_ptr<Command> make_minimize_command() {
  return std::make_unique<Minimize>();
}

}  // namespace tcpfuzz::cli
