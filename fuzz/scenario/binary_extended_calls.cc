// The binary runner's extended calls (binary_scenario.h, after
// kExtendedMarker): the socket features added after the first format,
// each applied through SocketCalls and recorded as the script line that
// makes it, as the classic calls are (binary_runner.cc).
#include <linux/sockios.h>
#include <poll.h>
#include <sys/epoll.h>

#include "fuzz/scenario/binary_runner.h"
#include "fuzz/scenario/linux_symbols.h"
#include "fuzz/scenario/recvmsg_control.h"

namespace tcpfuzz::scenario {

using namespace netstack;
using tcp::SockOpt;

namespace {

// {msg_name(...)=..., msg_iov(1)=[{..., 0}], msg_flags=...}: a recvmsg()
// with no room for data or control, which the transcript states with the
// msg_flags it returned.
Expr empty_msghdr(long msg_flags) {
  const Expr iovec = Expr::fields({"", ""}, {Expr::ellipsis(), Expr::number(0)});
  return Expr::fields({"msg_name", "msg_iov", "msg_flags"},
                      {Expr::ellipsis(), Expr::array({iovec}), msg_flags_expr(msg_flags)});
}

// The epoll events an argument's low bits ask for.
Expr epoll_events(uint16_t arg, uint32_t* events) {
  static constexpr std::pair<uint32_t, const char*> kBits[] = {
      {EPOLLIN, "EPOLLIN"},           {EPOLLOUT, "EPOLLOUT"},     {EPOLLET, "EPOLLET"},
      {EPOLLONESHOT, "EPOLLONESHOT"}, {EPOLLRDHUP, "EPOLLRDHUP"}, {EPOLLPRI, "EPOLLPRI"}};
  std::vector<Expr> names;
  *events = 0;
  for (size_t bit = 0; bit < std::size(kBits); ++bit) {
    if ((arg & (1U << bit)) == 0) continue;
    *events |= kBits[bit].first;
    names.push_back(Expr::symbol(kBits[bit].second));
  }
  if (names.empty()) return Expr::number(0);
  return names.size() == 1 ? names[0] : Expr::any_of(std::move(names));
}

// The event epoll_wait() returned, as packetdrill scripts state it:
// "{events=EPOLLIN|EPOLLOUT, fd=4}", or "{events=0, ptr=0}" for none.
Expr epoll_result(const std::vector<tcp::Epoll::Event>& ready) {
  if (ready.empty()) return Expr::fields({"events", "ptr"}, {Expr::number(0), Expr::number(0)});
  static constexpr std::pair<uint32_t, const char*> kReturned[] = {
      {EPOLLIN, "EPOLLIN"},   {EPOLLPRI, "EPOLLPRI"}, {EPOLLOUT, "EPOLLOUT"},
      {EPOLLERR, "EPOLLERR"}, {EPOLLHUP, "EPOLLHUP"}, {EPOLLRDHUP, "EPOLLRDHUP"}};
  std::vector<Expr> names;
  for (const auto& [bit, name] : kReturned) {
    if ((ready[0].events & bit) != 0) names.push_back(Expr::symbol(name));
  }
  Expr events = names.empty()       ? Expr::number(0)
                : names.size() == 1 ? names[0]
                                    : Expr::any_of(std::move(names));
  return Expr::fields({"events", "fd"},
                      {std::move(events), Expr::number(static_cast<int64_t>(ready[0].data))});
}

}  // namespace

void BinaryRunner::extended_call(int fd, const SocketCall& c) {
  switch (c.op) {
    case CallOp::kInq:
      set_option(fd, SockOpt::kInq, c.arg & 1);
      break;
    case CallOp::kSiocInq: {
      const auto bytes = calls_.unread_bytes(fd);
      ioctl(fd, Expr::symbol("SIOCINQ"),
            bytes ? Expected<long, tcp::Errno>(static_cast<long>(*bytes))
                  : Expected<long, tcp::Errno>(Unexpected{bytes.error()}));
      break;
    }
    case CallOp::kZerocopy:
      set_option(fd, SockOpt::kZerocopy, c.arg & 1);
      break;
    case CallOp::kSendZerocopy:
      send_flagged(fd, c.arg, "MSG_ZEROCOPY", {.zerocopy = true});
      break;
    case CallOp::kReadErrorQueue:
      read_error_queue(fd);
      break;
    case CallOp::kEpollWait:
      epoll_wait(fd, c.arg);
      break;
    case CallOp::kMark:
      set_option(fd, SockOpt::kMark, c.arg);
      break;
    case CallOp::kNotSentLowat:
      set_option(fd, SockOpt::kNotSentLowat, c.arg);
      break;
    case CallOp::kTimestamping:
      set_option(fd, SockOpt::kTimestamping, c.arg);
      break;
    case CallOp::kPoll:
      poll(fd);
      break;
    case CallOp::kSendOob:
      send_flagged(fd, c.arg, "MSG_OOB", {.oob = true});
      break;
    case CallOp::kRecvOob:
      read_urgent(fd, (c.arg & 1) != 0);
      break;
    case CallOp::kAtMark: {
      // As a number: real packetdrill has no SIOCATMARK symbol.
      const auto mark = calls_.at_urgent_mark(fd);
      ioctl(fd, Expr::number(SIOCATMARK),
            mark ? Expected<long, tcp::Errno>(*mark)
                 : Expected<long, tcp::Errno>(Unexpected{mark.error()}));
      break;
    }
    case CallOp::kOobInline:
      set_option(fd, SockOpt::kOobInline, c.arg & 1);
      break;
    case CallOp::kSplice:
      splice_to_pipe(fd, c.arg);
      break;
    default:
      break;
  }
}

void BinaryRunner::ioctl(int fd, Expr request, const Expected<long, tcp::Errno>& value) {
  // The value the call stores is stated, as packetdrill requires of a
  // call that succeeds ("ioctl(4, SIOCINQ, [1000]) = 0").
  announce([&] {
    return syscall("ioctl", {Expr::number(fd), request,
                             value ? Expr::array({Expr::number(*value)}) : Expr::ellipsis()});
  });
  complete(value ? CallOutcome::ok(0) : CallOutcome::err(value.error()));
}

void BinaryRunner::send_flagged(int fd, uint16_t length, const char* flag, tcp::SendFlags flags) {
  announce([&] {
    return syscall("send",
                   {Expr::number(fd), Expr::ellipsis(), Expr::number(length), Expr::symbol(flag)});
  });
  complete(calls_.write(fd, length, flags, false));
}

void BinaryRunner::read_urgent(int fd, bool peek) {
  announce([&] {
    Expr flags = peek ? Expr::any_of({Expr::symbol("MSG_OOB"), Expr::symbol("MSG_PEEK")})
                      : Expr::symbol("MSG_OOB");
    return syscall("recv", {Expr::number(fd), Expr::ellipsis(), Expr::number(1), std::move(flags)});
  });
  complete(calls_.read_urgent(fd, 1, peek));
}

void BinaryRunner::splice_to_pipe(int fd, uint16_t length) {
  if (pipe_write_fd_ < 0) {
    // Linux pipe(): the two lowest free descriptors.
    const int read_end = calls_.lowest_free_fd();
    const int write_end = calls_.lowest_free_fd(read_end + 1);
    announce([&] {
      return syscall("pipe", {Expr::array({Expr::number(read_end), Expr::number(write_end)})});
    });
    const CallOutcome made = calls_.pipe(read_end, write_end);
    complete(made);
    if (made.error != 0) return;
    pipe_write_fd_ = write_end;
  }
  announce([&] {
    return syscall("splice",
                   {Expr::number(fd), Expr::symbol("NULL"), Expr::number(pipe_write_fd_),
                    Expr::symbol("NULL"), Expr::number(length), Expr::symbol("SPLICE_F_NONBLOCK")});
  });
  complete(calls_.splice(fd, pipe_write_fd_, length, /*nonblock=*/true));
}

void BinaryRunner::read_error_queue(int fd) {
  announce([fd] {
    return syscall("recvmsg", {Expr::number(fd), empty_msghdr(0), Expr::symbol("MSG_ERRQUEUE")});
  });
  const auto entry = calls_.read_error_queue(fd);
  if (!entry) {
    complete(CallOutcome::err(entry.error()));
    return;
  }
  const ErrorQueueRead read = read_error_queue_entry(*entry, 0, 0);
  if (announced_) announced_->args[1] = empty_msghdr(read.msg_flags);
  complete(CallOutcome::ok(read.result));
}

void BinaryRunner::epoll_wait(int fd, uint16_t arg) {
  if (epoll_fd_ < 0) {
    epoll_fd_ = calls_.lowest_free_fd();
    announce([] { return syscall("epoll_create", {Expr::number(1)}); });
    complete(calls_.epoll_create(epoll_fd_));
  }
  const int epfd = epoll_fd_;
  uint32_t events = 0;
  const Expr stated = epoll_events(arg, &events);
  // Bit 6 modifies a descriptor already added; else it is added (EEXIST
  // the second time, as Linux answers).
  const bool modify = (arg & 0x40) != 0;
  announce([&] {
    return syscall("epoll_ctl",
                   {Expr::number(epfd), Expr::symbol(modify ? "EPOLL_CTL_MOD" : "EPOLL_CTL_ADD"),
                    Expr::number(fd), Expr::fields({"events", "fd"}, {stated, Expr::number(fd)})});
  });
  complete(calls_.epoll_ctl(epfd, modify ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, events,
                            static_cast<uint64_t>(fd)));
  // epoll_wait() changes nothing, so its answer is known before the line
  // is; packetdrill checks the event it states.
  const std::vector<tcp::Epoll::Event> ready = calls_.epoll_wait(epfd, 1);
  announce([&] {
    return syscall("epoll_wait",
                   {Expr::number(epfd), epoll_result(ready), Expr::number(1), Expr::number(0)});
  });
  complete(CallOutcome::ok(static_cast<long>(ready.size())));
}

void BinaryRunner::poll(int fd) {
  // poll() changes nothing, so its answer is known before the line is.
  const uint32_t asked = POLLIN | POLLOUT | POLLPRI;
  const uint32_t revents = calls_.poll(fd) & (asked | POLLERR | POLLHUP | POLLNVAL);
  announce([&] {
    const Expr pollfd = Expr::fields(
        {"fd", "events", "revents"},
        {Expr::number(fd),
         Expr::any_of({Expr::symbol("POLLIN"), Expr::symbol("POLLOUT"), Expr::symbol("POLLPRI")}),
         Expr::number(revents)});
    return syscall("poll", {Expr::array({pollfd}), Expr::number(1), Expr::number(0)});
  });
  complete(CallOutcome::ok(revents != 0 ? 1 : 0));
}

void BinaryRunner::fast_open_connect(std::optional<uint16_t> length) {
  const int fd = open_socket();
  CallOutcome out;
  if (length) {
    announce([&] {
      return syscall("sendto", {Expr::number(fd), Expr::ellipsis(), Expr::number(*length),
                                Expr::symbol("MSG_FASTOPEN"), Expr::ellipsis(), Expr::ellipsis()});
    });
    out = calls_.send_fast_open(fd, *length, false);
  } else {
    set_option(fd, SockOpt::kFastOpenConnect, 1);
    announce([fd] {
      return syscall("connect", {Expr::number(fd), Expr::ellipsis(), Expr::ellipsis()});
    });
    out = calls_.connect(fd);
  }
  complete(out);
  // Connecting (EINPROGRESS, data in the SYN, or a SYN deferred to the
  // first write): the connection the next calls act on.
  if (out.error == EINPROGRESS || out.error == 0) {
    connections_.push_back(fd);
    peer_next_ = kPeerIsn;  // the peer starts a fresh sequence space
  } else {
    close_fd(fd);
  }
}

}  // namespace tcpfuzz::scenario
