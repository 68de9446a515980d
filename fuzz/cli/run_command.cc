// tcpfuzz run: runs packetdrill-dialect scripts against the stack.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/cli/input_file.h"
#include "fuzz/harness/run_oracle.h"
#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/runner.h"
#include "stack/link/pcap_writer.h"

namespace tcpfuzz::cli {

namespace {

class Run final : public Command {
 public:
  Run()
      : Command("run",
                "run packetdrill-dialect scripts against the stack (fake clock, in-process)") {
    line_.positional("FILE_OR_DIR", inputs_, "scripts, or folders of .pkt scripts")
        .flag("--trace", options_.trace, "print every event of every script")
        .flag("-v,--verbose", verbose_, "print the last events of a failing script")
        .flag("--ignore-window", options_.compare_windows,
              "do not compare the window the stack advertises", false)
        .flag("--pcap", text(pcap_path_, "OUT"), "write the packets exchanged (one script only)")
        .flag("--oracle", oracle_,
              "also judge the stack with the reference oracle (docs/oracle.md); a violation "
              "fails the script");
  }

 private:
  int run() override;
  // The script's result, failed if the oracle found a violation.
  scenario::RunResult run_one(const scenario::Scenario& s);

  scenario::RunOptions options_;
  bool oracle_ = false;
  std::string pcap_path_;
  bool verbose_ = false;
  std::vector<std::string> inputs_;
};

// Two recorders on one tap: the pcap file and the oracle.
class BothRecorders final : public netstack::PacketRecorder {
 public:
  BothRecorders(netstack::PacketRecorder& first, netstack::PacketRecorder& second)
      : first_(first), second_(second) {}
  void record(netstack::Instant at, std::span<const uint8_t> ip_packet) override {
    first_.record(at, ip_packet);
    second_.record(at, ip_packet);
  }

 private:
  netstack::PacketRecorder& first_;
  netstack::PacketRecorder& second_;
};

scenario::RunResult Run::run_one(const scenario::Scenario& s) {
  if (!oracle_) return scenario::run_scenario(s, options_);
  std::optional<std::string> violation;
  harness::RunOracle oracle(/*enabled=*/true, options_.tracer,
                            [&violation](const std::string& report) {
                              if (!violation) violation = report;
                            });
  scenario::RunOptions options = options_;
  options.tracer = oracle.tracer();
  std::optional<BothRecorders> both;
  if (options_.pcap != nullptr && oracle.tap() != nullptr) {
    options.pcap = &both.emplace(*options_.pcap, *oracle.tap());
  } else if (oracle.tap() != nullptr) {
    options.pcap = oracle.tap();
  }
  scenario::RunResult r = scenario::run_scenario(s, options);
  oracle.finish(r.ended_at);
  if (violation && r.status != scenario::RunResult::Status::kFail) {
    r.status = scenario::RunResult::Status::kFail;
    r.message = *violation;
  }
  return r;
}

int Run::run() {
  std::vector<std::string> files;
  if (auto found = collect_files(inputs_, ".pkt")) {
    files = std::move(*found);
  } else {
    std::fprintf(stderr, "%s\n", found.error().c_str());
    return 2;
  }
  if (!pcap_path_.empty() && files.size() != 1) {
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
  if (!pcap_path_.empty()) {
    auto w = netstack::PcapWriter::open(pcap_path_);
    if (!w) {
      std::fprintf(stderr, "%s\n", w.error().c_str());
      return 2;
    }
    pcap = std::move(*w);
    options_.pcap = pcap.get();
  }
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;
  for (const scenario::Scenario& s : scenarios) {
    const scenario::RunResult r = run_one(s);
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
        if (verbose_ || options_.trace) {
          std::printf("  last events:\n");
          for (const std::string& line : r.trace) std::printf("    %s\n", line.c_str());
        }
        break;
    }
    if (options_.trace && r.status == scenario::RunResult::Status::kPass) {
      for (const std::string& line : r.trace) std::printf("    %s\n", line.c_str());
    }
  }
  if (pcap && !pcap->flush()) {
    std::fprintf(stderr, "%s: write failed\n", pcap_path_.c_str());
    return 2;
  }
  std::printf("%zu passed, %zu failed, %zu skipped\n", passed, failed, skipped);
  return failed > 0 ? 1 : 0;
}

}  // namespace

std::unique_ptr<Command> make_run_command() {
  return std::make_unique<Run>();
}

}  // namespace tcpfuzz::cli
