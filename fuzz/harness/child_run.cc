#include "fuzz/harness/child_run.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

// Sanitizer runtime entry points, present only in sanitizer builds.
extern "C" void __sanitizer_print_stack_trace() __attribute__((weak));
extern "C" int __lsan_do_recoverable_leak_check() __attribute__((weak));

namespace tcpfuzz::harness {

namespace {

// abort() kills a process without a sanitizer report; print the stack the
// way a report would, so failures that abort (invariants, oracles) get
// frames too. Async-signal-safety does not matter: the process is dying.
void crash_backtrace_on_abort(int sig) {
  if (__sanitizer_print_stack_trace != nullptr) __sanitizer_print_stack_trace();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// `error` is the errno of the call that failed, saved before any cleanup.
ChildOutcome failed(const std::string& what, int error) {
  return {.crashed = true,
          .timed_out = false,
          .how = what + ": " + std::strerror(error),
          .output = {},
          .report = {}};
}

[[noreturn]] void run_child(const std::function<void(int fd)>& work, int out_fd, int err_fd,
                            const ChildOptions& options) {
  const int null = ::open("/dev/null", O_WRONLY);
  if (null >= 0) ::dup2(null, STDOUT_FILENO);
  if (err_fd >= 0) {
    ::dup2(err_fd, STDERR_FILENO);
  } else if (null >= 0) {
    ::dup2(null, STDERR_FILENO);
  }
  std::signal(SIGABRT, crash_backtrace_on_abort);
  if (options.timeout_seconds > 0) ::alarm(options.timeout_seconds);
  work(out_fd);
  ::close(out_fd);
  if (__lsan_do_recoverable_leak_check != nullptr && __lsan_do_recoverable_leak_check() != 0) {
    ::_exit(1);
  }
  // _exit: no atexit handlers run twice (the parent's copy runs them).
  ::_exit(0);
}

// Reads both pipes (the second may be -1) to their ends.
void drain(int out_fd, int err_fd, std::string& output, std::string& report) {
  pollfd fds[2] = {{.fd = out_fd, .events = POLLIN, .revents = 0},
                   {.fd = err_fd, .events = POLLIN, .revents = 0}};
  std::string* sinks[2] = {&output, &report};
  int open_count = err_fd >= 0 ? 2 : 1;
  char buf[4096];
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open_count;
        continue;
      }
      sinks[i]->append(buf, static_cast<size_t>(n));
    }
  }
}

}  // namespace

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

ChildOutcome run_in_child(const std::function<void(int fd)>& work, const ChildOptions& options) {
  int out[2];
  int err[2] = {-1, -1};
  if (::pipe(out) != 0) return failed("pipe", errno);
  if (options.capture_stderr && ::pipe(err) != 0) {
    const int error = errno;
    ::close(out[0]);
    ::close(out[1]);
    return failed("pipe", error);
  }
  std::fflush(nullptr);  // nothing buffered may be written twice
  const pid_t pid = ::fork();
  const int fork_error = errno;
  if (pid == 0) {
    ::close(out[0]);
    if (err[0] >= 0) ::close(err[0]);
    run_child(work, out[1], err[1], options);
  }
  ::close(out[1]);
  if (err[1] >= 0) ::close(err[1]);
  if (pid < 0) {
    ::close(out[0]);
    if (err[0] >= 0) ::close(err[0]);
    return failed("fork", fork_error);
  }
  ChildOutcome outcome;
  drain(out[0], err[0], outcome.output, outcome.report);
  ::close(out[0]);
  if (err[0] >= 0) ::close(err[0]);
  int status = 0;
  pid_t waited = 0;
  while ((waited = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
  }
  if (waited < 0) {
    // Nothing known about how the child ended: not a clean run.
    outcome.crashed = true;
    outcome.how = std::string("waitpid: ") + std::strerror(errno);
    return outcome;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return outcome;
  outcome.crashed = true;
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    outcome.timed_out = sig == SIGALRM;
    outcome.how = outcome.timed_out
                      ? "timeout after " + std::to_string(options.timeout_seconds) + " s"
                      : "signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  } else {
    outcome.how = "exit status " + std::to_string(WEXITSTATUS(status));
  }
  return outcome;
}

}  // namespace tcpfuzz::harness
