// tcpfuzz run: runs packetdrill-dialect scripts against the stack.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/cli/input_file.h"
#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/runner.h"
#include "stack/link/pcap_writer.h"

namespace tcpfuzz::cli {

int run_command(const std::vector<std::string>& args) {
  scenario::RunOptions options;
  std::string pcap_path;
  bool verbose = false;
  std::vector<std::string> inputs;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--trace") {
      options.trace = true;
    } else if (args[i] == "--ignore-window") {
      options.compare_windows = false;
    } else if (args[i] == "--verbose" || args[i] == "-v") {
      verbose = true;
    } else if (args[i] == "--pcap" && i + 1 < args.size()) {
      pcap_path = args[++i];
    } else if (args[i].starts_with("-")) {
      std::fprintf(stderr, "tcpfuzz run: unknown option %s\n", args[i].c_str());
      return 2;
    } else {
      inputs.push_back(args[i]);
    }
  }
  std::vector<std::string> files;
  if (inputs.empty()) {
    std::fprintf(
        stderr,
        "usage: tcpfuzz run [--trace] [--verbose] [--ignore-window] [--pcap OUT] FILE_OR_DIR...\n");
    return 2;
  }
  if (auto found = collect_files(inputs, ".pkt")) {
    files = std::move(*found);
  } else {
    std::fprintf(stderr, "%s\n", found.error().c_str());
    return 2;
  }
  if (!pcap_path.empty() && files.size() != 1) {
    std::fprintf(stderr, "tcpfuzz run: --pcap takes exactly one script\n");
    return 2;
  }
  // Parse everything first: a malformed file is a usage error, reported
  // alone, before anything runs.
  std::vector<scenario::Scenario> scenarios;
  for (const std::string& f : files) {
    auto s = scenario::parse_script_file(f);
    if (!s) {
      std::fprintf(stderr, "%s\n", s.error().c_str());
      return 2;
    }
    scenarios.push_back(std::move(*s));
  }
  std::unique_ptr<netstack::PcapWriter> pcap;
  if (!pcap_path.empty()) {
    auto w = netstack::PcapWriter::open(pcap_path);
    if (!w) {
      std::fprintf(stderr, "%s\n", w.error().c_str());
      return 2;
    }
    pcap = std::move(*w);
    options.pcap = pcap.get();
  }
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;
  for (const scenario::Scenario& s : scenarios) {
    const scenario::RunResult r = scenario::run_scenario(s, options);
    switch (r.status) {
      case scenario::RunResult::Status::kPass:
        ++passed;
        std::printf("PASS %s\n", s.path.c_str());
        break;
      case scenario::RunResult::Status::kSkip:
        ++skipped;
        std::printf("SKIP %s: %s\n", s.path.c_str(), r.message.c_str());
        break;
      case scenario::RunResult::Status::kFail:
        ++failed;
        std::printf("FAIL %s\n%s\n", s.path.c_str(), r.message.c_str());
        if (verbose || options.trace) {
          std::printf("  last events:\n");
          for (const std::string& line : r.trace) std::printf("    %s\n", line.c_str());
        }
        break;
    }
    if (options.trace && r.status == scenario::RunResult::Status::kPass) {
      for (const std::string& line : r.trace) std::printf("    %s\n", line.c_str());
    }
  }
  if (pcap && !pcap->flush()) {
    std::fprintf(stderr, "%s: write failed\n", pcap_path.c_str());
    return 2;
  }
  std::printf("%zu passed, %zu failed, %zu skipped\n", passed, failed, skipped);
  return failed > 0 ? 1 : 0;
}

}  // namespace tcpfuzz::cli
