#include "fuzz/scenario/socket_calls.h"

#include <poll.h>

#include <algorithm>
#include <vector>

namespace tcpfuzz::scenario {

using namespace netstack;

namespace {

template <class T>
CallOutcome outcome(const Expected<T, tcp::Errno>& r, bool nonblocking) {
  if (r) return CallOutcome::ok(static_cast<long>(*r));
  if (r.error() == EAGAIN && !nonblocking) return CallOutcome::blocked();
  return CallOutcome::err(r.error());
}

CallOutcome outcome(tcp::Errno error) {
  return error == 0 ? CallOutcome::ok(0) : CallOutcome::err(error);
}

}  // namespace

void SocketCalls::forget_all() {
  fds_.clear();
  newest_socket_ = tcp::kNoEndpoint;
  pending_connect_ = tcp::kNoEndpoint;
  write_progress_ = 0;
}

tcp::Endpoint* SocketCalls::endpoint(int fd) {
  const auto it = fds_.find(fd);
  return it == fds_.end() ? nullptr : tcp_.find(it->second.endpoint);
}

int SocketCalls::lowest_free_fd() const {
  int fd = 3;
  while (fds_.contains(fd) || epolls_.contains(fd)) ++fd;
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
    if (r != EINPROGRESS) return CallOutcome::err(r);
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
    return outcome(ep->get_option(tcp::SockOpt::kError).value_or(0));
  }
  return CallOutcome::err(ep->connect(addresses_.remote, addresses_.connect_port));
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

CallOutcome SocketCalls::read(int fd, size_t length, bool peek, bool dontwait) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  std::vector<uint8_t> buffer(length);
  return outcome(ep->read(buffer, peek), nonblocking(fd) || dontwait);
}

CallOutcome SocketCalls::write(int fd, size_t length, bool more, bool eor, bool dontwait,
                               bool zerocopy) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  const bool nonblocking_call = nonblocking(fd) || dontwait;
  const std::vector<uint8_t> zeros(length - std::min(length, write_progress_), 0);
  auto r = ep->write(zeros, more, eor, zerocopy);
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

CallOutcome SocketCalls::shutdown(int fd, tcp::ShutdownHow how) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  return outcome(ep->shutdown(how));
}

CallOutcome SocketCalls::close(int fd) {
  if (epolls_.erase(fd) == 1) return CallOutcome::ok(0);
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return CallOutcome::err(EBADF);
  ep->close();
  fds_.erase(fd);
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

Expected<size_t, tcp::Errno> SocketCalls::unread_bytes(int fd) {
  tcp::Endpoint* ep = endpoint(fd);
  if (ep == nullptr) return Unexpected{tcp::Errno{EBADF}};
  return ep->unread_bytes();
}

Expected<tcp::ZerocopyRange, tcp::Errno> SocketCalls::read_error_queue(int fd) {
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
