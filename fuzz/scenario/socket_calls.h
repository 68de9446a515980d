// SocketCalls: the process under test's side of the socket API, shared by
// the script runner and the binary runner. It keeps the descriptor table
// (descriptor -> endpoint, O_NONBLOCK) and turns each call into what a
// Linux process sees: a result, an errno, or "it would block" for a
// blocking socket, in which case the caller repeats the call later.
//
// It knows nothing of scripts: reading a call line's arguments is
// ScriptSyscalls' job, choosing calls from fuzz bytes BinaryRunner's.
#pragma once

#include <cerrno>
#include <cstddef>
#include <map>
#include <vector>

#include "fuzz/scenario/emulated_pipes.h"
#include "fuzz/scenario/socket_under_test.h"
#include "stack/header/address.h"
#include "stack/tcp/epoll.h"
#include "stack/tcp/protocol.h"

namespace tcpfuzz::scenario {

// What one call did.
struct CallOutcome {
  bool would_block = false;
  long result = 0;
  int error = 0;

  static CallOutcome ok(long result) { return {false, result, 0}; }
  static CallOutcome err(int error) { return {false, -1, error}; }
  static CallOutcome blocked() { return {true, 0, 0}; }
};

// A call's result; EAGAIN from a blocking call means that it waits.
template <class T>
CallOutcome outcome(const netstack::Expected<T, netstack::tcp::Errno>& r, bool nonblocking) {
  if (r) return CallOutcome::ok(static_cast<long>(*r));
  if (r.error() == EAGAIN && !nonblocking) return CallOutcome::blocked();
  return CallOutcome::err(r.error());
}

class SocketCalls {
 public:
  // Where bind() and connect() go: the stack's address and port, the peer's.
  struct Addresses {
    netstack::IpAddress local;
    netstack::IpAddress remote;
    uint16_t bind_port = kDefaultBindPort;
    uint16_t connect_port = kDefaultConnectPort;
  };

  // `sut` follows the socket under test: socket(), listen() and connect()
  // tell it what the scripted peer will see.
  SocketCalls(netstack::tcp::Protocol& tcp, SocketUnderTest& sut, const Addresses& addresses)
      : tcp_(tcp), sut_(sut), addresses_(addresses) {}

  // No descriptor open, nothing pending: as constructed (for a stack that
  // was reset under it).
  void forget_all();

  // The endpoint behind an open descriptor (nullptr: not open, or gone).
  netstack::tcp::Endpoint* endpoint(int fd);
  // The lowest descriptor not open, from 3 (after stdin, stdout, stderr),
  // as Linux numbers new descriptors; or the lowest from `from`.
  int lowest_free_fd(int from = 3) const;
  // The endpoint of the newest descriptor socket() or accept() made: the
  // one whose TCP_INFO a script's %{ }% block reads.
  netstack::tcp::EndpointId newest_socket() const { return newest_socket_; }

  // socket(): a new endpoint at `fd` (replacing whatever was there), which
  // becomes the socket under test.
  CallOutcome socket(int fd, netstack::IpAddress::Family family);
  CallOutcome bind(int fd);
  CallOutcome listen(int fd, int backlog);
  // A blocking connect() blocks until the handshake ends, then returns its
  // outcome (SO_ERROR); a non-blocking one returns EINPROGRESS.
  CallOutcome connect(int fd);
  // accept(): ok with the new connection in `*accepted`, which the caller
  // names with adopt().
  CallOutcome accept(int fd, netstack::tcp::EndpointId* accepted);
  void adopt(int fd, netstack::tcp::EndpointId connection);
  CallOutcome read(int fd, size_t length, bool peek, bool dontwait);
  // recv(MSG_OOB): never blocks.
  CallOutcome read_urgent(int fd, size_t length, bool peek);
  // pipe(): a pipe from `read_fd` to `write_fd`.
  CallOutcome pipe(int read_fd, int write_fd);
  // splice(in, NULL, out, NULL, length, flags) between a socket and a pipe
  // (socket_calls_splice.cc); `nonblock` is SPLICE_F_NONBLOCK.
  CallOutcome splice(int in, int out, size_t length, bool nonblock);
  // ioctl(SIOCATMARK).
  netstack::Expected<int, netstack::tcp::Errno> at_urgent_mark(int fd);
  // A blocking write returns once all of it is queued.
  CallOutcome write(int fd, size_t length, netstack::tcp::SendFlags flags, bool dontwait);
  // sendto(MSG_FASTOPEN): a non-blocking call returns what the SYN carries
  // (EINPROGRESS for nothing); a blocking one waits for the handshake and
  // writes the rest, as Linux's tcp_sendmsg() does.
  CallOutcome send_fast_open(int fd, size_t length, bool dontwait, bool zerocopy = false);
  // ioctl(SIOCINQ).
  netstack::Expected<size_t, netstack::tcp::Errno> unread_bytes(int fd);
  // recvmsg(MSG_ERRQUEUE): never blocks (Linux sock_recv_errqueue()).
  netstack::Expected<netstack::tcp::ErrorQueueEntry, netstack::tcp::Errno> read_error_queue(int fd);
  // epoll_create(): a new epoll instance at `fd`.
  CallOutcome epoll_create(int fd);
  bool is_epoll(int fd) const { return epolls_.contains(fd); }
  bool is_pipe(int fd) const { return pipes_.is_open(fd); }
  // epoll_ctl(epfd, op, fd, {events, data}); `op` is 1 (ADD), 2 (DEL) or 3 (MOD).
  CallOutcome epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
  // epoll_wait() without blocking; the caller repeats it until its timeout.
  std::vector<netstack::tcp::Epoll::Event> epoll_wait(int epfd, size_t max);
  CallOutcome shutdown(int fd, netstack::tcp::ShutdownHow how);
  CallOutcome close(int fd);
  // fcntl(F_GETFL) / fcntl(F_SETFL) as far as O_NONBLOCK.
  bool nonblocking(int fd) const;
  void set_nonblocking(int fd, bool nonblocking);
  CallOutcome set_option(int fd, netstack::tcp::SockOpt option, int value);
  netstack::Expected<int, netstack::tcp::Errno> get_option(int fd, netstack::tcp::SockOpt option);
  // TCP_CONGESTION by name; ENOENT for an algorithm the stack lacks (Linux
  // tcp_set_congestion_control()).
  CallOutcome set_congestion_control(int fd, std::string_view name);
  netstack::Expected<std::string_view, netstack::tcp::Errno> congestion_control(int fd);
  // poll()'s revents for one descriptor, before masking with events.
  uint32_t poll(int fd);

 private:
  CallOutcome queue_write(int fd, size_t length, netstack::tcp::SendFlags flags, bool dontwait);
  CallOutcome fast_open_call(int fd, size_t length, bool dontwait, bool zerocopy);
  // Where read() puts what it reads (its bytes are not looked at).
  std::span<uint8_t> read_buffer(size_t length);
  // What write() writes: `length` zero bytes.
  std::span<const uint8_t> zeros(size_t length);

  struct Fd {
    netstack::tcp::EndpointId endpoint = netstack::tcp::kNoEndpoint;
    bool nonblocking = false;
  };

  netstack::tcp::Protocol& tcp_;
  SocketUnderTest& sut_;
  Addresses addresses_;
  std::map<int, Fd> fds_;
  std::map<int, netstack::tcp::Epoll> epolls_;
  EmulatedPipes pipes_;
  netstack::tcp::EndpointId newest_socket_ = netstack::tcp::kNoEndpoint;
  // The endpoint whose blocking connect() is waiting for its handshake.
  netstack::tcp::EndpointId pending_connect_ = netstack::tcp::kNoEndpoint;
  // How much of a blocking write is already queued.
  size_t write_progress_ = 0;
  // A blocking sendto(MSG_FASTOPEN) waiting for its handshake, with the
  // bytes its SYN carried.
  enum class FastOpenCall : uint8_t { kIdle, kAwaitingHandshake, kWriting };
  FastOpenCall fast_open_call_ = FastOpenCall::kIdle;
  size_t fast_open_syn_bytes_ = 0;
  std::vector<uint8_t> read_buffer_;
  std::vector<uint8_t> zeros_;
};

}  // namespace tcpfuzz::scenario
