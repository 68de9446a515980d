// segment_fuzzer: raw IPv4/IPv6 packets, each after a delay, into a stack
// with a listener and an established connection (format in
// fuzz/harness/segment_target.h). Checksums are fixed by the harness unless
// a record says not to; oracles are ASan/UBSan and the invariant checker.
#include <cstddef>
#include <cstdint>

#include "fuzz/harness/segment_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tcpfuzz::harness::run_segment_input({data, size});
  return 0;
}
