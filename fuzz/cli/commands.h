// The subcommands of the tcpfuzz command line tool.
#pragma once

#include <string>
#include <vector>

namespace tcpfuzz::cli {

int run_command(const std::vector<std::string>& args);
int replay_command(const std::vector<std::string>& args);
int export_command(const std::vector<std::string>& args);
int cov_command(const std::vector<std::string>& args);
int seeds_command(const std::vector<std::string>& args);
int triage_command(const std::vector<std::string>& args);
int regress_command(const std::vector<std::string>& args);
int minimize_command(const std::vector<std::string>& args);
int targets_command(const std::vector<std::string>& args);
int import_command(const std::vector<std::string>& args);
int diff_command(const std::vector<std::string>& args);
int serve_command(const std::vector<std::string>& args);

}  // namespace tcpfuzz::cli
