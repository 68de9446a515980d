// pipe() and splice() between a socket and a pipe, as far as scripts use
// them: the pipe side is emulated (EmulatedPipes), the socket side is the
// stack's (Endpoint::splice_read() for tcp_splice_read(), a write for the
// other direction).
#include <algorithm>

#include "fuzz/scenario/socket_calls.h"

namespace tcpfuzz::scenario {

using namespace netstack;

CallOutcome SocketCalls::pipe(int read_fd, int write_fd) {
  if (read_fd == write_fd) return CallOutcome::err(EINVAL);
  for (const int fd : {read_fd, write_fd}) {
    if (fds_.contains(fd) || epolls_.contains(fd) || pipes_.is_open(fd)) {
      return CallOutcome::err(EBADF);  // the script's numbering is not Linux's
    }
  }
  pipes_.open(read_fd, write_fd);
  return CallOutcome::ok(0);
}

CallOutcome SocketCalls::splice(int in, int out, size_t length, bool nonblock) {
  if (size_t* held = pipes_.written_through(out); held != nullptr && endpoint(in) != nullptr) {
    // Linux splice(): a full pipe waits for room (EAGAIN with SPLICE_F_NONBLOCK).
    const size_t room = EmulatedPipes::kCapacity - *held;
    if (room == 0) return nonblock ? CallOutcome::err(EAGAIN) : CallOutcome::blocked();
    // Linux tcp_splice_read(): the socket's own O_NONBLOCK decides whether
    // it waits for data; SPLICE_F_NONBLOCK is about the pipe.
    const bool nonblocking_call = nonblocking(in);
    CallOutcome r =
        outcome(endpoint(in)->splice_read(read_buffer(std::min(length, room)), nonblocking_call),
                nonblocking_call);
    if (r.error == 0 && !r.would_block) *held += static_cast<size_t>(r.result);
    return r;
  }
  if (size_t* held = pipes_.read_through(in); held != nullptr && endpoint(out) != nullptr) {
    if (*held == 0) return nonblock ? CallOutcome::err(EAGAIN) : CallOutcome::blocked();
    CallOutcome r = queue_write(out, std::min(length, *held), {}, nonblock);
    if (r.error == 0 && !r.would_block) *held -= static_cast<size_t>(r.result);
    return r;
  }
  // Linux do_splice(): a descriptor that is not open is EBADF; two that are,
  // neither a pipe, EINVAL.
  const auto open = [&](int fd) { return endpoint(fd) != nullptr || pipes_.is_open(fd); };
  return CallOutcome::err(open(in) && open(out) ? EINVAL : EBADF);
}

}  // namespace tcpfuzz::scenario
