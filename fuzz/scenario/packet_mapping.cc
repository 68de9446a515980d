#include "fuzz/scenario/packet_mapping.h"

#include <vector>

#include "fuzz/scenario/packet_format.h"
#include "stack/header/icmp.h"
#include "stack/header/ip.h"
#include "stack/header/tcp_packet.h"

namespace tcpfuzz::scenario {

using namespace netstack;
namespace flag = header::tcp_flag;

Expected<View, std::string> live_inbound_packet(const PacketSpec& p, const PeerAddresses& a,
                                                SocketUnderTest& sut,
                                                const LiveTsVal& live_ts_val) {
  if (!p.window) return Unexpected{std::string("window must be specified for inbound packets")};
  if (!p.options) return Unexpected{std::string("<...> is only allowed on outbound packets")};
  const bool syn = (p.flags & flag::kSyn) != 0;
  const bool ack = (p.flags & flag::kAck) != 0;
  sut.on_inbound(p.seq_start, syn, ack, a.bind_port);
  header::TcpPacketSpec spec;
  spec.src = a.remote;
  spec.dst = a.local;
  spec.ttl = p.ip.ttl != 0 ? p.ip.ttl : 255;
  spec.dont_fragment = false;  // packetdrill's own packets
  // "[ect0]" and friends set the ECN bits, "[tos 0x..]" the whole byte.
  if (p.ip.check == IpInfo::TosCheck::kEcn || p.ip.check == IpInfo::TosCheck::kTos) {
    spec.tos = p.ip.value;
  }
  spec.tcp.src_port = sut.remote_port;
  spec.tcp.dst_port = sut.local_port != 0 ? sut.local_port : a.bind_port;
  if (p.ports) {  // explicit ports are kept as written (packetdrill opt_port_info)
    spec.tcp.src_port = p.ports->first;
    spec.tcp.dst_port = p.ports->second;
  }
  spec.tcp.flags = p.flags;
  spec.tcp.seq = p.seq_start + sut.remote_offset(syn);
  spec.tcp.ack = p.ack.value_or(0) + (ack ? sut.local_offset(syn) : 0);
  spec.tcp.window = static_cast<uint16_t>(*p.window);
  spec.tcp.urgent = static_cast<uint16_t>(p.urgent.value_or(0));
  // Timestamp echoes and SACK blocks change from script to live numbers;
  // the other options are encoded as they stand (the fuzzers send every
  // segment through here: one allocation, no copies).
  std::vector<uint8_t> raw;
  raw.reserve(header::kTcpMaxOptionsLength);
  for (const OptionSpec& o : *p.options) {
    if (o.kind == OptionSpec::Kind::kTimestamp && ack) {
      const std::optional<uint32_t> live = live_ts_val(o.value2);
      if (!live) {
        return Unexpected{"unable to infer live TS ecr " + std::to_string(o.value2) +
                          ": no outbound packet had that TS val"};
      }
      OptionSpec echo = o;
      echo.value2 = *live;
      append_option_bytes(echo, raw);
    } else if (o.kind == OptionSpec::Kind::kSack) {
      OptionSpec sack = o;
      for (auto& [left, right] : sack.sack_blocks) {
        left += sut.local_offset(syn);
        right += sut.local_offset(syn);
      }
      append_option_bytes(sack, raw);
    } else {
      append_option_bytes(o, raw);
    }
  }
  if (raw.size() % 4 != 0) return Unexpected{std::string("TCP options are not padded correctly")};
  if (raw.size() > header::kTcpMaxOptionsLength) {
    return Unexpected{std::string("TCP options too long")};
  }
  spec.raw_options = std::span<const uint8_t>(raw);
  // The peer's payload is zeros, as packetdrill's is.
  static const std::vector<uint8_t> zeros(0xffff, 0);
  if (p.payload_length > zeros.size()) {
    return Unexpected{std::string("payload longer than an IP packet can hold")};
  }
  spec.payload = std::span<const uint8_t>(zeros).first(p.payload_length);
  return header::build_tcp_packet(spec);
}

View live_inbound_icmp(const PacketSpec& p, const PeerAddresses& a, const SocketUnderTest& sut) {
  const IcmpSpec& icmp = *p.icmp;
  header::IcmpErrorPacket out;
  // packetdrill new_icmp_packet(): the message comes from the peer's
  // address and quotes a segment the stack sent it, whose sequence number
  // is mapped like the stack's own (map_inbound_icmp_tcp_packet()).
  out.from = a.remote;
  header::IcmpError& m = out.message;
  m.v6 = a.local.is_v6();
  m.type = icmp.type_byte;
  m.code = icmp.code_byte;
  m.mtu = icmp.mtu.value_or(0);
  m.src = a.local;
  m.dst = a.remote;
  m.src_port = sut.local_port != 0 ? sut.local_port : a.bind_port;
  m.dst_port = sut.remote_port;
  m.seq = icmp.quoted_seq + sut.local_offset(false);
  const uint32_t headers = (m.v6 ? 40 : 20) + header::kTcpMinHeaderLength;
  out.quoted_total_length = static_cast<uint16_t>(headers + icmp.quoted_length);
  return View::copy_of(header::build_icmp_error(out));
}

IpInfo live_ip_fields(const View& packet) {
  IpInfo ip;
  ip.check = IpInfo::TosCheck::kTos;
  const std::span<const uint8_t> bytes = packet.bytes();
  if (bytes.empty()) return ip;
  if (bytes[0] >> 4 == 4) {
    if (auto v4 = header::parse_ipv4(bytes)) {
      ip.value = v4->header.tos;
      ip.ttl = v4->header.ttl;
    }
  } else if (auto v6 = header::parse_ipv6(bytes)) {
    ip.value = v6->header.traffic_class;
    ip.ttl = v6->header.hop_limit;
  }
  return ip;
}

PacketSpec script_outbound_packet(uint32_t first_seq, const header::TcpHeader& last, size_t payload,
                                  const SocketUnderTest& sut) {
  PacketSpec out;
  out.direction = PacketSpec::Direction::kOutbound;
  const bool syn = last.has(flag::kSyn);
  out.flags = last.flags;
  out.seq_start = first_seq - sut.local_offset(syn);
  out.payload_length = static_cast<uint32_t>(payload);
  out.seq_end = out.seq_start + out.payload_length;
  out.ack = last.ack - (last.has(flag::kAck) ? sut.remote_offset(syn) : 0);
  out.window = last.window;
  out.urgent = last.urgent;
  out.options = options_in_order(last.options);
  for (OptionSpec& o : *out.options) {
    if (o.kind != OptionSpec::Kind::kSack) continue;
    for (auto& [left, right] : o.sack_blocks) {
      left -= sut.remote_offset(syn);
      right -= sut.remote_offset(syn);
    }
  }
  return out;
}

}  // namespace tcpfuzz::scenario
