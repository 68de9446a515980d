// tcpfuzz export: a scenario-based fuzz input as a packetdrill-dialect script
// (which `tcpfuzz run` replays) or as a pcap of the packets exchanged.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/cli/input_file.h"
#include "fuzz/cli/pcap_export.h"

namespace tcpfuzz::cli {

namespace {

int export_pcap(const harness::Target& target, const std::string& input_path,
                const std::vector<uint8_t>& input, const std::string& out_path) {
  const PcapExport written = write_pcap(target, input, out_path);
  if (written.error) {
    std::fprintf(stderr, "%s\n", written.error->c_str());
    return 2;
  }
  if (!written.crash.empty()) {
    std::fprintf(stderr, "note: %s crashes the stack (%s); the pcap ends where it crashed\n",
                 input_path.c_str(), written.crash.c_str());
  }
  return 0;
}

enum class Format : uint8_t { kNone, kPkt, kPcap };

class Export final : public Command {
 public:
  Export()
      : Command("export", "a scenario-based input as a script, or any input's packets as a pcap") {
    line_.positional("INPUT", input_path_, "one input of a fuzz target")
        .flag("--target", text(target_name_, "NAME"),
              "the fuzz target (tcpfuzz targets); default: the input's folder name")
        .flag("--to", choice(format_, {{"pkt", Format::kPkt}, {"pcap", Format::kPcap}}),
              "a packetdrill-dialect script or a pcap", CommandLine::Need::kRequired)
        .flag("-o,--output", text(out_path_, "OUT"),
              "where it goes; a pcap needs it, a script goes to standard output without it");
  }

 private:
  int run() override;

  std::string input_path_;
  std::string target_name_;
  Format format_ = Format::kNone;
  std::string out_path_;
};

int Export::run() {
  if (format_ == Format::kPcap && out_path_.empty()) {
    std::fprintf(stderr, "tcpfuzz export: --to pcap needs -o OUT\n");
    return 2;
  }
  auto loaded = load_target_input("export", target_name_, input_path_);
  if (!loaded) return 2;
  const harness::Target& t = *loaded->target;
  const std::vector<uint8_t>* input = &loaded->bytes;
  if (format_ == Format::kPcap) {
    if (!t.writes_pcap) {
      std::fprintf(stderr, "tcpfuzz export: %s inputs do not export to a pcap\n",
                   std::string(t.name).c_str());
      return 2;
    }
    return export_pcap(t, input_path_, *input, out_path_);
  }
  if (t.to_script == nullptr) {
    std::fprintf(stderr, "tcpfuzz export: %s is not scenario-based; only --to pcap applies\n",
                 std::string(t.name).c_str());
    return 2;
  }
  auto script =
      t.to_script(*input,
                  "Exported by `tcpfuzz export` from " + std::string(t.name) + " input " +
                      input_path_ + ".\nThe stack is 192.168.0.1, the scripted peer 192.0.2.1.",
                  nullptr);
  if (!script) {
    std::fprintf(stderr, "tcpfuzz export: %s: %s\n", input_path_.c_str(), script.error().c_str());
    return 1;
  }
  if (script->crash) {
    std::fprintf(stderr, "note: %s crashes the stack (%s); the script ends there\n",
                 input_path_.c_str(), script->crash->c_str());
  }
  const std::string& text = script->text;
  if (out_path_.empty()) {
    std::cout << text;
    return 0;
  }
  if (auto error = write_output(out_path_, text)) {
    std::fprintf(stderr, "%s\n", error->c_str());
    return 2;
  }
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_export_command() {
  return std::make_unique<Export>();
}

}  // namespace tcpfuzz::cli
