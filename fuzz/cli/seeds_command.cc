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

constexpr const char* kUsage = "usage: tcpfuzz seeds SCRIPT_OR_DIR... --to DIR [--check]\n";

std::string seed_name(const std::filesystem::path& script) {
  return "script-" + script.parent_path().filename().string() + "-" + script.stem().string() +
         ".bin";
}

}  // namespace

int seeds_command(const std::vector<std::string>& args) {
  std::vector<std::string> inputs;
  std::string out_dir;
  bool check = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--to" && i + 1 < args.size()) {
      out_dir = args[++i];
    } else if (args[i] == "--check") {
      check = true;
    } else if (args[i].starts_with("-")) {
      std::fprintf(stderr, "tcpfuzz seeds: unexpected argument %s\n%s", args[i].c_str(), kUsage);
      return 2;
    } else {
      inputs.push_back(args[i]);
    }
  }
  if (inputs.empty() || out_dir.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(out_dir, ec)) {
    std::fprintf(stderr, "%s: not a directory\n", out_dir.c_str());
    return 2;
  }
  auto files = collect_files(inputs, ".pkt");
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
    const std::string path = (std::filesystem::path(out_dir) / seed_name(f)).string();
    if (check) {
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
  if (check && differing > 0) {
    std::printf("%zu seed(s) differ; rerun tcpfuzz seeds without --check\n", differing);
    return 1;
  }
  std::printf("%zu script(s) %s %s\n", files->size(), check ? "match seeds in" : "written to",
              out_dir.c_str());
  return 0;
}

}  // namespace tcpfuzz::cli
