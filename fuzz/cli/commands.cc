#include "fuzz/cli/commands.h"

#include <array>

namespace tcpfuzz::cli {

namespace {

constexpr std::array kFactories{
    make_run_command,    make_replay_command, make_export_command,   make_cov_command,
    make_seeds_command,  make_triage_command, make_minimize_command, make_regress_command,
    make_import_command, make_diff_command,   make_serve_command,    make_targets_command,
};

}  // namespace

int Command::main(const std::vector<std::string>& args) {
  if (auto status = line_.parse_or_exit(args)) return *status;
  return run();
}

std::vector<std::unique_ptr<Command>> all_commands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.reserve(kFactories.size());
  for (const auto make : kFactories) commands.push_back(make());
  return commands;
}

std::unique_ptr<Command> find_command(std::string_view name) {
  for (const auto make : kFactories) {
    std::unique_ptr<Command> c = make();
    if (c->line().name() == name) return c;
  }
  return nullptr;
}

std::string usage() {
  std::string out =
      "usage: tcpfuzz COMMAND [ARGS]   (tcpfuzz COMMAND --help: what each flag does)\n";
  for (const auto& c : all_commands()) {
    out += "  " + c->line().synopsis(88, 8) + "\n";
    out += "      " + wrap(c->line().summary(), 90, 6) + "\n";
  }
  return out;
}

}  // namespace tcpfuzz::cli
