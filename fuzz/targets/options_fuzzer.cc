// options_fuzzer: arbitrary bytes as a TCP option space. Parsing never
// fails (Linux's rules for malformed lengths apply); whatever was parsed,
// written back in Linux's layout, must parse to the same options.
#include <array>
#include <cstdint>
#include <cstdlib>

#include "stack/header/tcp.h"
#include "stack/header/tcp_options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace netstack::header;
  const auto opts = parse_tcp_options({data, size});
  if (opts.window_scale && *opts.window_scale > kMaxWindowScale) std::abort();
  if (opts.mss && *opts.mss == 0) std::abort();
  if (opts.sack_block_count > kMaxSackBlocks) std::abort();

  std::array<uint8_t, kTcpMaxOptionsLength> out{};
  const auto written = write_tcp_options(out, opts);
  if (!written) {
    // Only a combination too large for 40 bytes may fail to write.
    if (tcp_options_size(opts) <= kTcpMaxOptionsLength) std::abort();
    return 0;
  }
  if (*written != tcp_options_size(opts) || *written % 4 != 0) std::abort();
  if (!(parse_tcp_options({out.data(), *written}) == opts)) std::abort();
  return 0;
}
