// tcpfuzz replay: one fuzz input of any target, decoded and traced.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/cli/input_file.h"
#include "stack/link/pcap_writer.h"

namespace tcpfuzz::cli {

namespace {

constexpr const char* kUsage = "usage: tcpfuzz replay INPUT [--target NAME] [--pcap OUT]\n";

}  // namespace

int replay_command(const std::vector<std::string>& args) {
  std::string input_path;
  std::string target_name;
  std::string pcap_path;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--target" && i + 1 < args.size()) {
      target_name = args[++i];
    } else if (args[i] == "--pcap" && i + 1 < args.size()) {
      pcap_path = args[++i];
    } else if (args[i].starts_with("-") || !input_path.empty()) {
      std::fprintf(stderr, "tcpfuzz replay: unexpected argument %s\n%s", args[i].c_str(), kUsage);
      return 2;
    } else {
      input_path = args[i];
    }
  }
  if (input_path.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  auto loaded = load_target_input("replay", target_name, input_path);
  if (!loaded) return 2;
  std::unique_ptr<netstack::PcapWriter> pcap;
  if (!pcap_path.empty()) {
    auto w = netstack::PcapWriter::open(temporary_path(pcap_path));
    if (!w) {
      std::fprintf(stderr, "%s\n", w.error().c_str());
      return 2;
    }
    pcap = std::move(*w);
  }
  std::cout << loaded->target->name << " input " << input_path << "\n";
  loaded->target->replay(loaded->bytes, harness::ReplayOptions{pcap.get()}, std::cout);
  if (pcap) {
    if (!pcap->flush()) {
      std::fprintf(stderr, "%s: write failed\n", pcap_path.c_str());
      return 2;
    }
    pcap.reset();
    if (auto error = commit_output(pcap_path)) {
      std::fprintf(stderr, "%s\n", error->c_str());
      return 2;
    }
  }
  return 0;
}

}  // namespace tcpfuzz::cli
