#include "tests/tcp/tcp_harness.h"

#include <sstream>

namespace netstack::tcp::testing {

std::string Seg::describe() const {
  std::ostringstream o;
  o << header::flags_to_string(flags) << " seq " << seq << " ack " << ack << " win " << win
    << " len " << payload.size();
  if (options.mss) o << " mss " << *options.mss;
  if (options.window_scale) o << " wscale " << int{*options.window_scale};
  if (options.sack_permitted) o << " sackOK";
  if (options.timestamps)
    o << " TS " << options.timestamps->value << "/" << options.timestamps->echo_reply;
  for (const auto& b : options.sacks()) o << " sack " << b.start << ":" << b.end;
  return o.str();
}

PeerHarness::PeerHarness(Config config, uint64_t seed, IpAddress::Family family)
    : stack(clock, StackOptions{seed}),
      tcp(stack, config),
      local(*IpAddress::parse(family == IpAddress::Family::kV6 ? "2001:db8::1" : "192.0.2.1")),
      remote(*IpAddress::parse(family == IpAddress::Family::kV6 ? "2001:db8::2" : "192.0.2.2")) {
  const NicId nic = stack.add_nic(wire.side(LoopbackLink::Side::kA));
  stack.add_address(nic, local);
  wire.attach(LoopbackLink::Side::kA, &stack.nic_receiver(nic));
  wire.attach(LoopbackLink::Side::kB, &capture_);
}

void PeerHarness::in(Seg s) {
  header::TcpPacketSpec spec;
  spec.src = remote;
  spec.dst = local;
  spec.tcp.src_port = s.src_port != 0 ? s.src_port : kRemotePort;
  spec.tcp.dst_port = s.dst_port != 0 ? s.dst_port : kLocalPort;
  spec.tcp.seq = s.seq;
  spec.tcp.ack = s.ack;
  spec.tcp.flags = s.flags;
  spec.tcp.window = s.win;
  spec.options = s.options;
  spec.payload = s.payload;
  wire.side(LoopbackLink::Side::kB).send(header::build_tcp_packet(spec));
  wire.pump();
}

Seg PeerHarness::out() {
  clock.advance(Duration(0));  // what is due now (e.g. a zero-delay delayed ACK) happens first
  wire.pump();
  if (capture_.packets.empty()) {
    ADD_FAILURE() << "expected an outbound segment, the stack sent none";
    return {};
  }
  View p = std::move(capture_.packets.front());
  capture_.packets.pop_front();
  std::span<const uint8_t> segment;
  if (local.is_v4()) {
    auto ip = header::parse_ipv4(p.bytes());
    EXPECT_TRUE(ip.has_value());
    if (!ip) return {};
    EXPECT_EQ(ip->header.src, local);
    segment = ip->payload;
  } else {
    auto ip = header::parse_ipv6(p.bytes());
    EXPECT_TRUE(ip.has_value());
    if (!ip) return {};
    EXPECT_EQ(ip->header.src, local);
    EXPECT_EQ(ip->header.next_header, header::kProtocolTcp);
    segment = ip->payload;
  }
  auto tcp_seg = header::parse_tcp(segment);
  EXPECT_TRUE(tcp_seg.has_value());
  if (!tcp_seg) return {};
  EXPECT_TRUE(header::verify_tcp_checksum(segment, local, remote));
  Seg s;
  s.flags = tcp_seg->header.flags;
  s.seq = tcp_seg->header.seq;
  s.ack = tcp_seg->header.ack;
  s.win = tcp_seg->header.window;
  s.options = header::parse_tcp_options(tcp_seg->header.options);
  s.payload.assign(tcp_seg->payload.begin(), tcp_seg->payload.end());
  s.src_port = tcp_seg->header.src_port;
  s.dst_port = tcp_seg->header.dst_port;
  if ((s.flags & kSyn) != 0) our_iss = s.seq;
  return s;
}

void PeerHarness::out_nothing() {
  clock.advance(Duration(0));
  wire.pump();
  if (!capture_.packets.empty()) {
    Seg s = out();
    ADD_FAILURE() << "expected no outbound segment, got " << s.describe();
  }
}

void PeerHarness::advance(Duration d) {
  clock.advance(d);
  wire.pump();
}

EndpointId PeerHarness::listen(int backlog) {
  const EndpointId id = tcp.open(local.family());
  Endpoint* ep = tcp.find(id);
  EXPECT_EQ(ep->bind(local, kLocalPort), 0);
  EXPECT_EQ(ep->listen(backlog), 0);
  return id;
}

Endpoint& PeerHarness::establish_passive(uint32_t peer_iss, header::TcpOptions syn_options) {
  const EndpointId l = listen();
  if (!syn_options.mss) syn_options.mss = 1460;
  in(Seg{.flags = kSyn, .seq = peer_iss, .options = syn_options});
  const Seg synack = out();
  EXPECT_EQ(synack.flags, kSyn | kAck);
  Seg ack{.flags = kAck, .seq = peer_iss + 1, .ack = synack.seq + 1};
  if (syn_options.timestamps && synack.options.timestamps) {
    // The ACK carries a newer TSval and echoes the SYN-ACK's.
    ack.options.timestamps =
        header::Timestamps{syn_options.timestamps->value + 1, synack.options.timestamps->value};
  }
  in(ack);
  auto accepted = tcp.find(l)->accept();
  EXPECT_TRUE(accepted.has_value());
  return *tcp.find(*accepted);
}

Endpoint& PeerHarness::connect() {
  const EndpointId id = tcp.open(local.family());
  Endpoint& ep = *tcp.find(id);
  EXPECT_EQ(ep.bind(local, kLocalPort), 0);
  EXPECT_EQ(ep.connect(remote, kRemotePort), EINPROGRESS);
  return ep;
}

TwoStacks::TwoStacks(Config config, std::optional<FaultPlan> faults)
    : client_stack(clock, StackOptions{11}),
      server_stack(clock, StackOptions{22}),
      client(client_stack, config),
      server(server_stack, config) {
  Link* client_link = &wire.side(LoopbackLink::Side::kA);
  Link* server_link = &wire.side(LoopbackLink::Side::kB);
  if (faults) {
    client_faults = std::make_unique<FaultyLink>(*client_link, clock, *faults);
    faults->seed += 1;
    server_faults = std::make_unique<FaultyLink>(*server_link, clock, *faults);
    client_link = client_faults.get();
    server_link = server_faults.get();
  }
  const NicId c = client_stack.add_nic(*client_link);
  client_stack.add_address(c, client_address);
  wire.attach(LoopbackLink::Side::kA, &client_stack.nic_receiver(c));
  const NicId s = server_stack.add_nic(*server_link);
  server_stack.add_address(s, server_address);
  wire.attach(LoopbackLink::Side::kB, &server_stack.nic_receiver(s));
}

}  // namespace netstack::tcp::testing
