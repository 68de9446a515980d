// options_fuzzer: arbitrary bytes as a TCP option space. Parsing never
// fails; whatever was parsed, written back in Linux's layout, must parse to
// the same options (fuzz/harness/wire_targets.cc).
#include <cstddef>
#include <cstdint>

#include "fuzz/harness/wire_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tcpfuzz::harness::run_options_input({data, size});
  return 0;
}
