// tcpfuzz cov: which TCP states, transitions and (state, segment kind,
// verdict) triples a corpus of a stateful target reaches.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/cli/input_file.h"
#include "fuzz/harness/state_coverage.h"
#include "fuzz/harness/state_diagram.h"
#include "stack/tcp/state.h"

namespace tcpfuzz::cli {

namespace {

using netstack::tcp::State;

constexpr const char* kUsage =
    "usage: tcpfuzz cov FILE_OR_DIR... [--target NAME] [--dot OUT.dot] [--svg OUT.svg]\n"
    "  (--dot/--svg: the state diagram, transitions coloured by how often they were taken)\n";

// The (from, to) pairs the state machine allows.
std::set<std::pair<State, State>> allowed_transitions() {
  std::set<std::pair<State, State>> pairs;
  for (const auto& t : netstack::tcp::legal_transitions()) pairs.emplace(t.from, t.to);
  return pairs;
}

std::string name(State s) {
  return std::string(netstack::tcp::to_string(s));
}

// Graphviz's dot turns the diagram into OUT (via OUT.tmp); the error, if any.
std::optional<std::string> render_svg(const std::string& dot, const std::string& out) {
  const std::string source = temporary_path(out) + ".dot";
  if (auto error = write_output(source, dot)) return error;
  const std::string partial = temporary_path(out);
  const std::array<const char*, 6> argv{"dot",           "-Tsvg",        "-o",
                                        partial.c_str(), source.c_str(), nullptr};
  pid_t pid = 0;
  int status = 0;
  const int spawned =
      posix_spawnp(&pid, "dot", nullptr, nullptr, const_cast<char* const*>(argv.data()), environ);
  pid_t waited = -1;
  if (spawned == 0) {
    while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
  }
  std::remove(source.c_str());
  if (spawned != 0) {
    return std::string("--svg needs Graphviz's dot on the PATH (apt-get install graphviz)");
  }
  if (waited < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::remove(partial.c_str());
    return "dot could not render " + out;
  }
  return commit_output(out);
}

}  // namespace

int cov_command(const std::vector<std::string>& args) {
  std::string target_name;
  std::string dot_path;
  std::string svg_path;
  std::vector<std::string> paths;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--target" && i + 1 < args.size()) {
      target_name = args[++i];
    } else if (args[i] == "--dot" && i + 1 < args.size()) {
      dot_path = args[++i];
    } else if (args[i] == "--svg" && i + 1 < args.size()) {
      svg_path = args[++i];
    } else if (args[i].starts_with("-")) {
      std::fprintf(stderr, "tcpfuzz cov: unexpected argument %s\n%s", args[i].c_str(), kUsage);
      return 2;
    } else {
      paths.push_back(args[i]);
    }
  }
  if (paths.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  auto target = resolve_target_for_paths(target_name, paths);
  if (!target) {
    std::fprintf(stderr, "tcpfuzz cov: %s\n", target.error().c_str());
    return 2;
  }
  if ((*target)->observe == nullptr) {
    std::fprintf(stderr, "tcpfuzz cov: %s has no TCP state to cover\n",
                 std::string((*target)->name).c_str());
    return 2;
  }
  auto files = collect_files(paths, "");
  if (!files) {
    std::fprintf(stderr, "%s\n", files.error().c_str());
    return 2;
  }
  harness::StateCoverage coverage;
  for (const std::string& f : *files) {
    auto input = read_input(f);
    if (!input) {
      std::fprintf(stderr, "%s\n", input.error().c_str());
      return 2;
    }
    (*target)->observe(*input, coverage);
  }
  const auto allowed = allowed_transitions();
  size_t allowed_reached = 0;
  for (const auto& t : coverage.transitions()) allowed_reached += allowed.count(t);
  std::printf("%s: %zu inputs\n", std::string((*target)->name).c_str(), files->size());
  std::printf("states       %2zu/%zu:", coverage.states(), netstack::tcp::kStateCount);
  for (size_t i = 0; i < netstack::tcp::kStateCount; ++i) {
    if (coverage.reached(static_cast<State>(i)))
      std::printf(" %s", name(static_cast<State>(i)).c_str());
  }
  std::printf("\ntransitions  %2zu/%zu of the (from, to) pairs the state machine allows\n",
              allowed_reached, allowed.size());
  std::printf("segments     %zu (state, segment kind, verdict) triples\n",
              coverage.triples().size());
  std::string missing;
  for (const auto& [from, to] : allowed) {
    if (!coverage.transitions().contains({from, to})) missing += " " + name(from) + "->" + name(to);
  }
  if (!missing.empty()) std::printf("not reached:%s\n", missing.c_str());
  if (dot_path.empty() && svg_path.empty()) return 0;
  const std::string dot = harness::state_diagram_dot(
      coverage, allowed,
      std::string((*target)->name) + ": " + std::to_string(files->size()) + " inputs");
  if (!dot_path.empty()) {
    if (auto error = write_output(dot_path, dot)) {
      std::fprintf(stderr, "%s\n", error->c_str());
      return 2;
    }
    std::printf("state diagram: %s\n", dot_path.c_str());
  }
  if (!svg_path.empty()) {
    if (auto error = render_svg(dot, svg_path)) {
      std::fprintf(stderr, "tcpfuzz cov: %s\n", error->c_str());
      return 2;
    }
    std::printf("state diagram: %s\n", svg_path.c_str());
  }
  return 0;
}

}  // namespace tcpfuzz::cli
