// ScriptSyscalls: a script's call lines ("0 write(4, ..., 1000) = 1000") made
// on SocketCalls. Each system call has a handler in one table; the handler
// reads the line's arguments and makes the call. Time and blocking are the
// runner's: it repeats a call that would block until it returns.
#pragma once

#include <optional>
#include <string>

#include "fuzz/scenario/emulated_files.h"
#include "fuzz/scenario/scenario.h"
#include "fuzz/scenario/socket_calls.h"
#include "stack/time/clock.h"

namespace tcpfuzz::scenario {

// What a call line did besides its outcome. At most one is set.
struct CallIssues {
  // The line cannot be played faithfully: the script is skipped
  // ("unsupported: <unsupported> at file:line").
  std::string unsupported;
  // The line is malformed or a value it states is wrong: the script fails.
  std::optional<std::string> failure;
};

class ScriptSyscalls {
 public:
  // `clock` times poll()'s timeout.
  // `tolerance_us` is how far a timestamp read from the error queue may be
  // from the time the script states.
  // `files` are the files open() and sendfile() reach.
  ScriptSyscalls(SocketCalls& calls, EmulatedFiles& files, netstack::IpAddress::Family family,
                 const netstack::Clock& clock, int64_t tolerance_us)
      : calls_(calls), files_(files), family_(family), clock_(clock), tolerance_us_(tolerance_us) {}

  // Makes the call `sc` states (again, while it would block).
  CallOutcome call(const SyscallSpec& sc, CallIssues* issues);

 private:
  struct Line;
  using Handler = CallOutcome (ScriptSyscalls::*)(Line& line);
  static Handler handler(std::string_view name);

  CallOutcome socket(Line& line);
  CallOutcome bind(Line& line);
  CallOutcome listen(Line& line);
  CallOutcome connect(Line& line);
  CallOutcome accept(Line& line);
  CallOutcome read(Line& line);   // read, recv, recvfrom
  CallOutcome write(Line& line);  // write, send, sendto, sendmsg
  CallOutcome shutdown(Line& line);
  CallOutcome close(Line& line);
  CallOutcome fcntl(Line& line);
  CallOutcome sockopt(Line& line);             // setsockopt, getsockopt
  CallOutcome congestion_control(Line& line);  // TCP_CONGESTION, by name
  CallOutcome poll(Line& line);
  CallOutcome ioctl(Line& line);
  CallOutcome recvmsg(Line& line);
  CallOutcome epoll_ctl(Line& line);
  CallOutcome epoll_wait(Line& line);
  CallOutcome open(Line& line);
  CallOutcome sendfile(Line& line);
  CallOutcome pipe(Line& line);
  CallOutcome splice(Line& line);
  // Holds `line` until its timeout (ms; negative: forever) has passed on
  // the script clock, as a blocking poll() or epoll_wait() that found
  // nothing ready.
  bool keeps_waiting(long timeout_ms);

  SocketCalls& calls_;
  EmulatedFiles& files_;
  netstack::IpAddress::Family family_;
  const netstack::Clock& clock_;
  int64_t tolerance_us_;
  // When a blocking poll() started waiting.
  std::optional<netstack::Instant> poll_started_;
};

// Why the outcome of a call is not the result (and errno) its line states;
// nullopt when it is. "..." accepts any result; an fd-returning call
// (socket, accept) stating a descriptor accepts any descriptor.
std::optional<std::string> result_mismatch(const SyscallSpec& sc, const CallOutcome& out);

}  // namespace tcpfuzz::scenario
