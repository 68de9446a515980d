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

constexpr const char* kUsage =
    "usage: tcpfuzz export INPUT [--target NAME] --to pkt|pcap [-o OUT]\n"
    "  (a pcap needs -o; a script goes to standard output without it)\n";

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

}  // namespace

int export_command(const std::vector<std::string>& args) {
  std::string input_path;
  std::string target_name;
  std::string format;
  std::string out_path;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--target" && i + 1 < args.size()) {
      target_name = args[++i];
    } else if (args[i] == "--to" && i + 1 < args.size()) {
      format = args[++i];
    } else if ((args[i] == "-o" || args[i] == "--output") && i + 1 < args.size()) {
      out_path = args[++i];
    } else if (args[i].starts_with("-") || !input_path.empty()) {
      std::fprintf(stderr, "tcpfuzz export: unexpected argument %s\n%s", args[i].c_str(), kUsage);
      return 2;
    } else {
      input_path = args[i];
    }
  }
  if (input_path.empty() || (format != "pkt" && format != "pcap")) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (format == "pcap" && out_path.empty()) {
    std::fprintf(stderr, "tcpfuzz export: --to pcap needs -o OUT\n");
    return 2;
  }
  auto loaded = load_target_input("export", target_name, input_path);
  if (!loaded) return 2;
  const harness::Target& t = *loaded->target;
  const std::vector<uint8_t>* input = &loaded->bytes;
  if (format == "pcap") {
    if (!t.writes_pcap) {
      std::fprintf(stderr, "tcpfuzz export: %s inputs do not export to a pcap\n",
                   std::string(t.name).c_str());
      return 2;
    }
    return export_pcap(t, input_path, *input, out_path);
  }
  if (t.to_script == nullptr) {
    std::fprintf(stderr, "tcpfuzz export: %s is not scenario-based; only --to pcap applies\n",
                 std::string(t.name).c_str());
    return 2;
  }
  auto script =
      t.to_script(*input,
                  "Exported by `tcpfuzz export` from " + std::string(t.name) + " input " +
                      input_path + ".\nThe stack is 192.168.0.1, the scripted peer 192.0.2.1.",
                  nullptr);
  if (!script) {
    std::fprintf(stderr, "tcpfuzz export: %s: %s\n", input_path.c_str(), script.error().c_str());
    return 1;
  }
  if (script->crash) {
    std::fprintf(stderr, "note: %s crashes the stack (%s); the script ends there\n",
                 input_path.c_str(), script->crash->c_str());
  }
  const std::string& text = script->text;
  if (out_path.empty()) {
    std::cout << text;
    return 0;
  }
  if (auto error = write_output(out_path, text)) {
    std::fprintf(stderr, "%s\n", error->c_str());
    return 2;
  }
  return 0;
}

}  // namespace tcpfuzz::cli
