#include "fuzz/diff/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace tcpfuzz::diff {

namespace {

[[noreturn]] void exec_child(const std::vector<std::string>& argv, const std::string& directory,
                             int out_fd) {
  setpgid(0, 0);
  dup2(out_fd, STDOUT_FILENO);
  dup2(out_fd, STDERR_FILENO);
  close(out_fd);
  if (!directory.empty() && chdir(directory.c_str()) != 0) {
    dprintf(STDERR_FILENO, "cannot enter %s: %s\n", directory.c_str(), std::strerror(errno));
    _exit(127);
  }
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  dprintf(STDERR_FILENO, "cannot run %s: %s\n", args[0], std::strerror(errno));
  _exit(127);
}

}  // namespace

ProcessOutcome run_process(const std::vector<std::string>& argv, const std::string& directory,
                           double timeout_seconds) {
  ProcessOutcome outcome;
  int fds[2];
  if (argv.empty() || pipe2(fds, O_CLOEXEC) != 0) {
    outcome.output = "cannot create a pipe";
    return outcome;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    outcome.output = std::string("fork failed: ") + std::strerror(errno);
    return outcome;
  }
  if (pid == 0) exec_child(argv, directory, fds[1]);
  close(fds[1]);
  outcome.started = true;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds * 1000));
  char buffer[4096];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      outcome.timed_out = true;
      kill(-pid, SIGKILL);
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the program and everything it started closed the pipe
    outcome.output.append(buffer, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  return outcome;
}

}  // namespace tcpfuzz::diff
