// pair_fuzzer: two stacks over faulty links, a client and a server, and
// what their applications do (format and oracles in
// fuzz/harness/pair_target.h): integrity of both byte streams under drops,
// duplicates, reordering, corruption and delays, then liveness and cleanup
// once the faults stop.
#include <cstddef>
#include <cstdint>

#include "fuzz/harness/pair_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tcpfuzz::harness::run_pair_input({data, size});
  return 0;
}
