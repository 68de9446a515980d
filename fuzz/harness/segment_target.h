// segment_fuzzer's input: raw IPv4/IPv6 packets, as records
//   flags (u8: bit 0 = keep the checksums as they are), delay (u16 ms,
//   big-endian), length (u16, big-endian), the packet's bytes
// delivered, each after its delay, to a stack that listens on
// 192.168.0.1:8080 and has accepted a connection from 192.0.2.1:48000 (the
// peer's ISN is 1000; the stack's is fixed by the seed) and written 5000
// bytes to it, of which the initial window is in flight. The harness fixes
// the IPv4 and TCP checksums unless the record says not to, so mutated
// packets reach TCP; the stack's own checks stay on. After each packet the
// application reads what arrived, so windows keep opening. A truncated last
// record is dropped.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "fuzz/scenario/binary_runner.h"
#include "stack/tcp/trace.h"

namespace tcpfuzz::harness {

struct SegmentRecord {
  bool keep_checksums = false;
  uint16_t delay_ms = 0;
  std::span<const uint8_t> packet;
};

// The harness's connection before its first record: the peer's next
// sequence number and the stack's ISN + 1, which records number from (what
// `tcpfuzz import` maps captured packets onto).
struct SegmentConnection {
  uint32_t peer_next = 0;
  uint32_t stack_una = 0;
};
SegmentConnection segment_connection();

std::vector<SegmentRecord> decode_segments(std::span<const uint8_t> input);
std::vector<uint8_t> encode_segments(const std::vector<SegmentRecord>& records);

void run_segment_input(std::span<const uint8_t> input);
// The run on `runner`, fresh or reset (run_segment_input keeps one runner
// and resets it before each input).
void play_segments(std::span<const uint8_t> input, scenario::BinaryRunner& runner);
// The same run with the runner's options (tracer, pcap).
void run_segments(std::span<const uint8_t> input, const scenario::BinaryRunOptions& options);
void observe_segment_input(std::span<const uint8_t> input, netstack::tcp::Tracer& tracer);

}  // namespace tcpfuzz::harness
