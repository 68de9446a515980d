#include "fuzz/import/flow_script.h"

#include <algorithm>
#include <map>
#include <optional>

#include "fuzz/scenario/packet_format.h"
#include "stack/header/tcp.h"
#include "stack/header/tcp_options.h"

namespace tcpfuzz::import {

namespace {

using scenario::Event;
using scenario::Expr;
using scenario::PacketSpec;
using scenario::SyscallSpec;
namespace flag = netstack::header::tcp_flag;

constexpr int kListenFd = 3;
constexpr int kClientFd = 3;
constexpr int kAcceptedFd = 4;

bool has(const CapturedSegment& s, uint8_t f) {
  return (s.flags & f) != 0;
}

bool after(uint32_t a, uint32_t b) {
  return static_cast<int32_t>(a - b) > 0;
}

// The peer's data as the application can read it: in order, with
// out-of-order pieces held until the hole before them fills.
class ReadableData {
 public:
  // Bytes that became readable with [start, end).
  uint32_t arrive(uint32_t start, uint32_t end) {
    if (!after(end, next_)) return 0;
    if (after(start, next_)) {
      held_[start] = std::max(held_[start], end);
      return 0;
    }
    const uint32_t before = next_;
    next_ = end;
    for (auto it = held_.begin(); it != held_.end();) {
      if (after(it->first, next_)) break;
      if (after(it->second, next_)) next_ = it->second;
      it = held_.erase(it);
    }
    return next_ - before;
  }

 private:
  uint32_t next_ = 1;  // the first data byte, in relative numbers
  std::map<uint32_t, uint32_t> held_;
};

class ScriptBuilder {
 public:
  ScriptBuilder(const Conversation& c, const HostSettings& settings)
      : c_(c), settings_(settings), fd_(c.role == StackRole::kServer ? kAcceptedFd : kClientFd) {}

  scenario::Scenario build() {
    options();
    if (c_.role == StackRole::kServer) {
      open_listener();
    } else {
      open_client();
    }
    for (size_t i = 0; i < c_.segments.size(); ++i) {
      const CapturedSegment& s = *c_.segments[i];
      if (c_.from_stack(s)) {
        stack_sends(s, i);
      } else {
        peer_sends(s);
      }
    }
    return std::move(script_);
  }

 private:
  void options() {
    if (c_.ipv6) script_.options.emplace_back("ip_version", "ipv6");
    if (settings_.mtu) script_.options.emplace_back("mtu", std::to_string(*settings_.mtu));
  }

  void open_listener() {
    call(0, "socket", {Expr::ellipsis(), Expr::symbol("SOCK_STREAM"), Expr::symbol("IPPROTO_TCP")},
         kListenFd);
    call(0, "setsockopt",
         {Expr::number(kListenFd), Expr::symbol("SOL_SOCKET"), Expr::symbol("SO_REUSEADDR"),
          Expr::array({Expr::number(1)}), Expr::number(4)},
         0);
    call(0, "bind", {Expr::number(kListenFd), Expr::ellipsis(), Expr::ellipsis()}, 0);
    call(0, "listen", {Expr::number(kListenFd), Expr::number(1)}, 0);
  }

  void open_client() {
    call(0, "socket", {Expr::ellipsis(), Expr::symbol("SOCK_STREAM"), Expr::symbol("IPPROTO_TCP")},
         kClientFd);
    call(0, "fcntl",
         {Expr::number(kClientFd), Expr::symbol("F_SETFL"),
          Expr::any_of({Expr::symbol("O_RDWR"), Expr::symbol("O_NONBLOCK")})},
         0);
    call(0, "connect", {Expr::number(kClientFd), Expr::ellipsis(), Expr::ellipsis()}, -1,
         "EINPROGRESS");
  }

  void stack_sends(const CapturedSegment& s, size_t index) {
    const int64_t t = c_.time_us(s);
    const uint32_t end = c_.relative_seq(s) + static_cast<uint32_t>(s.payload.size());
    if (!write_side_closed_ && !has(s, flag::kSyn) && after(end, written_)) {
      // Bytes missing from the capture before it were written too.
      const uint32_t more = end - written_;
      if (open_write_) {
        SyscallSpec& w = std::get<SyscallSpec>(script_.events[*open_write_].action);
        w.args[2].integer += more;
        w.result.integer += more;
      } else {
        open_write_ = script_.events.size();
        call(t, "write", {Expr::number(fd_), Expr::ellipsis(), Expr::number(more)}, more);
      }
      written_ = end;
      if (has(s, flag::kPsh)) open_write_.reset();
    }
    if (!write_side_closed_ && has(s, flag::kFin)) {
      if (peer_sends_data_after(index)) {
        call(t, "shutdown", {Expr::number(fd_), Expr::symbol("SHUT_WR")}, 0);
      } else {
        call(t, "close", {Expr::number(fd_)}, 0);
        closed_ = true;
      }
      write_side_closed_ = true;
    } else if (!closed_ && has(s, flag::kRst)) {
      call(t, "setsockopt",
           {Expr::number(fd_), Expr::symbol("SOL_SOCKET"), Expr::symbol("SO_LINGER"),
            Expr::fields({"onoff", "linger"}, {Expr::number(1), Expr::number(0)}), Expr::number(8)},
           0);
      call(t, "close", {Expr::number(fd_)}, 0);
      closed_ = write_side_closed_ = true;
    }
    if (has(s, flag::kSyn)) stack_synced_ = true;
    packet(s, PacketSpec::Direction::kOutbound);
  }

  void peer_sends(const CapturedSegment& s) {
    const int64_t t = c_.time_us(s);
    packet(s, PacketSpec::Direction::kInbound);
    if (c_.role == StackRole::kServer && !accepted_ && stack_synced_ && has(s, flag::kAck) &&
        !has(s, flag::kRst)) {
      call(t, "accept", {Expr::number(kListenFd), Expr::ellipsis(), Expr::ellipsis()}, kAcceptedFd);
      accepted_ = true;
    }
    if (s.payload.empty() || has(s, flag::kRst)) return;
    const uint32_t start = c_.relative_seq(s);
    const uint32_t readable =
        readable_.arrive(start, start + static_cast<uint32_t>(s.payload.size()));
    if (readable > 0 && !closed_ && (accepted_ || c_.role == StackRole::kClient)) {
      call(t, "read", {Expr::number(fd_), Expr::ellipsis(), Expr::number(readable)}, readable);
    }
  }

  bool peer_sends_data_after(size_t index) const {
    return std::any_of(
        c_.segments.begin() + static_cast<std::ptrdiff_t>(index) + 1, c_.segments.end(),
        [&](const CapturedSegment* s) { return !c_.from_stack(*s) && !s->payload.empty(); });
  }

  void packet(const CapturedSegment& s, PacketSpec::Direction direction) {
    const bool outbound = direction == PacketSpec::Direction::kOutbound;
    PacketSpec p;
    p.direction = direction;
    p.flags = s.flags;
    p.seq_start = c_.relative_seq(s);
    p.payload_length = static_cast<uint32_t>(s.payload.size());
    p.seq_end = p.seq_start + p.payload_length;
    if (has(s, flag::kAck)) p.ack = c_.relative_ack(s.ack, outbound);
    p.window = s.window;
    if (has(s, flag::kUrg)) p.urgent = s.urgent;
    p.options = scenario::options_in_order(s.options);
    // SACK blocks name the receiver's data: numbered from its ISN.
    for (scenario::OptionSpec& o : *p.options) {
      for (auto& [left, right] : o.sack_blocks) {
        left = c_.relative_ack(left, outbound);
        right = c_.relative_ack(right, outbound);
      }
    }
    add(c_.time_us(s), std::move(p));
  }

  void call(int64_t t, std::string name, std::vector<Expr> args, int64_t result,
            std::optional<std::string> error = std::nullopt) {
    SyscallSpec sc;
    sc.name = std::move(name);
    sc.args = std::move(args);
    sc.result = Expr::number(result);
    sc.errno_name = std::move(error);
    add(t, std::move(sc));
  }

  void add(int64_t t, std::variant<PacketSpec, SyscallSpec> action) {
    Event e;
    e.time.start_us = t;  // absolute
    std::visit([&](auto&& a) { e.action = std::forward<decltype(a)>(a); }, std::move(action));
    script_.events.push_back(std::move(e));
  }

  const Conversation& c_;
  const HostSettings& settings_;
  const int fd_;
  scenario::Scenario script_;
  bool stack_synced_ = false;  // the stack's SYN (or SYN-ACK) went out
  bool accepted_ = false;
  bool write_side_closed_ = false;  // shut down for writing, or closed
  bool closed_ = false;
  uint32_t written_ = 1;              // the stack's next unwritten byte, relative
  std::optional<size_t> open_write_;  // the write the stack's data still adds to
  ReadableData readable_;
};

}  // namespace

scenario::Scenario conversation_script(const Conversation& c, const HostSettings& settings) {
  return ScriptBuilder(c, settings).build();
}

}  // namespace tcpfuzz::import
