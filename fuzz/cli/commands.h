// The subcommands of the tcpfuzz command line tool. Each declares its
// command line (fuzz/cli/command_line.h) in its constructor, binding flags
// to its own members, and runs once the arguments are parsed into them.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/cli/command_line.h"

namespace tcpfuzz::cli {

class Command {
 public:
  virtual ~Command() = default;
  Command(const Command&) = delete;  // the declaration points into the object
  Command& operator=(const Command&) = delete;

  const CommandLine& line() const { return line_; }
  // Parses `args` (--help and errors end here) and runs: the exit status.
  int main(const std::vector<std::string>& args);

 protected:
  Command(std::string name, std::string summary) : line_(std::move(name), std::move(summary)) {}

  CommandLine line_;

 private:
  virtual int run() = 0;
};

std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_replay_command();
std::unique_ptr<Command> make_export_command();
std::unique_ptr<Command> make_cov_command();
std::unique_ptr<Command> make_seeds_command();
std::unique_ptr<Command> make_triage_command();
std::unique_ptr<Command> make_minimize_command();
std::unique_ptr<Command> make_regress_command();
std::unique_ptr<Command> make_import_command();
std::unique_ptr<Command> make_diff_command();
std::unique_ptr<Command> make_serve_command();
std::unique_ptr<Command> make_targets_command();

// Every subcommand, in the order the usage lists them.
std::vector<std::unique_ptr<Command>> all_commands();
// The named subcommand, or nullptr.
std::unique_ptr<Command> find_command(std::string_view name);
// The usage of `tcpfuzz` alone: every command's synopsis and summary.
std::string usage();

}  // namespace tcpfuzz::cli
