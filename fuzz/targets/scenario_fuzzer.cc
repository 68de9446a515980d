// scenario_fuzzer: the stateful target. The input is a binary scenario (see
// fuzz/scenario/binary_scenario.h): socket calls, clock jumps and segments
// numbered relative to the live connection, played against a fresh stack.
// Oracles: ASan/UBSan and the stack's invariant checker after every event.
#include <cstddef>
#include <cstdint>

#include "fuzz/harness/scenario_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tcpfuzz::harness::run_scenario_input({data, size});
  return 0;
}
