// tcpfuzz triage: runs every input of a folder of crashes, each in a child
// process, and groups them by crash signature: one line per group with its
// count and smallest input. --tsv prints one line per input instead, for
// scripts (ci/fuzz.sh).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/cli/input_file.h"
#include "fuzz/harness/child_run.h"
#include "fuzz/harness/crash_signature.h"

namespace tcpfuzz::cli {

namespace {

struct Group {
  std::string id;
  std::string signature;
  size_t count = 0;
  std::string smallest;
  size_t smallest_size = 0;
};

class Triage final : public Command {
 public:
  Triage() : Command("triage", "run crashes, group them by signature") {
    line_.positional("FILE_OR_DIR", paths_, "crashing inputs, or folders of them")
        .flag("--target", text(target_name_, "NAME"),
              "the fuzz target (tcpfuzz targets); default: the first folder's name")
        .flag("--timeout", seconds(timeout_), "a longer run is a hang")
        .flag("--tsv", tsv_, "one line per input: path, signature id, signature");
  }

 private:
  int run() override;

  std::vector<std::string> paths_;
  std::string target_name_;
  unsigned timeout_ = 10;
  bool tsv_ = false;
};

int Triage::run() {
  auto files = collect_files(paths_, "");
  if (!files) {
    std::fprintf(stderr, "tcpfuzz triage: %s\n", files.error().c_str());
    return 2;
  }
  auto target = resolve_target_for_paths(target_name_, paths_);
  if (!target) {
    std::fprintf(stderr, "tcpfuzz triage: %s\n", target.error().c_str());
    return 2;
  }
  const harness::Target& t = **target;

  std::map<std::string, Group> groups;  // by signature id
  size_t clean = 0;
  size_t unreadable = 0;
  for (const std::string& path : *files) {
    auto input = read_input(path);
    if (!input) {
      std::fprintf(stderr, "%s\n", input.error().c_str());
      ++unreadable;
      continue;
    }
    const harness::ChildOutcome child = harness::run_in_child(
        [&](int) { t.run(*input); }, {.capture_stderr = true, .timeout_seconds = timeout_});
    if (!child.crashed) {
      ++clean;
      if (tsv_) std::printf("%s\t-\tno crash\n", path.c_str());
      continue;
    }
    const harness::CrashSignature s =
        harness::crash_signature(child.report, child.how, child.timed_out);
    if (tsv_) std::printf("%s\t%s\t%s\n", path.c_str(), s.id.c_str(), s.text.c_str());
    Group& g = groups[s.id];
    g.id = s.id;
    g.signature = s.text;
    if (g.count == 0 || input->size() < g.smallest_size) {
      g.smallest = path;
      g.smallest_size = input->size();
    }
    ++g.count;
  }
  if (tsv_) return unreadable == 0 ? 0 : 2;

  std::vector<const Group*> by_count;
  by_count.reserve(groups.size());
  for (const auto& [id, g] : groups) by_count.push_back(&g);
  std::stable_sort(by_count.begin(), by_count.end(),
                   [](const Group* a, const Group* b) { return a->count > b->count; });
  for (const Group* g : by_count) {
    std::printf("%5zu  %s  %s\n       smallest: %s (%zu bytes)\n", g->count, g->id.c_str(),
                g->signature.c_str(), g->smallest.c_str(), g->smallest_size);
  }
  std::printf("%zu inputs: %zu crash in %zu group(s), %zu do not crash", files->size(),
              files->size() - clean - unreadable, groups.size(), clean);
  if (unreadable > 0) std::printf(", %zu unreadable", unreadable);
  std::printf("\n");
  return unreadable == 0 ? 0 : 2;
}

}  // namespace

std::unique_ptr<Command> make_triage_command() {
  return std::make_unique<Triage>();
}

}  // namespace tcpfuzz::cli
