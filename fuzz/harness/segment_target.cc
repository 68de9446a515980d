#include "fuzz/harness/segment_target.h"

#include "fuzz/harness/run_oracle.h"
#include "fuzz/harness/state_feedback.h"
#include "stack/header/byte_order.h"
#include "stack/header/tcp.h"
#include "stack/header/tcp_packet.h"

namespace tcpfuzz::harness {

using namespace scenario;
namespace flag = netstack::header::tcp_flag;

namespace {

constexpr size_t kRecordHeader = 5;
constexpr uint8_t kSynOptions = 1 | 2 | 4 | 8;  // MSS, WS, SACK-permitted, TS

// Listen, complete a passive open, accept.
const std::vector<BinaryEvent>& handshake() {
  static const std::vector<BinaryEvent> events{
      SocketCall{CallOp::kListen, 4},
      InjectSegment{.flags = flag::kSyn, .window = 65535, .options = kSynOptions},
      InjectSegment{.flags = flag::kAck, .window = 502, .options = 8},
      SocketCall{CallOp::kAccept, 0},
  };
  return events;
}

const std::vector<BinaryEvent>& send_data() {
  static const std::vector<BinaryEvent> events{
      SocketCall{CallOp::kWrite, 5000},  // data in flight, for ACKs to act on
  };
  return events;
}

const std::vector<BinaryEvent>& drain() {
  static const std::vector<BinaryEvent> events{SocketCall{CallOp::kRead, 65534}};
  return events;
}

}  // namespace

void play_segments(std::span<const uint8_t> input, BinaryRunner& runner) {
  runner.run(handshake());
  runner.run(send_data());
  std::vector<uint8_t> packet;
  for (const SegmentRecord& r : decode_segments(input)) {
    runner.advance(std::chrono::milliseconds(r.delay_ms));
    packet.assign(r.packet.begin(), r.packet.end());
    if (!r.keep_checksums) netstack::header::recompute_checksums(packet);
    runner.inject_raw(packet);
    runner.run(drain());
  }
}

void run_segments(std::span<const uint8_t> input, const BinaryRunOptions& options) {
  BinaryRunner runner(options);
  play_segments(input, runner);
}

SegmentConnection segment_connection() {
  BinaryRunner runner;
  runner.run(handshake());
  return {.peer_next = runner.peer_next(), .stack_una = runner.stack_next()};
}

std::vector<SegmentRecord> decode_segments(std::span<const uint8_t> input) {
  std::vector<SegmentRecord> records;
  size_t i = 0;
  while (i + kRecordHeader <= input.size()) {
    const size_t length = netstack::header::load_be16(&input[i + 3]);
    if (i + kRecordHeader + length > input.size()) break;
    records.push_back(SegmentRecord{(input[i] & 1) != 0, netstack::header::load_be16(&input[i + 1]),
                                    input.subspan(i + kRecordHeader, length)});
    i += kRecordHeader + length;
  }
  return records;
}

std::vector<uint8_t> encode_segments(const std::vector<SegmentRecord>& records) {
  std::vector<uint8_t> out;
  for (const SegmentRecord& r : records) {
    const size_t at = out.size();
    out.resize(at + kRecordHeader);
    out[at] = r.keep_checksums ? 1 : 0;
    netstack::header::store_be16(&out[at + 1], r.delay_ms);
    netstack::header::store_be16(&out[at + 3], static_cast<uint16_t>(r.packet.size()));
    out.insert(out.end(), r.packet.begin(), r.packet.end());
  }
  return out;
}

void run_segment_input(std::span<const uint8_t> input) {
  // One runner and one oracle for the whole process, reset before each input.
  static StateFeedback feedback;
  static RunOracle oracle(oracle::oracle_enabled(), &feedback);
  static BinaryRunner runner(oracle.options({}));
  runner.reset();
  oracle.reset();
  play_segments(input, runner);
  oracle.finish(runner.clock().now());
}

void observe_segment_input(std::span<const uint8_t> input, netstack::tcp::Tracer& tracer) {
  run_segments(input, {.tracer = &tracer});
}

}  // namespace tcpfuzz::harness
