#include "fuzz/import/flow_segments.h"

#include <algorithm>
#include <optional>

#include "fuzz/harness/segment_target.h"
#include "fuzz/scenario/socket_under_test.h"
#include "stack/header/tcp_packet.h"

namespace tcpfuzz::import {

namespace flag = netstack::header::tcp_flag;

std::vector<uint8_t> conversation_segments(const Conversation& c) {
  const harness::SegmentConnection harness = harness::segment_connection();
  const auto peer = *netstack::IpAddress::parse(scenario::kRemoteIpv4);
  const auto stack = *netstack::IpAddress::parse(scenario::kLocalIpv4);
  std::vector<std::vector<uint8_t>> packets;
  std::vector<harness::SegmentRecord> records;
  std::optional<uint32_t> first_ts_val;
  int64_t previous_ms = 0;
  for (const CapturedSegment* s : c.segments) {
    if (c.from_stack(*s) || (s->flags & flag::kSyn) != 0) continue;
    netstack::header::TcpPacketSpec spec;
    spec.src = peer;
    spec.dst = stack;
    spec.tcp.src_port = scenario::kRemoteEphemeralPort;
    spec.tcp.dst_port = scenario::kDefaultBindPort;
    spec.tcp.seq = harness.peer_next + c.relative_seq(*s) - 1;
    spec.tcp.ack =
        (s->flags & flag::kAck) != 0 ? harness.stack_una + c.relative_ack(s->ack, false) - 1 : 0;
    spec.tcp.flags = s->flags;
    spec.tcp.window = s->window;
    spec.tcp.urgent = s->urgent;
    spec.options = netstack::header::parse_tcp_options(s->options);
    if (auto& ts = spec.options.timestamps) {
      if (!first_ts_val) first_ts_val = ts->value;
      *ts = {.value = ts->value - *first_ts_val, .echo_reply = 0};
    }
    for (netstack::header::SackBlock& b : spec.options.sack_blocks) {
      b = {harness.stack_una + c.relative_ack(b.start, false) - 1,
           harness.stack_una + c.relative_ack(b.end, false) - 1};
    }
    spec.payload = s->payload;
    const netstack::View packet = netstack::header::build_tcp_packet(spec);
    packets.emplace_back(packet.bytes().begin(), packet.bytes().end());
    // Whole milliseconds since the SYN, so the delays add up to the capture's time.
    const int64_t at_ms = c.time_ns(*s) / 1'000'000;
    const int64_t gap_ms = at_ms - previous_ms;
    previous_ms = at_ms;
    records.push_back(harness::SegmentRecord{
        .delay_ms = static_cast<uint16_t>(std::clamp<int64_t>(gap_ms, 0, 0xffff)), .packet = {}});
  }
  // The records point into `packets`, complete only now.
  for (size_t i = 0; i < records.size(); ++i) records[i].packet = packets[i];
  return harness::encode_segments(records);
}

}  // namespace tcpfuzz::import
