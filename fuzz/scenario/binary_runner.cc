#include "fuzz/scenario/binary_runner.h"

#include <algorithm>

#include "stack/header/ip.h"
#include "stack/header/tcp.h"
#include "stack/header/tcp_options.h"
#include "stack/header/tcp_packet.h"

namespace tcpfuzz::scenario {

using namespace netstack;
namespace flag = header::tcp_flag;

namespace {
constexpr uint16_t kPeerPort = 40000;
constexpr uint16_t kListenPort = 8080;
}  // namespace

BinaryRunner::BinaryRunner(uint64_t seed)
    : stack_(clock_, StackOptions{seed}),
      tcp_(stack_),
      local_(*IpAddress::parse("192.0.2.1")),
      remote_(*IpAddress::parse("192.0.2.2")) {
  const NicId nic = stack_.add_nic(wire_.side(LoopbackLink::Side::kA));
  stack_.add_address(nic, local_);
  wire_.attach(LoopbackLink::Side::kA, &stack_.nic_receiver(nic));
  wire_.attach(LoopbackLink::Side::kB, this);
  tcp_.set_tracer(this);
}

void BinaryRunner::run(const std::vector<BinaryEvent>& events) {
  for (const BinaryEvent& e : events) {
    if (const auto* s = std::get_if<InjectSegment>(&e)) {
      inject(*s);
    } else if (const auto* a = std::get_if<AdvanceClock>(&e)) {
      clock_.advance(std::chrono::milliseconds(a->ms));
    } else {
      call(std::get<SocketCall>(e));
    }
    wire_.pump();
  }
}

void BinaryRunner::receive(View packet) {
  auto ip = header::parse_ipv4(packet.bytes());
  if (!ip) return;
  auto seg = header::parse_tcp(ip->payload);
  if (!seg) return;
  const header::TcpHeader& h = seg->header;
  uint32_t len = static_cast<uint32_t>(seg->payload.size());
  if (h.has(flag::kSyn)) ++len;
  if (h.has(flag::kFin)) ++len;
  const uint32_t end = h.seq + len;
  if (h.has(flag::kSyn) || static_cast<int32_t>(end - stack_next_) > 0) stack_next_ = end;
  stack_port_ = h.src_port;
  if (auto ts = header::parse_tcp_options(h.options).timestamps) stack_tsval_ = ts->value;
}

void BinaryRunner::on_transition(Instant, tcp::EndpointId, tcp::State, tcp::State to,
                                 std::string_view) {
  states_[static_cast<size_t>(to)] = true;
}

void BinaryRunner::inject(const InjectSegment& s) {
  header::TcpPacketSpec spec;
  spec.src = remote_;
  spec.dst = local_;
  spec.tcp.src_port = kPeerPort;
  spec.tcp.dst_port = stack_port_;
  spec.tcp.flags = s.flags;
  spec.tcp.seq = s.absolute ? static_cast<uint16_t>(s.seq_delta)
                            : peer_next_ + static_cast<uint32_t>(static_cast<int32_t>(s.seq_delta));
  spec.tcp.ack = s.absolute ? static_cast<uint16_t>(s.ack_delta)
                            : stack_next_ + static_cast<uint32_t>(static_cast<int32_t>(s.ack_delta));
  spec.tcp.window = s.window;
  header::TcpOptions& o = spec.options;
  if ((s.options & 1) != 0) o.mss = 1460;
  if ((s.options & 2) != 0) o.window_scale = 7;
  if ((s.options & 4) != 0) o.sack_permitted = true;
  if ((s.options & 8) != 0) {
    o.timestamps = header::Timestamps{static_cast<uint32_t>(clock_.now().nanos() / 1'000'000), stack_tsval_};
  }
  if ((s.options & 16) != 0) o.add_sack({stack_next_ - 2000, stack_next_ - 1000});
  const std::vector<uint8_t> payload(s.payload, 0x61);
  spec.payload = payload;
  wire_.side(LoopbackLink::Side::kB).send(header::build_tcp_packet(spec));
  wire_.pump();
  // An in-order segment moves the peer's sequence number on.
  if (!s.absolute && s.seq_delta == 0 && (s.flags & flag::kRst) == 0) {
    peer_next_ += s.payload + ((s.flags & flag::kSyn) != 0 ? 1 : 0) + ((s.flags & flag::kFin) != 0 ? 1 : 0);
  }
}

tcp::Endpoint* BinaryRunner::current() {
  while (!connections_.empty()) {
    if (tcp::Endpoint* ep = tcp_.find(connections_.back())) return ep;
    connections_.pop_back();
  }
  return nullptr;
}

void BinaryRunner::call(const SocketCall& c) {
  using tcp::SockOpt;
  if (c.op == CallOp::kListen) {
    if (tcp_.find(listener_) != nullptr) return;
    listener_ = tcp_.open(IpAddress::Family::kV4);
    tcp::Endpoint* l = tcp_.find(listener_);
    (void)l->bind(local_, kListenPort);
    (void)l->listen(c.arg % 8);
    return;
  }
  if (c.op == CallOp::kConnect) {
    const tcp::EndpointId id = tcp_.open(IpAddress::Family::kV4);
    if (tcp_.find(id)->connect(remote_, kPeerPort) == EINPROGRESS) {
      connections_.push_back(id);
      peer_next_ = 1000;  // the peer starts a fresh sequence space
    } else {
      tcp_.find(id)->close();
    }
    return;
  }
  if (c.op == CallOp::kAccept) {
    if (tcp::Endpoint* l = tcp_.find(listener_)) {
      if (auto id = l->accept()) connections_.push_back(*id);
    }
    return;
  }
  tcp::Endpoint* ep = current();
  if (ep == nullptr) return;
  switch (c.op) {
    case CallOp::kRead: {
      std::vector<uint8_t> buf(std::max<uint16_t>(c.arg, 1));
      (void)ep->read(buf, (c.arg & 1) != 0);
      break;
    }
    case CallOp::kWrite: {
      const std::vector<uint8_t> data(c.arg, 0x62);
      (void)ep->write(data, (c.arg & 0x8000) != 0);
      break;
    }
    case CallOp::kShutdownWrite:
      (void)ep->shutdown(tcp::ShutdownHow::kWrite);
      break;
    case CallOp::kShutdownRead:
      (void)ep->shutdown(tcp::ShutdownHow::kRead);
      break;
    case CallOp::kClose:
      ep->close();
      connections_.pop_back();
      break;
    case CallOp::kAbort:
      ep->abort();
      break;
    case CallOp::kNoDelay:
      (void)ep->set_option(SockOpt::kNoDelay, c.arg & 1);
      break;
    case CallOp::kKeepAlive:
      (void)ep->set_option(SockOpt::kKeepIdle, 1 + c.arg % 10);
      (void)ep->set_option(SockOpt::kKeepIntvl, 1 + c.arg % 3);
      (void)ep->set_option(SockOpt::kKeepAlive, 1);
      break;
    case CallOp::kUserTimeout:
      (void)ep->set_option(SockOpt::kUserTimeout, c.arg);
      break;
    case CallOp::kLinger2:
      (void)ep->set_option(SockOpt::kLinger2, static_cast<int16_t>(c.arg) % 130);
      break;
    case CallOp::kLingerZero:
      (void)ep->set_option(SockOpt::kLinger, 0);
      break;
    case CallOp::kRcvBuf:
      (void)ep->set_option(SockOpt::kRcvBuf, c.arg);
      break;
    case CallOp::kCork:
      (void)ep->set_option(SockOpt::kCork, c.arg & 1);
      break;
    default:
      break;
  }
}

}  // namespace tcpfuzz::scenario
