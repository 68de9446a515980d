#include "fuzz/scenario/script_to_binary.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "fuzz/scenario/syscall_args.h"
#include "stack/header/tcp.h"

namespace tcpfuzz::scenario {

namespace {

namespace flag = netstack::header::tcp_flag;

constexpr int64_t kMaxAdvanceMs = 65535;
// Linux's SIOCATMARK, written as a number where real packetdrill lacks the name.
constexpr int64_t kSiocAtMark = 0x8905;

int16_t clamp16(int64_t v) {
  return static_cast<int16_t>(std::clamp<int64_t>(v, INT16_MIN, INT16_MAX));
}

std::optional<int64_t> integer(const Expr& e) {
  if (e.kind == Expr::Kind::kInteger) return e.integer;
  if (e.kind == Expr::Kind::kArray && e.elements.size() == 1) return integer(e.elements[0]);
  return std::nullopt;
}

bool mentions(const Expr& e, std::string_view symbol) {
  if (e.kind == Expr::Kind::kSymbol && e.text == symbol) return true;
  return std::ranges::any_of(e.elements, [&](const Expr& x) { return mentions(x, symbol); });
}

uint8_t option_bits(const std::vector<OptionSpec>& options) {
  uint8_t bits = 0;
  for (const OptionSpec& o : options) {
    switch (o.kind) {
      case OptionSpec::Kind::kMss:
        bits |= 1;
        break;
      case OptionSpec::Kind::kWindowScale:
        bits |= 2;
        break;
      case OptionSpec::Kind::kSackPermitted:
        bits |= 4;
        break;
      case OptionSpec::Kind::kTimestamp:
        bits |= 8;
        break;
      case OptionSpec::Kind::kSack:
        bits |= 16;
        break;
      default:
        break;
    }
  }
  return bits;
}

class Converter {
 public:
  std::vector<BinaryEvent> convert(const Scenario& s) {
    for (const Event& e : s.events) {
      advance_to(e.time);
      if (const auto* p = std::get_if<PacketSpec>(&e.action)) {
        packet(*p);
      } else if (const auto* sc = std::get_if<SyscallSpec>(&e.action)) {
        syscall(*sc);
      }
    }
    return std::move(out_);
  }

 private:
  void advance_to(const EventTime& t) {
    switch (t.kind) {
      case EventTime::Kind::kAbsolute:
        now_us_ = t.start_us;
        break;
      case EventTime::Kind::kRelative:
        now_us_ += t.start_us;
        break;
      case EventTime::Kind::kAny:
        break;
    }
    int64_t ms = (now_us_ - emitted_us_ + 500) / 1000;
    while (ms > 0) {
      const int64_t step = std::min(ms, kMaxAdvanceMs);
      out_.emplace_back(AdvanceClock{static_cast<uint16_t>(step)});
      emitted_us_ += step * 1000;
      ms -= step;
    }
  }

  void packet(const PacketSpec& p) {
    if (p.icmp) return;  // the binary encoding has no ICMP event
    const bool syn = (p.flags & flag::kSyn) != 0;
    const uint32_t length =
        p.payload_length + (syn ? 1 : 0) + ((p.flags & flag::kFin) != 0 ? 1 : 0);
    if (p.direction == PacketSpec::Direction::kOutbound) {
      // What the peer has seen the stack send, in script numbers.
      const uint32_t end = p.seq_start + length;
      if (!stack_next_ || static_cast<int32_t>(end - *stack_next_) > 0) stack_next_ = end;
      return;
    }
    if (p.ports) return;  // another connection: the encoding has one peer port
    InjectSegment s;
    s.flags = p.flags;
    // A SYN starts the peer's numbering; after it, script numbers count from
    // its ISN (packetdrill), so the next byte is 1.
    s.seq_delta = syn ? 0 : clamp16(int64_t{p.seq_start} - peer_next_);
    s.ack_delta = clamp16(int64_t{p.ack.value_or(0)} - stack_next_.value_or(0));
    s.window = static_cast<uint16_t>(std::min<uint32_t>(p.window.value_or(0), 0xffff));
    s.payload = static_cast<uint8_t>(std::min<uint32_t>(p.payload_length, 0xff));
    s.options = p.options ? option_bits(*p.options) : 0;
    s.urgent = static_cast<uint8_t>(std::min<uint32_t>(p.urgent.value_or(0), 0xff));
    out_.emplace_back(s);
    if (syn) {
      peer_next_ = 1;
    } else if (s.seq_delta == 0 && (p.flags & flag::kRst) == 0) {
      peer_next_ += length;
    }
  }

  void call(CallOp op, uint16_t arg = 0) { out_.emplace_back(SocketCall{op, arg}); }

  void syscall(const SyscallSpec& sc) {
    const auto& a = sc.args;
    const std::optional<int64_t> fd = a.empty() ? std::nullopt : integer(a[0]);
    const std::optional<int64_t> result = integer(sc.result);
    const std::string& n = sc.name;
    if (n == "listen") {
      listener_ = fd;
      call(CallOp::kListen, static_cast<uint16_t>(a.size() > 1 ? integer(a[1]).value_or(1) : 1));
    } else if (n == "connect") {
      call(fastopen_connect_ ? CallOp::kFastOpenConnect : CallOp::kConnect);
      fastopen_connect_ = false;
    } else if (n == "accept" && result && *result >= 0) {
      call(CallOp::kAccept);
    } else if (n == "recv" && a.size() > 3 && mentions(a[3], "MSG_OOB")) {
      call(CallOp::kRecvOob, mentions(a[3], "MSG_PEEK") ? 1 : 0);
    } else if (n == "send" && a.size() > 3 && mentions(a[3], "MSG_OOB")) {
      call(CallOp::kSendOob, clamped(a[2], 0xffff));
    } else if (n == "ioctl" && a.size() > 1 &&
               (mentions(a[1], "SIOCATMARK") || integer(a[1]) == kSiocAtMark)) {
      call(CallOp::kAtMark);
    } else if ((n == "read" || n == "recv") && a.size() > 2) {
      // The encoding's odd lengths mean MSG_PEEK.
      const auto length =
          static_cast<uint16_t>(std::clamp<int64_t>(integer(a[2]).value_or(2), 2, 65534));
      const bool peek = n == "recv" && a.size() > 3 && mentions(a[3], "MSG_PEEK");
      call(CallOp::kRead, static_cast<uint16_t>((length & ~1U) | (peek ? 1 : 0)));
    } else if (n == "send" && a.size() > 3 && mentions(a[3], "MSG_ZEROCOPY")) {
      call(CallOp::kSendZerocopy, clamped(a[2], 0xffff));
    } else if (n == "sendto" && a.size() > 3 && mentions(a[3], "MSG_FASTOPEN")) {
      call(CallOp::kFastOpenSendto, clamped(a[2], 0xffff));
    } else if (n == "recvmsg" && a.size() > 2 && mentions(a[2], "MSG_ERRQUEUE")) {
      call(CallOp::kReadErrorQueue);
    } else if (n == "ioctl" && a.size() > 1 && mentions(a[1], "SIOCINQ")) {
      call(CallOp::kSiocInq);
    } else if (n == "pipe" && !a.empty()) {
      for (const Expr& end : a[0].elements) {
        if (auto v = integer(end)) pipe_fds_.insert(*v);
      }
    } else if (n == "splice" && a.size() == 6 && fd && !pipe_fds_.contains(*fd)) {
      call(CallOp::kSplice, clamped(a[4], 0xffff));  // from the socket into a pipe
    } else if (n == "poll") {
      call(CallOp::kPoll);
    } else if (n == "epoll_ctl" && a.size() > 3) {
      call(CallOp::kEpollWait, epoll_bits(a[1], a[3]));
    } else if ((n == "write" || n == "send") && a.size() > 2) {
      const auto length =
          static_cast<uint16_t>(std::clamp<int64_t>(integer(a[2]).value_or(0), 0, 0x7fff));
      const bool more = n == "send" && a.size() > 3 && mentions(a[3], "MSG_MORE");
      call(CallOp::kWrite, static_cast<uint16_t>(length | (more ? 0x8000 : 0)));
    } else if (n == "shutdown" && a.size() > 1) {
      if (mentions(a[1], "SHUT_RD")) call(CallOp::kShutdownRead);
      if (mentions(a[1], "SHUT_WR") || mentions(a[1], "SHUT_RDWR")) call(CallOp::kShutdownWrite);
    } else if (n == "close" && fd != listener_) {
      call(CallOp::kClose);
    } else if (n == "setsockopt" && a.size() > 3) {
      setsockopt(a[2], a[3]);
    }
  }

  void setsockopt(const Expr& name, const Expr& value) {
    const auto v =
        static_cast<uint16_t>(std::clamp<int64_t>(integer(value).value_or(0), 0, 0xffff));
    if (mentions(name, "TCP_NODELAY")) {
      call(CallOp::kNoDelay, v);
    } else if (mentions(name, "TCP_CORK")) {
      call(CallOp::kCork, v);
    } else if (mentions(name, "TCP_USER_TIMEOUT")) {
      call(CallOp::kUserTimeout, v);
    } else if (mentions(name, "TCP_LINGER2")) {
      call(CallOp::kLinger2, v);
    } else if (mentions(name, "SO_RCVBUF")) {
      call(CallOp::kRcvBuf, v);
    } else if (mentions(name, "TCP_INQ")) {
      call(CallOp::kInq, v);
    } else if (mentions(name, "SO_ZEROCOPY")) {
      call(CallOp::kZerocopy, v);
    } else if (mentions(name, "SO_OOBINLINE")) {
      call(CallOp::kOobInline, v);
    } else if (mentions(name, "SO_MARK")) {
      call(CallOp::kMark, v);
    } else if (mentions(name, "TCP_NOTSENT_LOWAT")) {
      call(CallOp::kNotSentLowat, v);
    } else if (mentions(name, "SO_TIMESTAMPING")) {
      call(CallOp::kTimestamping, clamped(value, 0xffff));
    } else if (mentions(name, "TCP_FASTOPEN_CONNECT")) {
      fastopen_connect_ = v != 0;
    } else if (mentions(name, "TCP_FASTOPEN")) {
      call(CallOp::kFastOpenQueue, v);
    } else if (mentions(name, "TCP_KEEPIDLE")) {
      call(CallOp::kKeepAlive, static_cast<uint16_t>(v > 0 ? v - 1 : 0));
    } else if (mentions(name, "SO_LINGER") && value.kind == Expr::Kind::kStruct) {
      // Only {onoff=1, linger=0} (abort on close) has an op.
      int64_t onoff = 0;
      int64_t seconds = -1;
      for (size_t i = 0; i < value.names.size() && i < value.elements.size(); ++i) {
        if (value.names[i] == "onoff") onoff = integer(value.elements[i]).value_or(0);
        if (value.names[i] == "linger") seconds = integer(value.elements[i]).value_or(-1);
      }
      if (onoff != 0 && seconds == 0) call(CallOp::kLingerZero);
    }
  }

  // A value the encoding's u16 argument can hold, symbols evaluated.
  static uint16_t clamped(const Expr& e, int64_t most) {
    return static_cast<uint16_t>(std::clamp<int64_t>(evaluate(e).value_or(0), 0, most));
  }

  // The kEpollWait argument for epoll_ctl(epfd, op, fd, {events=...}).
  static uint16_t epoll_bits(const Expr& op, const Expr& event) {
    static constexpr std::string_view kBits[] = {"EPOLLIN",      "EPOLLOUT",   "EPOLLET",
                                                 "EPOLLONESHOT", "EPOLLRDHUP", "EPOLLPRI"};
    uint16_t bits = mentions(op, "EPOLL_CTL_MOD") ? 0x40 : 0;
    for (size_t bit = 0; bit < std::size(kBits); ++bit) {
      if (mentions(event, kBits[bit])) bits |= static_cast<uint16_t>(1U << bit);
    }
    return bits;
  }

  std::vector<BinaryEvent> out_;
  bool fastopen_connect_ = false;  // TCP_FASTOPEN_CONNECT set before connect()
  int64_t now_us_ = 0;
  int64_t emitted_us_ = 0;
  uint32_t peer_next_ = 0;
  std::optional<uint32_t> stack_next_;
  std::optional<int64_t> listener_;
  std::set<int64_t> pipe_fds_;
};

}  // namespace

std::vector<BinaryEvent> script_to_binary(const Scenario& script) {
  return Converter().convert(script);
}

}  // namespace tcpfuzz::scenario
