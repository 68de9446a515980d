// What `tcpfuzz replay` shows of header_fuzzer and options_fuzzer inputs.
#include <ostream>
#include <string>

#include "fuzz/harness/replay.h"
#include "fuzz/harness/wire_targets.h"
#include "fuzz/scenario/packet_format.h"
#include "fuzz/scenario/packet_mapping.h"
#include "stack/header/ip.h"
#include "stack/header/tcp.h"
#include "stack/header/tcp_options.h"

namespace tcpfuzz::harness {

using namespace netstack;

namespace {

std::string describe_segment(std::span<const uint8_t> segment) {
  auto tcp = header::parse_tcp(segment);
  if (!tcp) return "TCP: " + std::string(header::to_string(tcp.error()));
  const header::TcpHeader& h = tcp->header;
  // The numbers as they are: the mapping of a socket under test that has
  // seen nothing is the identity.
  const scenario::PacketSpec p =
      scenario::script_outbound_packet(h.seq, h, tcp->payload.size(), scenario::SocketUnderTest{});
  return "TCP " + std::to_string(h.src_port) + " > " + std::to_string(h.dst_port) + " " +
         scenario::format_packet(p);
}

}  // namespace

std::string describe_frame(std::span<const uint8_t> in) {
  std::string s = std::to_string(in.size()) + " bytes\n  ";
  const auto v4 = header::parse_ipv4(in);
  if (v4) {
    return s + "IPv4 " + v4->header.src.to_string() + " > " + v4->header.dst.to_string() +
           " proto " + std::to_string(v4->header.protocol) + "\n  " + describe_segment(v4->payload);
  }
  if (auto v6 = header::parse_ipv6(in)) {
    return s + "IPv6 " + v6->header.src.to_string() + " > " + v6->header.dst.to_string() +
           " next header " + std::to_string(v6->header.next_header) + "\n  " +
           describe_segment(v6->payload);
  }
  return s + "not an IP packet: IPv4 says " + std::string(header::to_string(v4.error())) +
         ", IPv6 says " + std::string(header::to_string(header::parse_ipv6(in).error()));
}

void replay_header_input(std::span<const uint8_t> in, const ReplayOptions& options,
                         std::ostream& out) {
  out << "frame: " << describe_frame(in) << "\n";
  if (options.pcap != nullptr) options.pcap->record(Instant{}, in);
  out << "stack counters:";
  header_verdicts(in).for_each([&](std::string_view name, uint64_t v) {
    if (v != 0) out << " " << name << "=" << v;
  });
  out << "\n";
  run_header_input(in);
  out << "checks: passed\n";
}

void replay_options_input(std::span<const uint8_t> in, const ReplayOptions&, std::ostream& out) {
  out << "option space: " << in.size()
      << " bytes\n  as listed: " << scenario::format_options(scenario::options_in_order(in))
      << "\n";
  const header::TcpOptions o = header::parse_tcp_options(in);
  out << "  as the stack reads them:";
  if (o.mss) out << " mss " << *o.mss;
  if (o.window_scale) out << " wscale " << int(*o.window_scale);
  if (o.sack_permitted) out << " sackOK";
  if (o.timestamps) out << " TS val " << o.timestamps->value << " ecr " << o.timestamps->echo_reply;
  for (const header::SackBlock& b : o.sacks()) out << " sack " << b.start << ":" << b.end;
  out << "\n";
  run_options_input(in);
  out << "checks: passed\n";
}

}  // namespace tcpfuzz::harness
