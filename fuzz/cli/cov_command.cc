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
#include "fuzz/scenario/linux_symbols.h"
#include "stack/tcp/state.h"

namespace tcpfuzz::cli {

namespace {

using netstack::tcp::State;

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

class Cov final : public Command {
 public:
  Cov()
      : Command("cov",
                "TCP states, transitions and (state, segment, verdict) triples a corpus reaches") {
    line_.positional("FILE_OR_DIR", paths_, "inputs of a stateful fuzz target, or folders of them")
        .flag("--target", text(target_name_, "NAME"),
              "the fuzz target (tcpfuzz targets); default: the first folder's name")
        .flag("--dot", text(dot_path_, "OUT"),
              "write the state diagram, transitions coloured by how often they were taken")
        .flag("--svg", text(svg_path_, "OUT"), "the same diagram drawn by Graphviz's dot");
  }

 private:
  int run() override;

  std::vector<std::string> paths_;
  std::string target_name_;
  std::string dot_path_;
  std::string svg_path_;
};

int Cov::run() {
  auto target = resolve_target_for_paths(target_name_, paths_);
  if (!target) {
    std::fprintf(stderr, "tcpfuzz cov: %s\n", target.error().c_str());
    return 2;
  }
  if ((*target)->observe == nullptr) {
    std::fprintf(stderr, "tcpfuzz cov: %s has no TCP state to cover\n",
                 std::string((*target)->name).c_str());
    return 2;
  }
  auto files = collect_files(paths_, "");
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
    if (coverage.reached(static_cast<State>(i))) {
      std::printf(" %s", name(static_cast<State>(i)).c_str());
    }
  }
  std::printf("\ntransitions  %2zu/%zu of the (from, to) pairs the state machine allows\n",
              allowed_reached, allowed.size());
  std::printf("segments     %zu (state, segment kind, verdict) triples\n",
              coverage.triples().size());
  std::printf("calls        %2zu:", coverage.calls().size());
  for (const auto& [call, option] : coverage.calls()) {
    std::printf(" %s", call.c_str());
    if (option)
      std::printf("(%s)", std::string(scenario::socket_option_name(*option).name).c_str());
  }
  std::printf("\n");
  std::string missing;
  for (const auto& [from, to] : allowed) {
    if (!coverage.transitions().contains({from, to})) missing += " " + name(from) + "->" + name(to);
  }
  if (!missing.empty()) std::printf("not reached:%s\n", missing.c_str());
  if (dot_path_.empty() && svg_path_.empty()) return 0;
  const std::string dot = harness::state_diagram_dot(
      coverage, allowed,
      std::string((*target)->name) + ": " + std::to_string(files->size()) + " inputs");
  if (!dot_path_.empty()) {
    if (auto error = write_output(dot_path_, dot)) {
      std::fprintf(stderr, "%s\n", error->c_str());
      return 2;
    }
    std::printf("state diagram: %s\n", dot_path_.c_str());
  }
  if (!svg_path_.empty()) {
    if (auto error = render_svg(dot, svg_path_)) {
      std::fprintf(stderr, "tcpfuzz cov: %s\n", error->c_str());
      return 2;
    }
    std::printf("state diagram: %s\n", svg_path_.c_str());
  }
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_cov_command() {
  return std::make_unique<Cov>();
}

}  // namespace tcpfuzz::cli
