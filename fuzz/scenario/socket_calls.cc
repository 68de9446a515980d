#include "fuzz/scenario/socket_calls.h"

#include <poll.h>

#include <algorithm>
#include <vector>

namespace tcpfuzz::scenario {

using namespace netstack;

namespace {

CallOutcome outcome(tcp::Errno error) {
  return error == 0 ? CallOutcome::ok(0) : CallOutcome::err(error);
}

}  // namespace

void SocketCalls::forget_all() {
  fds_.clear();
  // An epoll left over would hold its descriptor number into the next run.
  epolls_.clear();
  pipes_.clear();
  newest_socket_ = tcp::kNoEndpoint;
  pending_connect_ = tcp::kNoEndpoint;
  write_progress_ = 0;
  fast_open_call_ = FastOpenCall::kIdle;
  fast_open_syn_bytes_ = 0;
}

tcp::Endpoint* SocketCalls::endpoint(int fd) {
  const auto it = fds_.find(fd);
  return it == fds_.end() ? nullptr : tcp_.find(it->second.endpoint);
}

int SocketCalls::lowest_free_fd(int from) const {
  int fd = from;
  while (fds_.contains(fd) || epolls_.contains(fd) || pipes_.is_open(fd)) ++fd;
  return fd;
}

CallOutcome SocketCalls::socket(int fd, IpAddress::Family family) {
  epolls_.erase(fd);
  newest_socket_ = tcp_.open(family);
  fds_[fd] = Fd{newest_socket_, false};
  sut_.on_socket();
  return CallOutcome::ok(fd);
}

CallOutcome SocketCalls::bind(int fd) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  return outcome(ep->bind(addresses_.local, addresses_.bind_port));
}

CallOutcome SocketCalls::listen(int fd, int backlog) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  const tcp::Errno r = ep->listen(backlog);
  if (r != 0) return CallOutcome::err(r);
  sut_.on_listen(ep->tuple().local_port);
  return CallOutcome::ok(0);
}

CallOutcome SocketCalls::connect(int fd) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  const Fd& f = fds_.at(fd);
  if (ep->state() == tcp::State::kClosed && pending_connect_ != f.endpoint) {
    const tcp::Errno r = ep->connect(addresses_.remote, addresses_.connect_port);
    // 0: TCP_FASTOPEN_CONNECT deferred the SYN to the first write.
    if (r == 0) sut_.on_connect(addresses_.connect_port);
    if (r != EINPROGRESS) return outcome(r);
    sut_.on_connect(addresses_.connect_port);
    if (f.nonblocking) return CallOutcome::err(EINPROGRESS);
    pending_connect_ = f.endpoint;
    return CallOutcome::blocked();
  }
  if (pending_connect_ == f.endpoint) {
    if (ep->state() == tcp::State::kSynSent || ep->state() == tcp::State::kSynRcvd) {
      return CallOutcome::blocked();
    }
    pending_connect_ = tcp::kNoEndpoint;
    return outcome(ep->connect_result());
  }
  return outcome(ep->connect(addresses_.remote, addresses_.connect_port));
}

CallOutcome SocketCalls::accept(int fd, tcp::EndpointId* accepted) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  auto r = ep->accept();
  if (!r) return outcome(r, nonblocking(fd));
  *accepted = *r;
  return CallOutcome::ok(0);
}

void SocketCalls::adopt(int fd, tcp::EndpointId connection) {
  fds_[fd] = Fd{connection, false};
  newest_socket_ = connection;
}

std::span<uint8_t> SocketCalls::read_buffer(size_t length) {
  // Kept between calls: a fuzz input reads up to 64 KiB at a time, and
  // zero-filling a new buffer for each read was most of segment_fuzzer's work.
  if (read_buffer_.size() < length) read_buffer_.resize(length);
  return std::span(read_buffer_).first(length);
}

std::span<const uint8_t> SocketCalls::zeros(size_t length) {
  // Grown with zeros and never written: every write's payload.
  if (zeros_.size() < length) zeros_.resize(length, 0);
  return std::span<const uint8_t>(zeros_).first(length);
}

CallOutcome SocketCalls::read(int fd, size_t length, bool peek, bool dontwait) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  return outcome(ep->read(read_buffer(length), peek), nonblocking(fd) || dontwait);
}

CallOutcome SocketCalls::read_urgent(int fd, size_t length, bool peek) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  // Linux tcp_recv_urg(): never blocks, whatever the socket's mode.
  return outcome(ep->read_urgent(read_buffer(length), peek), /*nonblocking=*/true);
}

Expected<int, tcp::Errno> SocketCalls::at_urgent_mark(int fd) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return Unexpected{EBADF};
  return ep->at_urgent_mark();
}

namespace {

// Linux sk_write_pending: a blocked writer waiting for the handshake.
CallOutcome tell_write_pending(tcp::Endpoint* ep, CallOutcome out) {
  if (ep != nullptr) ep->set_write_pending(out.would_block && ep->state() == tcp::State::kSynSent);
  return out;
}

}  // namespace

CallOutcome SocketCalls::write(int fd, size_t length, tcp::SendFlags flags, bool dontwait) {
  tcp::Endpoint* ep = endpoint(fd);
  // Linux tcp_sendmsg(): the first write of a deferred TCP_FASTOPEN_CONNECT
  // is a sendto(MSG_FASTOPEN).
  if (fast_open_call_ != FastOpenCall::kIdle || (ep != nullptr && ep->fast_open_deferred())) {
    return send_fast_open(fd, length, dontwait, flags.zerocopy);
  }
  return tell_write_pending(ep, queue_write(fd, length, flags, dontwait));
}

CallOutcome SocketCalls::send_fast_open(int fd, size_t length, bool dontwait, bool zerocopy) {
  const CallOutcome out = fast_open_call(fd, length, dontwait, zerocopy);
  // Linux inet_wait_for_connect(): the waiting call counts as a pending
  // writer only while data is left beyond what the SYN carried.
  if (tcp::Endpoint* ep = endpoint(fd)) {
    ep->set_write_pending(out.would_block && ep->state() == tcp::State::kSynSent &&
                          fast_open_syn_bytes_ < length);
  }
  return out;
}

CallOutcome SocketCalls::queue_write(int fd, size_t length, tcp::SendFlags flags, bool dontwait) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  const bool nonblocking_call = nonblocking(fd) || dontwait;
  auto r = ep->write(zeros(length - std::min(length, write_progress_)), flags);
  if (!r) {
    if (r.error() == EAGAIN && !nonblocking_call) return CallOutcome::blocked();
    // A blocking write interrupted by an error returns what it queued.
    if (write_progress_ > 0) {
      const long done = static_cast<long>(write_progress_);
      write_progress_ = 0;
      return CallOutcome::ok(done);
    }
    return CallOutcome::err(r.error());
  }
  if (nonblocking_call) return CallOutcome::ok(static_cast<long>(*r));
  write_progress_ += *r;
  if (write_progress_ < length) return CallOutcome::blocked();
  write_progress_ = 0;
  return CallOutcome::ok(static_cast<long>(length));
}

CallOutcome SocketCalls::fast_open_call(int fd, size_t length, bool dontwait, bool zerocopy) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  const bool nonblocking_call = nonblocking(fd) || dontwait;
  if (fast_open_call_ == FastOpenCall::kWriting) {
    const CallOutcome out = queue_write(fd, length, {}, dontwait);
    if (!out.would_block) fast_open_call_ = FastOpenCall::kIdle;
    return out;
  }
  if (fast_open_call_ == FastOpenCall::kIdle) {
    const bool was_closed = ep->state() == tcp::State::kClosed;
    auto r =
        ep->send_fast_open(addresses_.remote, addresses_.connect_port, zeros(length), zerocopy);
    if (was_closed && ep->state() != tcp::State::kClosed) sut_.on_connect(addresses_.connect_port);
    if (!r && r.error() != EINPROGRESS) return CallOutcome::err(r.error());
    if (r && ep->state() != tcp::State::kSynSent) {
      // Connected already: the call was an ordinary write.
      if (nonblocking_call) return CallOutcome::ok(static_cast<long>(*r));
      write_progress_ = *r;
      const CallOutcome out = queue_write(fd, length, {}, dontwait);
      if (out.would_block) fast_open_call_ = FastOpenCall::kWriting;
      return out;
    }
    const size_t in_syn = r ? *r : 0;
    if (nonblocking_call) {
      return in_syn > 0 ? CallOutcome::ok(static_cast<long>(in_syn))
                        : CallOutcome::err(EINPROGRESS);
    }
    fast_open_call_ = FastOpenCall::kAwaitingHandshake;
    fast_open_syn_bytes_ = in_syn;
    return CallOutcome::blocked();
  }
  if (ep->state() == tcp::State::kSynSent || ep->state() == tcp::State::kSynRcvd) {
    return CallOutcome::blocked();
  }
  fast_open_call_ = FastOpenCall::kIdle;
  // Linux: a failed connect frees the Fast Open request, so the SYN's data
  // does not count; the call reports the connect's error.
  if (const tcp::Errno error = ep->connect_result(); error != 0) return CallOutcome::err(error);
  write_progress_ = fast_open_syn_bytes_;
  if (write_progress_ >= length) {
    write_progress_ = 0;
    return CallOutcome::ok(static_cast<long>(length));
  }
  const CallOutcome out = queue_write(fd, length, {}, dontwait);
  if (out.would_block) fast_open_call_ = FastOpenCall::kWriting;
  return out;
}

CallOutcome SocketCalls::shutdown(int fd, tcp::ShutdownHow how) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  return outcome(ep->shutdown(how));
}

CallOutcome SocketCalls::close(int fd) {
  if (epolls_.erase(fd) == 1 || pipes_.close(fd)) return CallOutcome::ok(0);
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  ep->close();
  fds_.erase(fd);
  // Linux eventpoll_release(): the last close of a file takes it out of
  // every epoll set, so a new socket on the same number can be added again.
  for (auto& [epfd, epoll] : epolls_) epoll.remove(fd);
  return CallOutcome::ok(0);
}

bool SocketCalls::nonblocking(int fd) const {
  const auto it = fds_.find(fd);
  return it != fds_.end() && it->second.nonblocking;
}

void SocketCalls::set_nonblocking(int fd, bool nonblocking) {
  if (auto it = fds_.find(fd); it != fds_.end()) it->second.nonblocking = nonblocking;
}

CallOutcome SocketCalls::set_option(int fd, tcp::SockOpt option, int value) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  return outcome(ep->set_option(option, value));
}

Expected<int, tcp::Errno> SocketCalls::get_option(int fd, tcp::SockOpt option) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return Unexpected{tcp::Errno{EBADF}};
  return ep->get_option(option);
}

CallOutcome SocketCalls::set_congestion_control(int fd, std::string_view name) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  const auto algorithm = tcp::parse_algorithm(name);
  if (!algorithm) return CallOutcome::err(ENOENT);
  return outcome(ep->set_congestion_control(*algorithm));
}

Expected<std::string_view, tcp::Errno> SocketCalls::congestion_control(int fd) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return Unexpected{tcp::Errno{EBADF}};
  return tcp::algorithm_name(ep->congestion_control());
}

Expected<size_t, tcp::Errno> SocketCalls::unread_bytes(int fd) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return Unexpected{tcp::Errno{EBADF}};
  return ep->unread_bytes();
}

Expected<tcp::ErrorQueueEntry, tcp::Errno> SocketCalls::read_error_queue(int fd) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return Unexpected{tcp::Errno{EBADF}};
  return ep->read_error_queue();
}

CallOutcome SocketCalls::epoll_create(int fd) {
  fds_.erase(fd);
  epolls_[fd] = tcp::Epoll{};
  return CallOutcome::ok(fd);
}

CallOutcome SocketCalls::epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
  const auto it = epolls_.find(epfd);
  if (it == epolls_.end()) return CallOutcome::err(EBADF);
  tcp::Endpoint* ep = endpoint(fd);
  // Linux do_epoll_ctl(): the target must be open and pollable; an epoll
  // instance cannot watch itself.
  if (ep == nullptr) return CallOutcome::err(fd == epfd ? EINVAL : EBADF);
  constexpr int kAdd = 1, kDel = 2, kMod = 3;
  switch (op) {
    case kAdd:
      return outcome(it->second.add(fd, *ep, events, data));
    case kDel:
      return outcome(it->second.remove(fd));
    case kMod:
      return outcome(it->second.modify(fd, *ep, events, data));
    default:
      return CallOutcome::err(EINVAL);
  }
}

std::vector<tcp::Epoll::Event> SocketCalls::epoll_wait(int epfd, size_t max) {
  const auto it = epolls_.find(epfd);
  if (it == epolls_.end()) return {};
  return it->second.wait(max, [this](int fd) -> const tcp::Endpoint* { return endpoint(fd); });
}

uint32_t SocketCalls::poll(int fd) {
  tcp::Endpoint* ep = endpoint(fd);
  return ep != nullptr ? ep->poll() : POLLNVAL;
}

}  // namespace tcpfuzz::scenario
