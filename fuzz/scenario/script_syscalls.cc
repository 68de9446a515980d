#include "fuzz/scenario/script_syscalls.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <utility>

#include "fuzz/scenario/linux_symbols.h"
#include "fuzz/scenario/recvmsg_control.h"
#include "fuzz/scenario/syscall_args.h"

namespace tcpfuzz::scenario {

using namespace netstack;

// One call line as a handler reads it.
struct ScriptSyscalls::Line {
  const SyscallSpec& sc;
  CallIssues& issues;
  int fd = -1;  // the first argument, for every call but socket()

  const std::vector<Expr>& args() const { return sc.args; }
  std::optional<long> arg(size_t i) const {
    return i < sc.args.size() ? evaluate(sc.args[i]) : std::nullopt;
  }
  CallOutcome bad(const std::string& what) { return failed(sc.name + ": " + what); }
  CallOutcome failed(std::string message) {
    issues.failure = std::move(message);
    return CallOutcome::err(EINVAL);
  }
  CallOutcome unsupported(std::string what) {
    issues.unsupported = std::move(what);
    return CallOutcome::err(EINVAL);
  }
};

ScriptSyscalls::Handler ScriptSyscalls::handler(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, Handler>, 22> kHandlers{{
      {"bind", &ScriptSyscalls::bind},           {"listen", &ScriptSyscalls::listen},
      {"connect", &ScriptSyscalls::connect},     {"accept", &ScriptSyscalls::accept},
      {"read", &ScriptSyscalls::read},           {"recv", &ScriptSyscalls::read},
      {"recvfrom", &ScriptSyscalls::read},       {"write", &ScriptSyscalls::write},
      {"send", &ScriptSyscalls::write},          {"sendto", &ScriptSyscalls::write},
      {"sendmsg", &ScriptSyscalls::write},       {"shutdown", &ScriptSyscalls::shutdown},
      {"close", &ScriptSyscalls::close},         {"fcntl", &ScriptSyscalls::fcntl},
      {"setsockopt", &ScriptSyscalls::sockopt},  {"getsockopt", &ScriptSyscalls::sockopt},
      {"ioctl", &ScriptSyscalls::ioctl},         {"recvmsg", &ScriptSyscalls::recvmsg},
      {"epoll_ctl", &ScriptSyscalls::epoll_ctl}, {"epoll_wait", &ScriptSyscalls::epoll_wait},
      {"sendfile", &ScriptSyscalls::sendfile},   {"splice", &ScriptSyscalls::splice},
  }};
  const auto it = std::ranges::find(kHandlers, name, &std::pair<std::string_view, Handler>::first);
  return it == kHandlers.end() ? nullptr : it->second;
}

CallOutcome ScriptSyscalls::call(const SyscallSpec& sc, CallIssues* issues) {
  Line line{sc, *issues};
  for (const Expr& arg : sc.args) {
    if (auto u = unknown_symbol(arg)) return line.unsupported("symbol " + *u + " in " + sc.name);
  }
  if (sc.name == "socket") return socket(line);
  if (sc.name == "poll") return poll(line);  // its descriptors are inside the pollfd array
  if (sc.name == "open") return open(line);  // it names a path
  if (sc.name == "pipe") return pipe(line);  // its descriptors are in an array
  if (sc.name == "epoll_create") {
    // Linux: the size hint must be positive.
    if (line.arg(0).value_or(0) <= 0) return CallOutcome::err(EINVAL);
    const auto fd = evaluate(sc.result);
    return calls_.epoll_create(fd && *fd >= 0 ? static_cast<int>(*fd) : calls_.lowest_free_fd());
  }
  // Every other call names a descriptor first, and Linux looks it up before
  // anything else (EBADF), whatever the call.
  const auto fd = line.arg(0);
  if (!fd) return line.bad("first argument must be an fd");
  line.fd = static_cast<int>(*fd);
  if (files_.is_open(line.fd)) {
    if (sc.name == "close") return CallOutcome::ok(files_.close(line.fd) ? 0 : -1);
    return line.unsupported(sc.name + " on a file");
  }
  if (calls_.is_pipe(line.fd)) {
    if (sc.name == "close") return calls_.close(line.fd);
    if (sc.name == "splice") return splice(line);
    return line.unsupported(sc.name + " on a pipe");
  }
  const Handler h = handler(sc.name);
  // epoll_ctl and epoll_wait take an epoll descriptor (EINVAL for another);
  // on one, read and write are EINVAL and the socket calls ENOTSOCK.
  const bool epoll_call = sc.name == "epoll_ctl" || sc.name == "epoll_wait";
  if (calls_.is_epoll(line.fd)) {
    if (h == nullptr) return line.unsupported("syscall " + sc.name);
    if (epoll_call || sc.name == "close") return (this->*h)(line);
    return CallOutcome::err(sc.name == "read" || sc.name == "write" ? EINVAL : ENOTSOCK);
  }
  if (calls_.endpoint(line.fd) == nullptr) return CallOutcome::err(EBADF);
  if (h == nullptr) return line.unsupported("syscall " + sc.name);
  if (epoll_call) return CallOutcome::err(EINVAL);
  return (this->*h)(line);
}

CallOutcome ScriptSyscalls::socket(Line& line) {
  if (line.args().size() != 3) return line.bad("expected 3 args");
  const auto fd = evaluate(line.sc.result);
  if (!fd || *fd < 0) return line.bad("socket() must name its fd as the result");
  calls_.socket(static_cast<int>(*fd), family_);
  // Linux: SOCK_NONBLOCK in the type is O_NONBLOCK on the new descriptor.
  const long type = line.arg(1).value_or(0);
  if ((type & linux_constant("SOCK_NONBLOCK")) != 0) {
    calls_.set_nonblocking(static_cast<int>(*fd), true);
  }
  return CallOutcome::ok(*fd);
}

CallOutcome ScriptSyscalls::bind(Line& line) {
  return calls_.bind(line.fd);
}

CallOutcome ScriptSyscalls::listen(Line& line) {
  return calls_.listen(line.fd, static_cast<int>(line.arg(1).value_or(0)));
}

CallOutcome ScriptSyscalls::connect(Line& line) {
  return calls_.connect(line.fd);
}

CallOutcome ScriptSyscalls::accept(Line& line) {
  tcp::EndpointId accepted = tcp::kNoEndpoint;
  const CallOutcome out = calls_.accept(line.fd, &accepted);
  if (accepted == tcp::kNoEndpoint) return out;
  const auto want = evaluate(line.sc.result);
  if (!want || *want < 0) {
    line.failed("accept: expected " + (want ? std::to_string(*want) : std::string("?")) +
                " but a connection was accepted");
    return CallOutcome::ok(0);
  }
  calls_.adopt(static_cast<int>(*want), accepted);
  return CallOutcome::ok(*want);
}

namespace {

// The msghdr field `name` of recvmsg()/sendmsg()'s second argument.
const Expr* msghdr_field(const Expr& msghdr, std::string_view name) {
  for (size_t i = 0; i < msghdr.names.size(); ++i) {
    if (msghdr.names[i] == name) return &msghdr.elements[i];
  }
  return nullptr;
}

// A NULL buffer faults in the kernel before TCP sees the call.
bool null_buffer(const std::vector<Expr>& args) {
  return args.size() > 1 && evaluate(args[1]) == 0;
}

}  // namespace

CallOutcome ScriptSyscalls::read(Line& line) {
  if (null_buffer(line.args())) return CallOutcome::err(EFAULT);
  const auto length = line.arg(2);
  if (!length) return line.bad("expected a length");
  const long flags = line.sc.name == "read" ? 0 : line.arg(3).value_or(0);
  const bool peek = (flags & linux_constant("MSG_PEEK")) != 0;
  if ((flags & linux_constant("MSG_OOB")) != 0) {
    return calls_.read_urgent(line.fd, static_cast<size_t>(*length), peek);
  }
  const bool dontwait = (flags & linux_constant("MSG_DONTWAIT")) != 0;
  return calls_.read(line.fd, static_cast<size_t>(*length), peek, dontwait);
}

CallOutcome ScriptSyscalls::write(Line& line) {
  const std::string& name = line.sc.name;
  const auto& a = line.args();
  std::optional<long> length;
  long flags = 0;
  if (name == "sendmsg") {
    // sendmsg(fd, {msg_name(...)=..., msg_iov(N)=[{..., len}, ...], msg_flags=0}, flags)
    if (a.size() != 3 || a[1].kind != Expr::Kind::kStruct) {
      return line.bad("expected (fd, {msghdr}, flags)");
    }
    length = 0;
    for (size_t i = 0; i < a[1].names.size(); ++i) {
      if (a[1].names[i] != "msg_iov") continue;
      for (const Expr& iov : a[1].elements[i].elements) {
        if (iov.elements.size() != 2) return line.bad("iovec must be {..., length}");
        *length += evaluate(iov.elements[1]).value_or(0);
      }
    }
    flags = line.arg(2).value_or(0);
    // Linux pins each zerocopy iovec as its own page fragment and starts a
    // new skb after MAX_SKB_FRAGS (17) of them; the stack copies and keeps
    // no fragments, so it cannot cut segments there.
    const Expr* iov = msghdr_field(a[1], "msg_iov");
    if ((flags & linux_constant("MSG_ZEROCOPY")) != 0 && iov != nullptr &&
        iov->elements.size() > 17) {
      return line.unsupported("MSG_ZEROCOPY sendmsg of more than 17 iovecs (MAX_SKB_FRAGS)");
    }
  } else {
    if (null_buffer(a)) return CallOutcome::err(EFAULT);
    length = line.arg(2);
    flags = name == "write" ? 0 : line.arg(3).value_or(0);
  }
  if (!length) return line.bad("expected a length");
  const long msg_more = linux_constant("MSG_MORE");
  const long msg_dontwait = linux_constant("MSG_DONTWAIT");
  const long msg_eor = linux_constant("MSG_EOR");
  const long msg_zerocopy = linux_constant("MSG_ZEROCOPY");
  const long msg_fastopen = linux_constant("MSG_FASTOPEN");
  // MSG_NOSIGNAL only spares the process a SIGPIPE.
  const long msg_nosignal = linux_constant("MSG_NOSIGNAL");
  const long msg_oob = linux_constant("MSG_OOB");
  if ((flags & ~(msg_more | msg_dontwait | msg_eor | msg_zerocopy | msg_fastopen | msg_nosignal |
                 msg_oob)) != 0) {
    return line.unsupported(name + " flags " + std::to_string(flags));
  }
  if ((flags & msg_fastopen) != 0) {
    // Linux tcp_sendmsg_fastopen(): an AF_UNSPEC address is refused.
    if (name == "sendto" && a.size() > 4 && evaluate(a[4]) == linux_constant("AF_UNSPEC")) {
      return CallOutcome::err(EOPNOTSUPP);
    }
    return calls_.send_fast_open(line.fd, static_cast<size_t>(*length), (flags & msg_dontwait) != 0,
                                 (flags & msg_zerocopy) != 0);
  }
  if (name == "sendto" && a.size() > 4 && a[4].kind != Expr::Kind::kEllipsis) {
    return line.unsupported("sendto with an address");
  }
  const netstack::tcp::SendFlags send_flags{.more = (flags & msg_more) != 0,
                                            .eor = (flags & msg_eor) != 0,
                                            .zerocopy = (flags & msg_zerocopy) != 0,
                                            .oob = (flags & msg_oob) != 0};
  return calls_.write(line.fd, static_cast<size_t>(*length), send_flags,
                      (flags & msg_dontwait) != 0);
}

CallOutcome ScriptSyscalls::shutdown(Line& line) {
  const auto how = line.arg(1);
  if (!how) return line.bad("expected SHUT_RD/SHUT_WR/SHUT_RDWR");
  const tcp::ShutdownHow h = *how == linux_constant("SHUT_RD")   ? tcp::ShutdownHow::kRead
                             : *how == linux_constant("SHUT_WR") ? tcp::ShutdownHow::kWrite
                                                                 : tcp::ShutdownHow::kBoth;
  return calls_.shutdown(line.fd, h);
}

CallOutcome ScriptSyscalls::close(Line& line) {
  return calls_.close(line.fd);
}

CallOutcome ScriptSyscalls::fcntl(Line& line) {
  const auto cmd = line.arg(1);
  const long o_nonblock = linux_constant("O_NONBLOCK");
  if (cmd == linux_constant("F_GETFL")) {
    return CallOutcome::ok(linux_constant("O_RDWR") |
                           (calls_.nonblocking(line.fd) ? o_nonblock : 0));
  }
  if (cmd == linux_constant("F_SETFL")) {
    calls_.set_nonblocking(line.fd, (line.arg(2).value_or(0) & o_nonblock) != 0);
    return CallOutcome::ok(0);
  }
  return line.unsupported("fcntl command");
}

CallOutcome ScriptSyscalls::sockopt(Line& line) {
  const auto& a = line.args();
  const std::string& name = line.sc.name;
  const auto level = line.arg(1);
  const auto option_name = line.arg(2);
  if (level == linux_constant("SOL_TCP") && option_name == linux_constant("TCP_CONGESTION")) {
    return congestion_control(line);
  }
  const std::optional<tcp::SockOpt> option =
      level && option_name ? socket_option(*level, *option_name) : std::nullopt;
  if (!option) return line.unsupported(name + " option " + (a.size() > 2 ? a[2].text : "?"));
  if (a.size() < 5) return line.bad("expected 5 args");
  const Expr& value_arg = a[3];
  if (name == "setsockopt") {
    int value = 0;
    if (value_arg.kind == Expr::Kind::kStruct && *option == tcp::SockOpt::kLinger) {
      // struct linger: -1 is the stack's "off".
      const long onoff = struct_field(value_arg, "onoff", 0);
      const long seconds = struct_field(value_arg, "linger", 0);
      value = onoff != 0 ? static_cast<int>(seconds) : -1;
    } else if (value_arg.kind == Expr::Kind::kArray && value_arg.elements.size() == 1) {
      value = static_cast<int>(evaluate(value_arg).value_or(0));
    } else {
      return line.unsupported("setsockopt value form");
    }
    return calls_.set_option(line.fd, *option, value);
  }
  auto r = calls_.get_option(line.fd, *option);
  if (!r) return CallOutcome::err(r.error());
  if (value_arg.kind == Expr::Kind::kArray) {
    const auto want = evaluate(value_arg);
    if (!want || *want != *r) {
      line.failed("getsockopt: expected value " + (want ? std::to_string(*want) : "?") +
                  " but got " + std::to_string(*r));
    }
  }
  return CallOutcome::ok(0);
}

CallOutcome ScriptSyscalls::congestion_control(Line& line) {
  const auto& a = line.args();
  if (a.size() < 5 || a[3].kind != Expr::Kind::kString) {
    return line.unsupported(line.sc.name + " TCP_CONGESTION value form");
  }
  if (line.sc.name == "setsockopt") return calls_.set_congestion_control(line.fd, a[3].text);
  auto name = calls_.congestion_control(line.fd);
  if (!name) return CallOutcome::err(name.error());
  if (*name != a[3].text) {
    line.failed("getsockopt: expected \"" + a[3].text + "\" but got \"" + std::string(*name) +
                "\"");
  }
  return CallOutcome::ok(0);
}

CallOutcome ScriptSyscalls::poll(Line& line) {
  const auto& a = line.args();
  if (a.size() != 3 || a[0].kind != Expr::Kind::kArray) {
    return line.failed("poll: expected ([{fd=..., events=..., revents=...}], n, timeout)");
  }
  const long timeout_ms = evaluate(a[2]).value_or(0);
  const long always =
      linux_constant("POLLERR") | linux_constant("POLLHUP") | linux_constant("POLLNVAL");
  long ready = 0;
  std::vector<std::pair<long, long>> revents;  // (want, got)
  for (const Expr& pollfd : a[0].elements) {
    const long fd = struct_field(pollfd, "fd", -1);
    const long events = struct_field(pollfd, "events", 0);
    const long want = struct_field(pollfd, "revents", 0);
    const long got = static_cast<long>(calls_.poll(static_cast<int>(fd))) & (events | always);
    if (got != 0) ++ready;
    revents.emplace_back(want, got);
  }
  if (ready == 0 && keeps_waiting(timeout_ms)) return CallOutcome::blocked();
  poll_started_.reset();  // the next poll() waits from its own start
  for (const auto& [want, got] : revents) {
    if (want != got) {
      line.failed("poll: expected revents " + std::to_string(want) + " but got " +
                  std::to_string(got));
      return CallOutcome::ok(ready);
    }
  }
  return CallOutcome::ok(ready);
}

bool ScriptSyscalls::keeps_waiting(long timeout_ms) {
  if (timeout_ms != 0) {
    if (!poll_started_) poll_started_ = clock_.now();
    if (timeout_ms < 0 || clock_.now() - *poll_started_ < std::chrono::milliseconds(timeout_ms)) {
      return true;
    }
  }
  poll_started_.reset();
  return false;
}

CallOutcome ScriptSyscalls::ioctl(Line& line) {
  const auto request = line.arg(1);
  long answer = 0;
  std::string name;
  if (request == linux_constant("SIOCINQ")) {
    auto bytes = calls_.unread_bytes(line.fd);
    if (!bytes) return CallOutcome::err(bytes.error());
    answer = static_cast<long>(*bytes);
    name = "SIOCINQ";
  } else if (request == linux_constant("SIOCATMARK")) {
    auto mark = calls_.at_urgent_mark(line.fd);
    if (!mark) return CallOutcome::err(mark.error());
    answer = *mark;
    name = "SIOCATMARK";
  } else {
    return line.unsupported("ioctl " + (line.args().size() > 1 ? line.args()[1].text : "?"));
  }
  if (line.args().size() > 2 && line.args()[2].kind == Expr::Kind::kArray) {
    const auto want = evaluate(line.args()[2]);
    if (want != answer) {
      return line.failed("ioctl " + name + ": expected " + (want ? std::to_string(*want) : "?") +
                         " but got " + std::to_string(answer));
    }
  }
  return CallOutcome::ok(0);
}

namespace {

// Why the cmsgs a script expects differ from `got` ((level, type) -> fields
// by name, each checked only where the script states it); nullopt if not.
// A timestamp (scm_sec, scm_nsec) matches within `tolerance_ns`, as
// packetdrill checks times.
std::optional<std::string> cmsg_mismatch(const Expr& want, const std::vector<Cmsg>& got,
                                         int64_t tolerance_ns) {
  if (want.kind != Expr::Kind::kArray) return "msg_control must be [{cmsg...}, ...]";
  if (want.elements.size() != got.size()) {
    return "expected " + std::to_string(want.elements.size()) + " cmsgs but got " +
           std::to_string(got.size());
  }
  for (size_t i = 0; i < got.size(); ++i) {
    const Expr& w = want.elements[i];
    if (struct_field(w, "cmsg_level", got[i].level) != got[i].level ||
        struct_field(w, "cmsg_type", got[i].type) != got[i].type) {
      return "cmsg " + std::to_string(i) + ": other level or type than expected";
    }
    const Expr* data = msghdr_field(w, "cmsg_data");
    if (data == nullptr) continue;
    if (got[i].type == linux_constant("SCM_TIMESTAMPING") &&
        got[i].level == linux_constant("SOL_SOCKET")) {
      const int64_t got_ns = got[i].fields[0].second * 1000000000 + got[i].fields[1].second;
      const int64_t want_ns = struct_field(*data, "scm_sec", 0) * int64_t{1000000000} +
                              struct_field(*data, "scm_nsec", 0);
      if (std::abs(got_ns - want_ns) > tolerance_ns) {
        return "cmsg timestamp: expected " + std::to_string(want_ns) + " ns but got " +
               std::to_string(got_ns);
      }
      continue;
    }
    for (const auto& [field, value] : got[i].fields) {
      const long stated =
          field.empty() ? evaluate(*data).value_or(value) : struct_field(*data, field, value);
      if (stated != value) {
        return "cmsg " + (field.empty() ? std::string("data") : field) + ": expected " +
               std::to_string(stated) + " but got " + std::to_string(value);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

CallOutcome ScriptSyscalls::recvmsg(Line& line) {
  const auto& a = line.args();
  if (a.size() != 3 || a[1].kind != Expr::Kind::kStruct) {
    return line.bad("expected (fd, {msghdr}, flags)");
  }
  const long flags = line.arg(2).value_or(0);
  const Expr* control = msghdr_field(a[1], "msg_control");
  const size_t control_bytes = stated_control_bytes(control);
  long length = 0;
  if (const Expr* iov = msghdr_field(a[1], "msg_iov")) {
    for (const Expr& v : iov->elements) {
      if (v.elements.size() != 2) return line.bad("iovec must be {..., length}");
      length += evaluate(v.elements[1]).value_or(0);
    }
  }
  std::vector<Cmsg> cmsgs;
  CallOutcome out;
  long msg_flags = 0;
  if ((flags & linux_constant("MSG_ERRQUEUE")) != 0) {
    auto entry = calls_.read_error_queue(line.fd);
    if (!entry) return CallOutcome::err(entry.error());
    cmsgs = error_queue_cmsgs(*entry);
    const ErrorQueueRead read =
        read_error_queue_entry(*entry, static_cast<size_t>(length), control_bytes);
    out = CallOutcome::ok(read.result);
    msg_flags = read.msg_flags;
  } else {
    const bool peek = (flags & linux_constant("MSG_PEEK")) != 0;
    const bool dontwait = (flags & linux_constant("MSG_DONTWAIT")) != 0;
    const bool urgent = (flags & linux_constant("MSG_OOB")) != 0;
    out = urgent ? calls_.read_urgent(line.fd, static_cast<size_t>(length), peek)
                 : calls_.read(line.fd, static_cast<size_t>(length), peek, dontwait);
    if (out.would_block || out.result < 0) return out;
    // Linux tcp_recvmsg(): with TCP_INQ on, every read carries TCP_CM_INQ.
    if (calls_.get_option(line.fd, netstack::tcp::SockOpt::kInq).value_or(0) != 0) {
      const long hint = calls_.endpoint(line.fd)->inq_hint();
      cmsgs.push_back(Cmsg{linux_constant("SOL_TCP"), linux_constant("TCP_CM_INQ"), {{"", hint}}});
    }
    // Linux tcp_recv_urg() marks the urgent byte's read MSG_OOB.
    msg_flags = (urgent ? linux_constant("MSG_OOB") : 0) | control_truncation(cmsgs, control_bytes);
  }
  // packetdrill compares msg_flags after every successful call; a script
  // that does not state them expects 0.
  const Expr* stated_flags = msghdr_field(a[1], "msg_flags");
  const long want_flags = stated_flags != nullptr ? evaluate(*stated_flags).value_or(0) : 0;
  if (want_flags != msg_flags) {
    return line.failed("recvmsg: expected msg_flags " + std::to_string(want_flags) + " but got " +
                       std::to_string(msg_flags));
  }
  if (control != nullptr) {
    if (auto why = cmsg_mismatch(*control, cmsgs, tolerance_us_ * 1000)) {
      line.failed("recvmsg: " + *why);
    }
  }
  return out;
}

CallOutcome ScriptSyscalls::epoll_ctl(Line& line) {
  const auto& a = line.args();
  if (a.size() != 4) return line.bad("expected (epfd, op, fd, {events=..., fd=...})");
  const auto op = line.arg(1);
  const auto fd = line.arg(2);
  if (!op || !fd) return line.bad("expected an op and an fd");
  long events = 0;
  long data = 0;
  if (a[3].kind == Expr::Kind::kStruct) {
    events = struct_field(a[3], "events", 0);
    data = struct_field(a[3], "fd", struct_field(a[3], "ptr", 0));
  }
  return calls_.epoll_ctl(line.fd, static_cast<int>(*op), static_cast<int>(*fd),
                          static_cast<uint32_t>(events), static_cast<uint64_t>(data));
}

CallOutcome ScriptSyscalls::epoll_wait(Line& line) {
  const auto& a = line.args();
  if (a.size() != 4) return line.bad("expected (epfd, {events=..., fd=...}, max, timeout)");
  const long max = line.arg(2).value_or(0);
  if (max <= 0) return CallOutcome::err(EINVAL);  // Linux: maxevents must be positive
  const auto ready = calls_.epoll_wait(line.fd, static_cast<size_t>(max));
  if (ready.empty() && keeps_waiting(line.arg(3).value_or(0))) return CallOutcome::blocked();
  poll_started_.reset();
  // The script states the first event: packetdrill compares that one.
  if (!ready.empty() && a[1].kind == Expr::Kind::kStruct) {
    const long want_events = struct_field(a[1], "events", -1);
    const long want_fd = struct_field(a[1], "fd", -1);
    if (want_events != -1 && want_events != static_cast<long>(ready[0].events)) {
      return line.failed("epoll_wait: expected events " + std::to_string(want_events) +
                         " but got " + std::to_string(ready[0].events));
    }
    if (want_fd != -1 && want_fd != static_cast<long>(ready[0].data)) {
      return line.failed("epoll_wait: expected fd " + std::to_string(want_fd) + " but got " +
                         std::to_string(ready[0].data));
    }
  }
  return CallOutcome::ok(static_cast<long>(ready.size()));
}

CallOutcome ScriptSyscalls::open(Line& line) {
  const auto& a = line.args();
  if (a.empty() || a[0].kind != Expr::Kind::kString) return line.bad("expected a path");
  if (line.arg(1).value_or(-1) != linux_constant("O_RDONLY")) {
    return line.unsupported("open() other than O_RDONLY");
  }
  const auto fd = evaluate(line.sc.result);
  const int at = fd && *fd >= 0 ? static_cast<int>(*fd) : calls_.lowest_free_fd();
  if (!files_.open(at, a[0].text)) return CallOutcome::err(ENOENT);
  return CallOutcome::ok(at);
}

CallOutcome ScriptSyscalls::pipe(Line& line) {
  const auto& a = line.args();
  if (a.size() != 1 || a[0].kind != Expr::Kind::kArray || a[0].elements.size() != 2) {
    return line.bad("expected pipe([read_fd, write_fd])");
  }
  const auto read_fd = evaluate(a[0].elements[0]);
  const auto write_fd = evaluate(a[0].elements[1]);
  if (!read_fd || !write_fd) return line.bad("expected pipe([read_fd, write_fd])");
  return calls_.pipe(static_cast<int>(*read_fd), static_cast<int>(*write_fd));
}

CallOutcome ScriptSyscalls::splice(Line& line) {
  // splice(fd_in, NULL, fd_out, NULL, len, flags), a socket on one side and
  // a pipe on the other.
  const auto& a = line.args();
  if (a.size() != 6) return line.bad("expected (fd_in, off_in, fd_out, off_out, len, flags)");
  const auto out = line.arg(2);
  const auto length = line.arg(4);
  const auto flags = line.arg(5);
  if (!out || !length || !flags)
    return line.bad("expected (fd_in, NULL, fd_out, NULL, len, flags)");
  // Linux do_splice(): neither a socket nor a pipe takes an offset.
  const auto null = [](const Expr& e) {
    return e.kind != Expr::Kind::kArray && evaluate(e).value_or(1) == 0;
  };
  if (!null(a[1]) || !null(a[3])) return CallOutcome::err(ESPIPE);
  const long nonblock = linux_constant("SPLICE_F_NONBLOCK");
  const long known = nonblock | linux_constant("SPLICE_F_MOVE") | linux_constant("SPLICE_F_MORE");
  if ((*flags & ~known) != 0) return line.unsupported("splice flags " + std::to_string(*flags));
  return calls_.splice(line.fd, static_cast<int>(*out), static_cast<size_t>(std::max(0L, *length)),
                       (*flags & nonblock) != 0);
}

CallOutcome ScriptSyscalls::sendfile(Line& line) {
  // sendfile(out_fd, in_fd, [offset], count): the file's zeros from the
  // offset go to the socket as one write (Linux splices them with MSG_MORE
  // on all but the last page; packetdrill's files are small).
  const auto& a = line.args();
  const auto in_fd = line.arg(1);
  const auto count = line.arg(3);
  if (a.size() != 4 || !in_fd || !count)
    return line.bad("expected (out_fd, in_fd, [offset], count)");
  if (a[2].kind != Expr::Kind::kArray) return line.unsupported("sendfile() without an offset");
  const auto size = files_.size(static_cast<int>(*in_fd));
  if (!size) return CallOutcome::err(EBADF);
  const auto offset = static_cast<size_t>(std::max(0L, evaluate(a[2]).value_or(0)));
  const size_t bytes =
      std::min<size_t>(static_cast<size_t>(std::max(0L, *count)), *size - std::min(offset, *size));
  if (bytes == 0) return CallOutcome::ok(0);
  return calls_.write(line.fd, bytes, {}, false);
}

std::optional<std::string> result_mismatch(const SyscallSpec& sc, const CallOutcome& out) {
  if (sc.result.kind == Expr::Kind::kEllipsis) return std::nullopt;
  const auto want = evaluate(sc.result);
  if (!want) return "cannot evaluate the expected result";
  const bool fd_call = sc.name == "socket" || sc.name == "accept";
  const bool ok = fd_call && *want >= 0 ? out.result >= 0 : out.result == *want;
  if (!ok) {
    std::string got = std::to_string(out.result);
    if (out.result < 0) got += " " + std::string(errno_name(out.error));
    return sc.name + ": expected result " + std::to_string(*want) +
           (sc.errno_name ? " " + *sc.errno_name : "") + " but got " + got;
  }
  if (*want < 0 && sc.errno_name) {
    const auto want_errno = errno_value(*sc.errno_name);
    if (!want_errno) return "unknown errno " + *sc.errno_name;
    if (*want_errno != out.error) {
      return sc.name + ": expected errno " + *sc.errno_name + " but got " +
             std::string(errno_name(out.error));
    }
  }
  return std::nullopt;
}

}  // namespace tcpfuzz::scenario
