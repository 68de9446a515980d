// What `tcpfuzz replay` shows of pair_fuzzer inputs.
#include <array>
#include <string_view>

#include "fuzz/harness/pair_target.h"
#include "fuzz/harness/replay.h"
#include "fuzz/scenario/trace_log.h"

namespace tcpfuzz::harness {

void replay_pair_input(std::span<const uint8_t> input, const ReplayOptions&, std::ostream& out) {
  static constexpr std::array<std::string_view, kPairOpKinds> kNames{
      "client write", "server write",    "client read",     "server read",
      "advance",      "client shutdown", "server shutdown", "options"};
  const PairInput decoded = decode_pair(input);
  const auto& p = decoded.plan;
  out << "fault plan (ppm): drop " << p.drop_ppm << " duplicate " << p.duplicate_ppm << " reorder "
      << p.reorder_ppm << " corrupt " << p.corrupt_ppm << " delay " << p.delay_ppm << ", seed "
      << p.seed << "\noperations (" << decoded.ops.size() << "):\n";
  for (const PairOp& op : decoded.ops) out << "  " << kNames[op.kind] << " " << int{op.arg} << "\n";
  scenario::TraceLog trace(/*keep_all=*/false);
  out << "trace (both stacks):" << std::endl;
  trace.set_echo(&out, "  ");
  std::string summary;
  run_pair(input, &trace, &summary);
  out << "oracles passed: " << summary << "\n";
}

void observe_pair_input(std::span<const uint8_t> input, netstack::tcp::Tracer& tracer) {
  run_pair(input, &tracer);
}

}  // namespace tcpfuzz::harness
