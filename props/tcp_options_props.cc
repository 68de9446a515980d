#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "gen/wire_gen.h"
#include "stack/header/tcp_options.h"

namespace netstack::header {
namespace {

RC_GTEST_PROP(TcpOptionsProps, WriteThenParseRoundTrips, (const TcpOptions& options)) {
  std::array<uint8_t, kTcpMaxOptionsLength> out{};
  const std::optional<size_t> written = write_tcp_options(out, options);
  RC_ASSERT(written.has_value());
  RC_ASSERT(*written == tcp_options_size(options));
  RC_ASSERT(*written % 4 == 0);
  RC_ASSERT(parse_tcp_options(std::span(out).first(*written)) == options);
}

RC_GTEST_PROP(TcpOptionsProps, ParseStaysInBoundsAndWithinLimits, ()) {
  const auto bytes = *rc::gen::container<std::vector<uint8_t>>(
      *rc::gen::inRange<size_t>(0, kTcpMaxOptionsLength + 1), rc::gen::arbitrary<uint8_t>());
  // An exact-size heap copy, so ASan reports a read one byte past the end.
  const auto exact = std::make_unique<uint8_t[]>(bytes.size());
  std::ranges::copy(bytes, exact.get());
  const TcpOptions o = parse_tcp_options(std::span<const uint8_t>(exact.get(), bytes.size()));
  RC_ASSERT(!o.mss.has_value() || *o.mss != 0);
  RC_ASSERT(!o.window_scale.has_value() || *o.window_scale <= kMaxWindowScale);
  RC_ASSERT(o.sack_block_count <= kMaxSackBlocks);
}

RC_GTEST_PROP(TcpOptionsProps, TruncatedOptionsKeepOnlyWhatIsComplete,
              (const TcpOptions& options)) {
  std::array<uint8_t, kTcpMaxOptionsLength> out{};
  const size_t written = write_tcp_options(out, options).value();
  const size_t cut = *rc::gen::inRange<size_t>(0, written + 1);
  const TcpOptions parsed = parse_tcp_options(std::span(out).first(cut));
  // Nothing is invented: whatever survives the cut has its original value.
  if (parsed.mss) RC_ASSERT(parsed.mss == options.mss);
  if (parsed.window_scale) RC_ASSERT(parsed.window_scale == options.window_scale);
  if (parsed.sack_permitted) RC_ASSERT(options.sack_permitted);
  if (parsed.timestamps) RC_ASSERT(parsed.timestamps == options.timestamps);
  if (parsed.sack_block_count > 0) RC_ASSERT(std::ranges::equal(parsed.sacks(), options.sacks()));
  // The MSS always comes first in Linux's layout: four bytes are enough for it.
  if (options.mss && cut >= 4) RC_ASSERT(parsed.mss == options.mss);
}

}  // namespace
}  // namespace netstack::header
