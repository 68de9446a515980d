// tcpfuzz diff: scenarios asked of our stack and of the Linux kernel (see
// fuzz/diff/differ.h), with a verdict per input and a summary.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/cli/input_file.h"
#include "fuzz/diff/differ.h"
#include "fuzz/diff/kernel_oracle.h"
#include "fuzz/scenario/pkt_parser.h"

namespace tcpfuzz::cli {

namespace {

namespace fs = std::filesystem;

diff::DiffOptions defaults() {
  diff::DiffOptions o;
  o.diffs_dir = "diffs";
  return o;
}

struct Arguments {
  std::vector<std::string> inputs;
  std::string target;
  std::string packetdrill;
  std::string known;
  diff::DiffOptions options = defaults();
};

// The documented differences: --known, else docs/linux-differences.md here
// or in the source tree this tcpfuzz was built from.
netstack::Expected<std::vector<diff::KnownDifference>, std::string> load_known(
    const std::string& flag) {
  std::string path = flag;
  if (path.empty()) {
    for (const fs::path& candidate : {fs::path("docs/linux-differences.md"),
                                      fs::path(TCPFUZZ_SOURCE_DIR) / "docs/linux-differences.md"}) {
      if (fs::exists(candidate)) {
        path = candidate.string();
        break;
      }
    }
    if (path.empty()) return std::vector<diff::KnownDifference>{};
  }
  std::ifstream in(path);
  if (!in) return netstack::Unexpected{path + ": cannot read the known differences"};
  std::stringstream text;
  text << in.rdbuf();
  return diff::parse_known_differences(text.str(), path);
}

bool is_script(const std::string& path) {
  return path.ends_with(".pkt");
}

// Files to ask about: scripts, and inputs of the target (named or found
// from the folder) when it can be written as a script.
netstack::Expected<std::vector<std::string>, std::string> input_files(const Arguments& a) {
  std::vector<std::string> files;
  for (const std::string& path : a.inputs) {
    auto found = collect_files({path}, "");
    if (!found) return netstack::Unexpected{found.error()};
    const bool folder = fs::is_directory(path);
    for (const std::string& f : *found) {
      const std::string name = fs::path(f).filename().string();
      if (folder && (name.starts_with(".") || name.starts_with("README") || name.ends_with(".md") ||
                     name.ends_with(".sh") || name.ends_with(".txt"))) {
        continue;
      }
      if (folder && !is_script(f) && !resolve_target(a.target, f)) continue;
      files.push_back(f);
    }
  }
  return files;
}

netstack::Expected<diff::DiffInput, std::string> load(const std::string& path,
                                                      const std::string& target_name) {
  if (is_script(path)) {
    auto s = scenario::parse_script_file(path);
    if (!s) return netstack::Unexpected{s.error()};
    return diff::DiffInput{path, std::move(*s)};
  }
  auto target = resolve_target(target_name, path);
  if (!target) return netstack::Unexpected{target.error()};
  if ((*target)->to_script == nullptr) {
    return netstack::Unexpected{path + ": " + std::string((*target)->name) +
                                " inputs are not scenarios; only scenario-based targets compare"};
  }
  auto bytes = read_input(path);
  if (!bytes) return netstack::Unexpected{bytes.error()};
  auto script = (*target)->to_script(*bytes, "", nullptr);
  if (!script) return netstack::Unexpected{path + ": " + script.error()};
  if (script->crash) {
    return netstack::Unexpected{path + ": crashes our stack (" + *script->crash +
                                "); triage it first"};
  }
  auto s = scenario::parse_script(script->text, path);
  if (!s) return netstack::Unexpected{path + ": " + s.error().format(path)};
  return diff::DiffInput{path, std::move(*s)};
}

// The line of `script` numbered `line`, for reports.
std::string script_line(const std::string& script, int line) {
  std::istringstream in(script);
  std::string text;
  for (int n = 1; std::getline(in, text); ++n) {
    if (n == line) return text;
  }
  return "";
}

void report(const diff::DiffResult& r) {
  std::cout << diff::to_string(r.verdict);
  const auto compared_part = [&] {
    if (!r.compared_part.empty()) std::cout << "    compared up to " << r.compared_part << "\n";
  };
  if (r.verdict == diff::Verdict::kAgree) {
    if (!r.reason.empty()) std::cout << " (" << r.reason << ")";
    std::cout << "\n";
    compared_part();
    return;
  }
  if (!r.divergence) {
    std::cout << ": " << r.reason << "\n";
    compared_part();
    return;
  }
  const diff::Divergence& d = *r.divergence;
  std::cout << " at line " << d.line << ": " << r.signature;
  if (r.verdict == diff::Verdict::kKnown) std::cout << " (" << r.reason << ")";
  std::cout << "\n    line:  " << script_line(r.script, d.line) << "\n";
  if (!d.ours.empty()) std::cout << "    ours:  " << d.ours << "\n";
  if (!d.linux_sent.empty()) std::cout << "    Linux: " << d.linux_sent << "\n";
  std::cout << "    packetdrill: " << d.message << "\n";
  compared_part();
  if (r.saved.empty()) {
    std::cout << "    (a disagreement with this signature was minimised earlier in this run)\n";
  } else {
    std::cout << "    minimised (" << r.events_before << " -> " << r.events_after
              << " inbound lines and calls): " << r.saved << "\n";
  }
}

class Diff final : public Command {
 public:
  Diff()
      : Command("diff", "scenarios run on the stack and checked against the Linux kernel (root)") {
    diff::DiffOptions& o = a_.options;
    line_
        .positional("INPUT", a_.inputs,
                    ".pkt scripts, inputs of a scenario-based fuzz target, or folders of either")
        .flag("--target", text(a_.target, "NAME"),
              "the fuzz target of inputs that are not scripts; default: their folder's name")
        .flag("--packetdrill", text(a_.packetdrill, "PATH"),
              "the packetdrill binary (else $TCPFUZZ_PACKETDRILL)")
        .flag("--max-seconds", seconds(o.max_seconds),
              "compare only this much fake time of a scenario")
        .flag("--tolerance-usecs", number(o.tolerance_usecs, "N", 1),
              "packetdrill's timing tolerance (two jiffies at HZ=250)")
        .flag("--known", text(a_.known, "FILE"),
              "documented differences (default docs/linux-differences.md)")
        .flag("--diffs", text(o.diffs_dir, "DIR"), "where minimised disagreements go")
        .flag("--no-minimize", o.minimize, "keep disagreements as they are", false)
        .flag("--plant-initial-cwnd", number(o.planted_initial_cwnd, "N", 1),
              "test-only: our stack starts with this window, Linux with 10")
        .note(
            "Each input runs on our stack; the outbound lines it sent are checked against the "
            "Linux kernel by the real packetdrill (root, a network namespace per run).");
  }

 private:
  int run() override;

  Arguments a_;
};

int Diff::run() {
  auto binary = diff::find_packetdrill(a_.packetdrill);
  if (!binary) {
    std::fprintf(stderr, "tcpfuzz diff: %s\n", binary.error().c_str());
    return 2;
  }
  a_.options.packetdrill = *binary;
  if (auto why = diff::kernel_unavailable()) {
    std::fprintf(stderr, "tcpfuzz diff: cannot ask the kernel: %s\n", why->c_str());
    return 2;
  }
  auto known = load_known(a_.known);
  if (!known) {
    std::fprintf(stderr, "tcpfuzz diff: %s\n", known.error().c_str());
    return 2;
  }
  a_.options.known = std::move(*known);
  auto files = input_files(a_);
  if (!files) {
    std::fprintf(stderr, "tcpfuzz diff: %s\n", files.error().c_str());
    return 2;
  }
  diff::Differ differ(a_.options);
  std::map<diff::Verdict, size_t> counts;
  std::map<std::string, std::pair<size_t, std::string>> disagreements;  // signature -> count, file
  size_t unreadable = 0;
  size_t in_part = 0;  // compared up to where the run stopped being comparable
  for (size_t i = 0; i < files->size(); ++i) {
    const std::string& file = (*files)[i];
    std::cout << "[" << i + 1 << "/" << files->size() << "] " << file << ": " << std::flush;
    auto input = load(file, a_.target);
    if (!input) {
      std::cout << "error\n" << std::flush;
      std::fprintf(stderr, "%s\n", input.error().c_str());
      ++unreadable;
      continue;
    }
    const diff::DiffResult r = differ.check(*input);
    report(r);
    std::cout << std::flush;
    ++counts[r.verdict];
    if (r.verdict != diff::Verdict::kNotComparable && !r.compared_part.empty()) ++in_part;
    if (r.verdict == diff::Verdict::kDisagree) {
      auto& [count, saved] = disagreements[r.signature];
      ++count;
      if (saved.empty()) saved = r.saved;
    }
  }
  std::cout << "\ntcpfuzz diff: " << files->size() << " inputs against Linux\n";
  for (const diff::Verdict v : {diff::Verdict::kAgree, diff::Verdict::kDisagree,
                                diff::Verdict::kKnown, diff::Verdict::kNotComparable}) {
    std::printf("  %-15s %zu\n", diff::to_string(v), counts[v]);
  }
  if (unreadable > 0) std::printf("  %-15s %zu\n", "unreadable", unreadable);
  if (in_part > 0) {
    std::printf("of those compared, %zu only up to where they stop being comparable\n", in_part);
  }
  if (!disagreements.empty()) {
    std::cout << "disagreements by signature:\n";
    for (const auto& [signature, entry] : disagreements) {
      std::printf("  %-28s %zu  %s\n", signature.c_str(), entry.first, entry.second.c_str());
    }
  }
  if (unreadable > 0) return 2;
  return counts[diff::Verdict::kDisagree] > 0 ? 1 : 0;
}

}  // namespace

std::unique_ptr<Command> make_diff_command() {
  return std::make_unique<Diff>();
}

}  // namespace tcpfuzz::cli
