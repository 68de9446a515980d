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

class Replay final : public Command {
 public:
  Replay() : Command("replay", "run one fuzz input with its decoding and full trace") {
    line_.positional("INPUT", input_path_, "one input of a fuzz target")
        .flag("--target", text(target_name_, "NAME"),
              "the fuzz target (tcpfuzz targets); default: the input's folder name")
        .flag("--pcap", text(pcap_path_, "OUT"), "write the packets exchanged");
  }

 private:
  int run() override;

  std::string input_path_;
  std::string target_name_;
  std::string pcap_path_;
};

int Replay::run() {
  auto loaded = load_target_input("replay", target_name_, input_path_);
  if (!loaded) return 2;
  std::unique_ptr<netstack::PcapWriter> pcap;
  if (!pcap_path_.empty()) {
    auto w = netstack::PcapWriter::open(temporary_path(pcap_path_));
    if (!w) {
      std::fprintf(stderr, "%s\n", w.error().c_str());
      return 2;
    }
    pcap = std::move(*w);
  }
  std::cout << loaded->target->name << " input " << input_path_ << "\n";
  loaded->target->replay(loaded->bytes, harness::ReplayOptions{pcap.get()}, std::cout);
  if (pcap) {
    if (!pcap->flush()) {
      std::fprintf(stderr, "%s: write failed\n", pcap_path_.c_str());
      return 2;
    }
    pcap.reset();
    if (auto error = commit_output(pcap_path_)) {
      std::fprintf(stderr, "%s\n", error->c_str());
      return 2;
    }
  }
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_replay_command() {
  return std::make_unique<Replay>();
}

}  // namespace tcpfuzz::cli
