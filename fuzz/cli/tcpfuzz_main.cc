// tcpfuzz: the toolkit's command line.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/cli/commands.h"

namespace {

constexpr std::string_view kUsage =
    "usage: tcpfuzz COMMAND [ARGS]\n"
    "  run [--trace] [--verbose] [--ignore-window] [--pcap OUT] FILE_OR_DIR...\n"
    "      run packetdrill-dialect scripts against the stack (fake clock, in-process)\n"
    "  replay INPUT [--target NAME] [--pcap OUT]\n"
    "      run one fuzz input with its decoding and full trace\n"
    "  export INPUT [--target NAME] --to pkt|pcap [-o OUT]\n"
    "      a scenario-based input as a script, or any input's packets as a pcap\n"
    "  cov FILE_OR_DIR... [--target NAME] [--dot OUT] [--svg OUT]\n"
    "      TCP states, transitions and (state, segment, verdict) triples a corpus reaches\n"
    "  seeds SCRIPT_OR_DIR... --to DIR\n"
    "      scripts as scenario_fuzzer seeds\n"
    "  triage FILE_OR_DIR... [--target NAME] [--timeout S] [--tsv]\n"
    "      run crashes, group them by signature\n"
    "  minimize INPUT [--target NAME] [-o OUT] [--max-runs N] [--max-seconds S] [--timeout S]\n"
    "      the smallest input that fails the same way, with its script and pcap\n"
    "  regress INPUT --name SLUG [--target NAME] [--corpus DIR]\n"
    "      file an input as a regression case that ctest replays\n"
    "  import CAPTURE... --to DIR [--target scenario_fuzzer|segment_fuzzer|pkt]\n"
    "         [--stack server|client|both] [--check]\n"
    "      TCP flows of pcap/pcapng captures as scripts and seeds\n"
    "  diff INPUT... [--target NAME] [--packetdrill PATH] [--max-seconds S] [--known FILE]\n"
    "       [--diffs DIR] [--no-minimize]\n"
    "      scenarios run on the stack and checked against the Linux kernel (root)\n"
    "  serve --tun NAME --address IP (--listen PORT | --connect IP:PORT) [--mode M] ...\n"
    "      the stack on a TUN device with the real clock: echo/discard/source server or\n"
    "      send/receive client (tcpfuzz serve --help for every flag)\n"
    "  targets\n"
    "      the fuzz targets: name, what their inputs export to, what they fuzz\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage.data(), stderr);
    return 2;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "run") return tcpfuzz::cli::run_command(args);
  if (command == "replay") return tcpfuzz::cli::replay_command(args);
  if (command == "export") return tcpfuzz::cli::export_command(args);
  if (command == "cov") return tcpfuzz::cli::cov_command(args);
  if (command == "seeds") return tcpfuzz::cli::seeds_command(args);
  if (command == "triage") return tcpfuzz::cli::triage_command(args);
  if (command == "regress") return tcpfuzz::cli::regress_command(args);
  if (command == "minimize") return tcpfuzz::cli::minimize_command(args);
  if (command == "import") return tcpfuzz::cli::import_command(args);
  if (command == "diff") return tcpfuzz::cli::diff_command(args);
  if (command == "serve") return tcpfuzz::cli::serve_command(args);
  if (command == "targets") return tcpfuzz::cli::targets_command(args);
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage.data(), stdout);
    return 0;
  }
  std::fprintf(stderr, "tcpfuzz: unknown command '%s'\n%s", command.c_str(), kUsage.data());
  return 2;
}
