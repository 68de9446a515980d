// tcpfuzz: the toolkit's command line.
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz/cli/commands.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(tcpfuzz::cli::usage().c_str(), stderr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    std::fputs(tcpfuzz::cli::usage().c_str(), stdout);
    return 0;
  }
  const auto command = tcpfuzz::cli::find_command(name);
  if (command == nullptr) {
    std::fprintf(stderr, "tcpfuzz: unknown command '%s' (tcpfuzz --help lists them)\n",
                 name.c_str());
    return 2;
  }
  return command->main(std::vector<std::string>(argv + 2, argv + argc));
}
