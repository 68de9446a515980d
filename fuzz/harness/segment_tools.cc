// What `tcpfuzz replay` shows of segment_fuzzer inputs.
#include "fuzz/harness/replay.h"
#include "fuzz/harness/segment_target.h"
#include "fuzz/scenario/trace_log.h"

namespace tcpfuzz::harness {

void replay_segment_input(std::span<const uint8_t> input, const ReplayOptions& options,
                          std::ostream& out) {
  const auto records = decode_segments(input);
  out << "records (" << records.size() << " from " << input.size() << " bytes), after the "
      << "handshake of a connection from 192.0.2.1:48000:\n";
  for (const SegmentRecord& r : records) {
    out << "  after " << r.delay_ms << " ms"
        << (r.keep_checksums ? ", checksums kept as they are" : "") << ": "
        << describe_frame(r.packet) << "\n";
  }
  scenario::TraceLog trace(/*keep_all=*/false);
  out << "trace:" << std::endl;
  trace.set_echo(&out, "  ");
  run_segments(input, {.pcap = options.pcap, .tracer = &trace});
}

}  // namespace tcpfuzz::harness
