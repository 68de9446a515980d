// tcpfuzz regress: files an input (a minimised crash) as a regression case,
// corpus/regressions/<target>/<name>.bin, which ctest replays through the
// fuzz target forever; for scenario-based targets its script goes to
// corpus/regressions/scripts/<target>-<name>.pkt for people to read.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/cli/input_file.h"
#include "fuzz/harness/child_run.h"

namespace tcpfuzz::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: tcpfuzz regress INPUT --name SLUG [--target NAME] [--corpus DIR]\n"
    "  (SLUG: lowercase letters, digits and '-', saying what the input does;\n"
    "   DIR: the corpus folder, default ./corpus)\n";

bool valid_slug(const std::string& slug) {
  if (slug.empty() || slug.front() == '-' || slug.back() == '-') return false;
  return slug.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
}

std::string as_text(const std::vector<uint8_t>& bytes) {
  return {bytes.begin(), bytes.end()};
}

}  // namespace

int regress_command(const std::vector<std::string>& args) {
  std::string input_path;
  std::string target_name;
  std::string slug;
  std::string corpus = "corpus";
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--target" && i + 1 < args.size()) {
      target_name = args[++i];
    } else if (args[i] == "--name" && i + 1 < args.size()) {
      slug = args[++i];
    } else if (args[i] == "--corpus" && i + 1 < args.size()) {
      corpus = args[++i];
    } else if (args[i].starts_with("-") || !input_path.empty()) {
      std::fprintf(stderr, "tcpfuzz regress: unexpected argument %s\n%s", args[i].c_str(), kUsage);
      return 2;
    } else {
      input_path = args[i];
    }
  }
  if (input_path.empty() || slug.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (!valid_slug(slug)) {
    std::fprintf(stderr, "tcpfuzz regress: --name '%s': use lowercase letters, digits and '-'\n",
                 slug.c_str());
    return 2;
  }
  std::error_code ec;
  if (!fs::is_directory(fs::path(corpus) / "regressions", ec)) {
    std::fprintf(stderr, "tcpfuzz regress: %s/regressions: no such folder (use --corpus DIR)\n",
                 corpus.c_str());
    return 2;
  }
  auto loaded = load_target_input("regress", target_name, input_path);
  if (!loaded) return 2;
  const harness::Target& t = *loaded->target;
  const std::vector<uint8_t>* input = &loaded->bytes;
  const fs::path dir = fs::path(corpus) / "regressions" / t.name;
  const fs::path case_path = dir / (slug + ".bin");
  const fs::path script_path =
      fs::path(corpus) / "regressions" / "scripts" / (std::string(t.name) + "-" + slug + ".pkt");
  for (const fs::path& p : {case_path, script_path}) {
    if (fs::exists(p, ec)) {
      std::fprintf(stderr, "tcpfuzz regress: %s already exists; choose another --name\n",
                   p.c_str());
      return 2;
    }
  }
  // The script first: if the input cannot be written as one, nothing is filed.
  std::optional<std::string> script;
  if (t.to_script != nullptr) {
    auto exported = t.to_script(*input,
                                "Regression case " + std::string(t.name) + "/" + slug +
                                    ".bin, as a script (tcpfuzz regress).\nRecorded on the stack "
                                    "of the day it was filed.",
                                nullptr);
    if (!exported) {
      std::fprintf(stderr, "tcpfuzz regress: %s: %s\n", input_path.c_str(),
                   exported.error().c_str());
      return 1;
    }
    script = exported->text;
  }
  fs::create_directories(dir, ec);
  if (auto error = write_output(case_path.string(), as_text(*input))) {
    std::fprintf(stderr, "%s\n", error->c_str());
    return 2;
  }
  std::printf("filed %s\n", case_path.c_str());
  if (script) {
    fs::create_directories(script_path.parent_path(), ec);
    if (auto error = write_output(script_path.string(), *script)) {
      std::fprintf(stderr, "%s\n", error->c_str());
      fs::remove(case_path, ec);
      return 2;
    }
    std::printf("filed %s\n", script_path.c_str());
  }
  const harness::ChildOutcome now = harness::run_in_child(
      [&](int) { t.run(*input); },
      {.capture_stderr = false, .timeout_seconds = harness::kToolTimeoutSeconds});
  if (now.crashed) {
    std::printf(
        "note: it still crashes the stack (%s): ctest's regression.%s fails until the "
        "bug is fixed\n",
        now.how.c_str(), std::string(t.name).c_str());
  }
  return 0;
}

}  // namespace tcpfuzz::cli
