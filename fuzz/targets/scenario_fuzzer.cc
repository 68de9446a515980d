// scenario_fuzzer: the stateful target. The input is a binary scenario (see
// fuzz/scenario/binary_scenario.h): socket calls, clock jumps and segments
// numbered relative to the live connection, played against a fresh stack.
// Oracles: ASan/UBSan and the stack's invariant checker after every event.
// Feedback: code coverage plus TCP state coverage (harness/state_feedback.h).
// Mutation: event-level (fuzz/mutator/), with libFuzzer's byte-level
// mutations mixed in for what the events cannot express.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "fuzz/harness/scenario_target.h"
#include "fuzz/mutator/scenario_mutator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tcpfuzz::harness::run_scenario_input({data, size});
  return 0;
}

#ifdef TCPFUZZ_LIBFUZZER
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  // One in four: plain byte mutations (a truncated record, an opcode byte
  // turned into another event, values no table lists).
  if (seed % 4 == 0) return LLVMFuzzerMutate(data, size, max_size);
  const std::vector<uint8_t> out =
      tcpfuzz::mutator::ScenarioMutator(seed).mutate({data, size}, max_size);
  if (!out.empty()) std::memcpy(data, out.data(), out.size());
  return out.size();
}

extern "C" size_t LLVMFuzzerCustomCrossOver(const uint8_t* data1, size_t size1,
                                            const uint8_t* data2, size_t size2, uint8_t* out,
                                            size_t max_out_size, unsigned int seed) {
  const std::vector<uint8_t> spliced = tcpfuzz::mutator::ScenarioMutator(seed).cross_over(
      {data1, size1}, {data2, size2}, max_out_size);
  if (!spliced.empty()) std::memcpy(out, spliced.data(), spliced.size());
  return spliced.size();
}
#endif
