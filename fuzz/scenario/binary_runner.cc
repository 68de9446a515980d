#include "fuzz/scenario/binary_runner.h"

#include <algorithm>

#include "fuzz/scenario/linux_symbols.h"
#include "fuzz/scenario/packet_mapping.h"
#include "fuzz/scenario/script_timing.h"
#include "stack/header/ip.h"
#include "stack/header/tcp.h"
#include "stack/header/tcp_options.h"

namespace tcpfuzz::scenario {

using namespace netstack;
namespace flag = header::tcp_flag;
using tcp::SockOpt;

namespace {

// "bind(3, ..., ...)": the addresses are packetdrill's to fill in.
SyscallSpec with_fd_and_address(std::string name, int fd) {
  return syscall(std::move(name), {Expr::number(fd), Expr::ellipsis(), Expr::ellipsis()});
}

SyscallSpec set_nonblocking(int fd) {
  return syscall("fcntl", {Expr::number(fd), Expr::symbol("F_SETFL"),
                           Expr::any_of({Expr::symbol("O_RDWR"), Expr::symbol("O_NONBLOCK")})});
}

OptionSpec option(OptionSpec::Kind kind, uint32_t value = 0, uint32_t value2 = 0) {
  OptionSpec o;
  o.kind = kind;
  o.value = value;
  o.value2 = value2;
  return o;
}

// The scripts an input exports to run Linux with one segment per packet
// (linux_script.cc: gso_max_segs 1), so its send-queue skbs hold one
// segment, and the stack here sizes them the same.
netstack::tcp::Config one_segment_per_skb() {
  netstack::tcp::Config config;
  config.gso_max_segs = 1;
  return config;
}

}  // namespace

SyscallSpec syscall(std::string name, std::vector<Expr> args) {
  SyscallSpec sc;
  sc.name = std::move(name);
  sc.args = std::move(args);
  return sc;
}

BinaryRunner::BinaryRunner(const BinaryRunOptions& options)
    : options_(options),
      local_(*IpAddress::parse(kLocalIpv4)),
      remote_(*IpAddress::parse(kRemoteIpv4)),
      world_(ScenarioWorld::Options{.seed = options.seed,
                                    .config = one_segment_per_skb(),
                                    .local = local_,
                                    .pcap = options.pcap}),
      calls_(world_.tcp(), sut_, SocketCalls::Addresses{local_, remote_}) {
  world_.attach_peer(this);
  world_.testbed().attach(static_cast<tcp::Tracer&>(*this));
}

void BinaryRunner::reset() {
  world_.testbed().reset();
  sut_ = SocketUnderTest{};
  calls_.forget_all();
  listener_fd_ = -1;
  epoll_fd_ = -1;
  pipe_write_fd_ = -1;
  connections_.clear();
  peer_next_ = kPeerIsn;
  stack_next_ = 0;
  stack_ts_val_.reset();
  announced_.reset();
  states_ = {};
  started_ = false;
}

void BinaryRunner::run(const std::vector<BinaryEvent>& events) {
  for (size_t i = 0; i < events.size(); ++i) {
    const BinaryEvent& e = events[i];
    if (options_.transcript != nullptr) {
      const auto* a = std::get_if<AdvanceClock>(&e);
      const int64_t now_us = script_us(clock().now());
      options_.transcript->begin_event(i, now_us,
                                       now_us + (a != nullptr && started_ ? a->ms * 1000LL : 0));
    }
    if (const auto* s = std::get_if<InjectSegment>(&e)) {
      inject(*s);
    } else if (const auto* a = std::get_if<AdvanceClock>(&e)) {
      // Time before the first action changes nothing but clock-derived
      // numbers; skipping it keeps every run a script starting at time 0.
      if (started_) advance(std::chrono::milliseconds(a->ms));
    } else {
      call(std::get<SocketCall>(e));
    }
    world_.pump();
  }
}

void BinaryRunner::advance(Duration d) {
  // Timer by timer, so the peer sees each packet when it is sent; what is
  // already on the wire leaves after the first move, as it always did.
  world_.testbed().run_for(d, testbed::QueuedPackets::kDeliverAfterFirstMove);
}

void BinaryRunner::inject_raw(std::span<const uint8_t> packet) {
  begin_line();
  started_ = true;
  world_.send_to_stack(View::copy_of(packet));
  world_.pump();
}

void BinaryRunner::begin_line() {
  // Timers already due run first, as the script runner runs them before
  // each line it plays.
  advance(Duration::zero());
}

Event BinaryRunner::event_now(std::variant<PacketSpec, SyscallSpec, CommandSpec, CodeSpec> action) {
  Event e;
  e.time.start_us = script_us(clock().now());
  e.action = std::move(action);
  return e;
}

// ---- The peer's view ----

void BinaryRunner::receive(View packet) {
  auto ip = header::parse_ipv4(packet.bytes());
  if (!ip) return;
  auto seg = header::parse_tcp(ip->payload);
  if (!seg) return;
  const header::TcpHeader& h = seg->header;
  // Like packetdrill, the peer sees only the socket under test's packets.
  const bool syn = h.has(flag::kSyn);
  if (!sut_.sees(h.dst_port) || !sut_.compares(syn && !h.has(flag::kAck), h.src_port, h.dst_port)) {
    return;
  }
  if (syn) sut_.on_outbound_syn(0, h.seq, h.src_port);
  const uint32_t end = h.seq + static_cast<uint32_t>(seg->payload.size()) + (syn ? 1 : 0) +
                       (h.has(flag::kFin) ? 1 : 0);
  if (syn || static_cast<int32_t>(end - stack_next_) > 0) stack_next_ = end;
  if (auto ts = header::parse_tcp_options(h.options).timestamps) stack_ts_val_ = ts->value;
  if (options_.transcript != nullptr) {
    add_event(script_outbound_packet(h.seq, h, seg->payload.size(), sut_));
  }
}

void BinaryRunner::inject(const InjectSegment& s) {
  if (s.absolute) {
    // The escape: small numbers as a script would write them.
    send_inbound(s, static_cast<uint16_t>(s.seq_delta), static_cast<uint16_t>(s.ack_delta));
    return;
  }
  const auto live_seq = peer_next_ + static_cast<uint32_t>(static_cast<int32_t>(s.seq_delta));
  const auto live_ack = stack_next_ + static_cast<uint32_t>(static_cast<int32_t>(s.ack_delta));
  inject_at(s, live_seq, live_ack);
  // An in-order segment moves the peer's sequence number on.
  if (s.seq_delta == 0 && (s.flags & flag::kRst) == 0) {
    const bool syn = (s.flags & flag::kSyn) != 0;
    peer_next_ = live_seq + s.payload + (syn ? 1 : 0) + ((s.flags & flag::kFin) != 0 ? 1 : 0);
  }
}

void BinaryRunner::inject_at(const InjectSegment& s, uint32_t live_seq, uint32_t live_ack) {
  const bool syn = (s.flags & flag::kSyn) != 0;
  const bool ack = (s.flags & flag::kAck) != 0;
  // Script numbers. The first packet to a listener defines the remote ISN,
  // so its script number also stands for the offset (socket_under_test.h).
  const uint32_t seq = sut_.phase == SocketUnderTest::Phase::kListening
                           ? live_seq
                           : live_seq - sut_.remote_offset(syn);
  send_inbound(s, seq, live_ack - (ack ? sut_.local_offset(syn) : 0));
}

void BinaryRunner::send_inbound(const InjectSegment& s, uint32_t seq, uint32_t ack_number) {
  begin_line();
  started_ = true;
  const bool syn = (s.flags & flag::kSyn) != 0;
  const bool ack = (s.flags & flag::kAck) != 0;
  PacketSpec p;
  p.flags = s.flags;
  p.window = s.window;
  p.payload_length = s.payload;
  p.seq_start = seq;
  p.seq_end = p.seq_start + p.payload_length;
  p.ack = ack_number;
  if ((s.flags & flag::kUrg) != 0) p.urgent = s.urgent;

  // Options in Linux's layout. A TSecr can only echo a TSval the peer saw.
  std::vector<OptionSpec>& o = *p.options;
  o.reserve(10);  // the most the lines below add: one allocation
  using K = OptionSpec::Kind;
  if ((s.options & 1) != 0) o.push_back(option(K::kMss, 1460));
  const bool sack_ok = (s.options & 4) != 0;
  const bool ts = (s.options & 8) != 0 && (!ack || stack_ts_val_);
  if (sack_ok != ts) o.insert(o.end(), {option(K::kNop), option(K::kNop)});
  if (sack_ok) o.push_back(option(K::kSackPermitted));
  if (ts) {
    const auto now_ms =
        static_cast<uint32_t>((clock().now().nanos() - kScriptStartNanos) / 1'000'000);
    o.push_back(option(K::kTimestamp, now_ms, stack_ts_val_.value_or(0)));
  }
  if ((s.options & 2) != 0) o.insert(o.end(), {option(K::kNop), option(K::kWindowScale, 7)});
  if ((s.options & 16) != 0) {
    const uint32_t offset = sut_.local_offset(syn);
    OptionSpec sack = option(K::kSack);
    sack.sack_blocks = {{stack_next_ - 2000 - offset, stack_next_ - 1000 - offset}};
    o.insert(o.end(), {option(K::kNop), option(K::kNop), sack});
  }

  add_event(p);
  auto packet =
      live_inbound_packet(p, PeerAddresses{local_, remote_, kDefaultBindPort}, sut_,
                          [](uint32_t ts_val) { return std::optional<uint32_t>(ts_val); });
  if (!packet) return;  // cannot happen: window and options are always given
  world_.send_to_stack(std::move(*packet));
  world_.pump();
}

// ---- Socket calls ----

void BinaryRunner::complete(const CallOutcome& out) {
  if (!announced_) return;
  announced_->result = Expr::number(out.error != 0 ? -1 : out.result);
  if (out.error != 0) announced_->errno_name = std::string(errno_name(out.error));
  add_event(*std::move(announced_));
  announced_.reset();
}

int BinaryRunner::open_socket() {
  const int fd = calls_.lowest_free_fd();
  announce([] {
    return syscall("socket",
                   {Expr::ellipsis(), Expr::symbol("SOCK_STREAM"), Expr::symbol("IPPROTO_TCP")});
  });
  complete(calls_.socket(fd, IpAddress::Family::kV4));
  announce([fd] { return set_nonblocking(fd); });
  calls_.set_nonblocking(fd, true);
  complete(CallOutcome::ok(0));
  return fd;
}

void BinaryRunner::set_option(int fd, SockOpt option, int value) {
  begin_line();
  const bool linger = option == SockOpt::kLinger;
  announce([&] {
    const SocketOptionName name = socket_option_name(option);
    Expr argument = linger
                        ? Expr::fields({"onoff", "linger"}, {Expr::number(1), Expr::number(value)})
                        : Expr::array({Expr::number(value)});
    return syscall("setsockopt", {Expr::number(fd), Expr::symbol(std::string(name.level)),
                                  Expr::symbol(std::string(name.name)), std::move(argument),
                                  Expr::number(linger ? 8 : 4)});
  });
  complete(calls_.set_option(fd, option, value));
}

void BinaryRunner::close_fd(int fd) {
  begin_line();
  announce([fd] { return syscall("close", {Expr::number(fd)}); });
  complete(calls_.close(fd));
}

void BinaryRunner::call(const SocketCall& c) {
  begin_line();
  if (c.op == CallOp::kListen) {
    if (listener_fd_ >= 0) return;  // one listener; it is never closed
    const int fd = open_socket();
    announce([fd] { return with_fd_and_address("bind", fd); });
    complete(calls_.bind(fd));
    const int backlog = c.arg % 8;
    announce([&] { return syscall("listen", {Expr::number(fd), Expr::number(backlog)}); });
    complete(calls_.listen(fd, backlog));
    listener_fd_ = fd;
    return;
  }
  if (c.op == CallOp::kConnect) {
    const int fd = open_socket();
    announce([fd] { return with_fd_and_address("connect", fd); });
    const CallOutcome out = calls_.connect(fd);
    complete(out);
    if (out.error == EINPROGRESS) {
      connections_.push_back(fd);
      peer_next_ = kPeerIsn;  // the peer starts a fresh sequence space
    } else {
      close_fd(fd);
    }
    return;
  }
  if (c.op == CallOp::kAccept) {
    if (listener_fd_ < 0) return;
    const int listener = listener_fd_;
    announce([listener] { return with_fd_and_address("accept", listener); });
    tcp::EndpointId accepted = tcp::kNoEndpoint;
    const CallOutcome out = calls_.accept(listener, &accepted);
    if (accepted == tcp::kNoEndpoint) {
      complete(out);
      return;
    }
    const int fd = calls_.lowest_free_fd();
    calls_.adopt(fd, accepted);
    complete(CallOutcome::ok(fd));
    // Linux does not pass O_NONBLOCK on to accepted sockets.
    announce([fd] { return set_nonblocking(fd); });
    calls_.set_nonblocking(fd, true);
    complete(CallOutcome::ok(0));
    connections_.push_back(fd);
    return;
  }
  if (c.op == CallOp::kFastOpenSendto || c.op == CallOp::kFastOpenConnect) {
    fast_open_connect(c.op == CallOp::kFastOpenSendto ? std::optional<uint16_t>(c.arg)
                                                      : std::nullopt);
    return;
  }
  if (c.op == CallOp::kFastOpenQueue) {
    if (listener_fd_ >= 0) set_option(listener_fd_, SockOpt::kFastOpen, c.arg % 16);
    return;
  }
  if (connections_.empty()) return;
  const int fd = connections_.back();
  if (static_cast<uint8_t>(c.op) >= kClassicCallOpCount) {
    extended_call(fd, c);
    return;
  }
  switch (c.op) {
    case CallOp::kRead: {
      const uint16_t length = std::max<uint16_t>(c.arg, 1);
      const bool peek = (c.arg & 1) != 0;
      announce([&] {
        return peek ? syscall("recv", {Expr::number(fd), Expr::ellipsis(), Expr::number(length),
                                       Expr::symbol("MSG_PEEK")})
                    : syscall("read", {Expr::number(fd), Expr::ellipsis(), Expr::number(length)});
      });
      complete(calls_.read(fd, length, peek, false));
      break;
    }
    case CallOp::kWrite: {
      const bool more = (c.arg & 0x8000) != 0;
      announce([&] {
        return more ? syscall("send", {Expr::number(fd), Expr::ellipsis(), Expr::number(c.arg),
                                       Expr::symbol("MSG_MORE")})
                    : syscall("write", {Expr::number(fd), Expr::ellipsis(), Expr::number(c.arg)});
      });
      complete(calls_.write(fd, c.arg, {.more = more}, false));
      break;
    }
    case CallOp::kShutdownWrite:
    case CallOp::kShutdownRead: {
      const bool write = c.op == CallOp::kShutdownWrite;
      announce([&] {
        return syscall("shutdown", {Expr::number(fd), Expr::symbol(write ? "SHUT_WR" : "SHUT_RD")});
      });
      complete(calls_.shutdown(fd, write ? tcp::ShutdownHow::kWrite : tcp::ShutdownHow::kRead));
      break;
    }
    case CallOp::kClose:
      connections_.pop_back();
      close_fd(fd);
      break;
    case CallOp::kAbort:
      // What an application does to abort: SO_LINGER 0, then close.
      set_option(fd, SockOpt::kLinger, 0);
      connections_.pop_back();
      close_fd(fd);
      break;
    case CallOp::kNoDelay:
      set_option(fd, SockOpt::kNoDelay, c.arg & 1);
      break;
    case CallOp::kKeepAlive:
      set_option(fd, SockOpt::kKeepIdle, 1 + c.arg % 10);
      set_option(fd, SockOpt::kKeepIntvl, 1 + c.arg % 3);
      set_option(fd, SockOpt::kKeepAlive, 1);
      break;
    case CallOp::kUserTimeout:
      set_option(fd, SockOpt::kUserTimeout, c.arg);
      break;
    case CallOp::kLinger2:
      set_option(fd, SockOpt::kLinger2, static_cast<int16_t>(c.arg) % 130);
      break;
    case CallOp::kLingerZero:
      set_option(fd, SockOpt::kLinger, 0);
      break;
    case CallOp::kRcvBuf:
      set_option(fd, SockOpt::kRcvBuf, c.arg);
      break;
    case CallOp::kCork:
      set_option(fd, SockOpt::kCork, c.arg & 1);
      break;
    default:
      break;
  }
}

// ---- Tracing ----

void BinaryRunner::on_segment_in(Instant t, tcp::EndpointId id, tcp::State s,
                                 const header::TcpHeader& h, size_t len, tcp::Verdict v) {
  if (options_.tracer != nullptr) options_.tracer->on_segment_in(t, id, s, h, len, v);
}

void BinaryRunner::on_segment_out(Instant t, tcp::EndpointId id, tcp::State s,
                                  const tcp::SegmentOut& out) {
  if (options_.tracer != nullptr) options_.tracer->on_segment_out(t, id, s, out);
}

void BinaryRunner::on_transition(Instant t, tcp::EndpointId id, tcp::State from, tcp::State to,
                                 std::string_view cause) {
  states_[static_cast<size_t>(to)] = true;
  if (options_.tracer != nullptr) options_.tracer->on_transition(t, id, from, to, cause);
}

void BinaryRunner::on_timer(Instant t, tcp::EndpointId id, tcp::State s, tcp::TimerKind k) {
  if (options_.tracer != nullptr) options_.tracer->on_timer(t, id, s, k);
}

void BinaryRunner::on_socket_call(Instant t, tcp::EndpointId id, tcp::State s,
                                  std::string_view call, long result, const tcp::CallArgs& args) {
  if (options_.tracer != nullptr) options_.tracer->on_socket_call(t, id, s, call, result, args);
}

}  // namespace tcpfuzz::scenario
