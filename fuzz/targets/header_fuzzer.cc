// header_fuzzer: one frame per input. Arbitrary bytes are parsed as an IPv4
// or IPv6 packet and, inside it, a TCP header; whatever parses must survive
// write -> parse unchanged, and the stack's receive path must give the frame
// exactly one verdict (fuzz/harness/wire_targets.cc).
#include <cstddef>
#include <cstdint>

#include "fuzz/harness/wire_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tcpfuzz::harness::run_header_input({data, size});
  return 0;
}
