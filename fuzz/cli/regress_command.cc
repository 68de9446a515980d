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

// A name for the case: lowercase letters, digits and inner '-'.
std::optional<std::string> slug(std::string_view text) {
  if (text.empty() || text.front() == '-' || text.back() == '-') return std::nullopt;
  if (text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
    return std::nullopt;
  }
  return std::string(text);
}

std::string as_text(const std::vector<uint8_t>& bytes) {
  return {bytes.begin(), bytes.end()};
}

class Regress final : public Command {
 public:
  Regress() : Command("regress", "file an input as a regression case that ctest replays") {
    line_.positional("INPUT", input_path_, "one input of a fuzz target (a minimised crash)")
        .flag("--name", custom(slug_, "SLUG", "lowercase letters, digits and '-'", slug),
              "what the input does, as lowercase letters, digits and '-'",
              CommandLine::Need::kRequired)
        .flag("--target", text(target_name_, "NAME"),
              "the fuzz target (tcpfuzz targets); default: the input's folder name")
        .flag("--corpus", text(corpus_, "DIR"), "the corpus folder");
  }

 private:
  int run() override;

  std::string input_path_;
  std::string slug_;
  std::string target_name_;
  std::string corpus_ = "corpus";
};

int Regress::run() {
  std::error_code ec;
  if (!fs::is_directory(fs::path(corpus_) / "regressions", ec)) {
    std::fprintf(stderr, "tcpfuzz regress: %s/regressions: no such folder (use --corpus DIR)\n",
                 corpus_.c_str());
    return 2;
  }
  auto loaded = load_target_input("regress", target_name_, input_path_);
  if (!loaded) return 2;
  const harness::Target& t = *loaded->target;
  const std::vector<uint8_t>* input = &loaded->bytes;
  const fs::path dir = fs::path(corpus_) / "regressions" / t.name;
  const fs::path case_path = dir / (slug_ + ".bin");
  const fs::path script_path =
      fs::path(corpus_) / "regressions" / "scripts" / (std::string(t.name) + "-" + slug_ + ".pkt");
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
                                "Regression case " + std::string(t.name) + "/" + slug_ +
                                    ".bin, as a script (tcpfuzz regress).\nRecorded on the stack "
                                    "of the day it was filed.",
                                nullptr);
    if (!exported) {
      std::fprintf(stderr, "tcpfuzz regress: %s: %s\n", input_path_.c_str(),
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

}  // namespace

std::unique_ptr<Command> make_regress_command() {
  return std::make_unique<Regress>();
}

}  // namespace tcpfuzz::cli
