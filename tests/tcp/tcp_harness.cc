#include "tests/tcp/tcp_harness.h"

#include <sstream>

#include "stack/header/icmp.h"

namespace netstack::tcp::testing {

std::string Seg::describe() const {
  std::ostringstream o;
  o << header::flags_to_string(flags) << " seq " << seq << " ack " << ack << " win " << win
    << " len " << payload.size();
  if (options.mss) o << " mss " << *options.mss;
  if (options.window_scale) o << " wscale " << int{*options.window_scale};
  if (options.sack_permitted) o << " sackOK";
  if (options.timestamps) {
    o << " TS " << options.timestamps->value << "/" << options.timestamps->echo_reply;
  }
  for (const auto& b : options.sacks()) o << " sack " << b.start << ":" << b.end;
  return o.str();
}

PeerHarness::PeerHarness(Config config, uint64_t seed, IpAddress::Family family)
    : local(*IpAddress::parse(family == IpAddress::Family::kV6 ? "2001:db8::1" : "192.0.2.1")),
      remote(*IpAddress::parse(family == IpAddress::Family::kV6 ? "2001:db8::2" : "192.0.2.2")),
      host(bed.add_host({.seed = seed, .config = config})),
      peer(bed.add_peer({host, local})),
      clock(bed.clock()),
      stack(bed.host(host).stack()),
      tcp(bed.host(host).tcp()) {}

void PeerHarness::icmp_error(uint8_t type, uint8_t code, uint32_t seq, uint32_t mtu,
                             uint16_t local_port) {
  header::IcmpErrorPacket p;
  p.from = remote;
  p.message = header::IcmpError{.v6 = local.is_v6(),
                                .type = type,
                                .code = code,
                                .mtu = mtu,
                                .src = local,
                                .dst = remote,
                                .src_port = local_port,
                                .dst_port = kRemotePort,
                                .seq = seq};
  p.quoted_total_length = 1500;
  peer.send(View::copy_of(header::build_icmp_error(p)));
  bed.pump();
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
  spec.tcp.urgent = s.urgent;
  spec.options = s.options;
  spec.payload = s.payload;
  View packet = header::build_tcp_packet(spec);
  packet.set_gso_size(s.gso_size);
  peer.send(std::move(packet));
  bed.pump();
}

Seg PeerHarness::out() {
  bed.run_for(
      Duration(0),
      tcpfuzz::testbed::QueuedPackets::kDeliverFirst);  // what is due now (e.g. a zero-delay
                                                        // delayed ACK) happens first
  std::optional<View> sent = peer.take();
  if (!sent) {
    ADD_FAILURE() << "expected an outbound segment, the stack sent none";
    return {};
  }
  View p = std::move(*sent);
  std::span<const uint8_t> segment;
  uint8_t tos = 0;
  if (local.is_v4()) {
    auto ip = header::parse_ipv4(p.bytes());
    EXPECT_TRUE(ip.has_value());
    if (!ip) return {};
    EXPECT_EQ(ip->header.src, local);
    segment = ip->payload;
    tos = ip->header.tos;
  } else {
    auto ip = header::parse_ipv6(p.bytes());
    EXPECT_TRUE(ip.has_value());
    if (!ip) return {};
    EXPECT_EQ(ip->header.src, local);
    EXPECT_EQ(ip->header.next_header, header::kProtocolTcp);
    segment = ip->payload;
    tos = ip->header.traffic_class;
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
  s.urgent = tcp_seg->header.urgent;
  s.options = header::parse_tcp_options(tcp_seg->header.options);
  s.payload.assign(tcp_seg->payload.begin(), tcp_seg->payload.end());
  s.src_port = tcp_seg->header.src_port;
  s.dst_port = tcp_seg->header.dst_port;
  s.tos = tos;
  if ((s.flags & kSyn) != 0) our_iss = s.seq;
  return s;
}

void PeerHarness::out_nothing() {
  bed.run_for(Duration(0), tcpfuzz::testbed::QueuedPackets::kDeliverFirst);
  if (peer.pending() > 0) {
    Seg s = out();
    ADD_FAILURE() << "expected no outbound segment, got " << s.describe();
  }
}

void PeerHarness::advance(Duration d) {
  bed.run_for(d, tcpfuzz::testbed::QueuedPackets::kDeliverFirst);
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

Endpoint& PeerHarness::connect_with_syn_data(size_t bytes) {
  const EndpointId id = tcp.open(local.family());
  Endpoint& ep = *tcp.find(id);
  EXPECT_EQ(ep.bind(local, kLocalPort), 0);
  const std::vector<uint8_t> data(bytes, 7);
  EXPECT_EQ(ep.send_fast_open(remote, kRemotePort, data).value_or(0), bytes);
  return ep;
}

TwoStacks::TwoStacks(Config config, std::optional<FaultPlan> faults)
    : client_host(bed.add_host({.seed = 11, .config = config})),
      server_host(bed.add_host({.seed = 22, .config = config})),
      clock(bed.clock()),
      client_stack(bed.host(client_host).stack()),
      server_stack(bed.host(server_host).stack()),
      client(bed.host(client_host).tcp()),
      server(bed.host(server_host).tcp()) {
  bed.add_link(
      {client_host, client_address}, {server_host, server_address},
      faults ? tcpfuzz::testbed::LinkOptions::faulty(*faults) : tcpfuzz::testbed::LinkOptions{});
}

}  // namespace netstack::tcp::testing
