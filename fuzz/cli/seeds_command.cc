// tcpfuzz seeds: packetdrill-dialect scripts as scenario_fuzzer seeds
// (fuzz/scenario/script_to_binary.h), one file per script, named
// script-<folder>-<name>.bin; --check compares instead of writing.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/cli/input_file.h"
#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/script_to_binary.h"

namespace tcpfuzz::cli {

namespace {

std::string seed_name(const std::filesystem::path& script) {
  return "script-" + script.parent_path().filename().string() + "-" + script.stem().string() +
         ".bin";
}

class Seeds final : public Command {
 public:
  Seeds() : Command("seeds", "scripts as scenario_fuzzer seeds") {
    line_.positional("SCRIPT_OR_DIR", inputs_, "scripts, or folders of .pkt scripts")
        .flag("--to", text(out_dir_, "DIR"), "the seed folder", CommandLine::Need::kRequired)
        .flag("--check", check_,
              "compare with the seeds there instead of writing (exit 1: differ)");
  }

 private:
  int run() override;

  std::vector<std::string> inputs_;
  std::string out_dir_;
  bool check_ = false;
};

int Seeds::run() {
  std::error_code ec;
  if (!std::filesystem::is_directory(out_dir_, ec)) {
    std::fprintf(stderr, "%s: not a directory\n", out_dir_.c_str());
    return 2;
  }
  auto files = collect_files(inputs_, ".pkt");
  if (!files) {
    std::fprintf(stderr, "%s\n", files.error().c_str());
    return 2;
  }
  size_t differing = 0;
  for (const std::string& f : *files) {
    auto script = scenario::parse_script_file(f);
    if (!script) {
      std::fprintf(stderr, "%s\n", script.error().c_str());
      return 2;
    }
    const std::vector<uint8_t> seed = scenario::encode_binary(scenario::script_to_binary(*script));
    const std::string path = (std::filesystem::path(out_dir_) / seed_name(f)).string();
    if (check_) {
      auto existing = read_input(path);
      if (!existing || *existing != seed) {
        std::printf("differs: %s (from %s)\n", path.c_str(), f.c_str());
        ++differing;
      }
      continue;
    }
    if (auto error = write_output(path, std::string(seed.begin(), seed.end()))) {
      std::fprintf(stderr, "%s\n", error->c_str());
      return 2;
    }
  }
  if (check_ && differing > 0) {
    std::printf("%zu seed(s) differ; rerun tcpfuzz seeds without --check\n", differing);
    return 1;
  }
  std::printf("%zu script(s) %s %s\n", files->size(), check_ ? "match seeds in" : "written to",
              out_dir_.c_str());
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_seeds_command() {
  return std::make_unique<Seeds>();
}

}  // namespace tcpfuzz::cli
