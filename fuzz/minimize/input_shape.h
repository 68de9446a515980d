// How the minimiser sees one target's input: a fixed header it may simplify
// but never drop, and a list of units (events, operations, records, or plain
// bytes) it may drop, each with simpler versions worth trying. An input is
// always the header followed by its units, concatenated.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "fuzz/harness/targets.h"

namespace tcpfuzz::minimize {

using Bytes = std::vector<uint8_t>;

struct SplitInput {
  Bytes header;
  std::vector<Bytes> units;
};

struct InputShape {
  // What a unit is, plural: "events", "ops", "records", "bytes".
  std::string_view unit_name;
  // The input cut into header and units; bytes no unit takes (a truncated
  // last record, which the target ignores too) are dropped.
  SplitInput (*split)(std::span<const uint8_t> input);
  // Simpler versions of one unit or of the header (smaller payloads, fewer
  // options, smaller deltas and arguments, shorter clock jumps), the most
  // simplifying first; none for a unit already as simple as it gets.
  std::vector<Bytes> (*simpler_unit)(std::span<const uint8_t> unit);
  std::vector<Bytes> (*simpler_header)(std::span<const uint8_t> header);
  // The units left when those `removed` go, their numbers adjusted so they
  // still mean the same (scenario events number segments relative to the
  // peer's next sequence number, which removed in-order segments had moved
  // on); nullptr when units stand on their own.
  std::vector<Bytes> (*without)(const std::vector<Bytes>& units, const std::vector<bool>& removed);
  // Two neighbouring units as one (two clock jumps as one jump), if they
  // can be; nullptr when units never merge.
  std::optional<Bytes> (*merge)(std::span<const uint8_t> a, std::span<const uint8_t> b);
};

// The shape of the target's inputs, as its registry row says
// (harness::Target::units).
const InputShape& shape_of(const harness::Target& target);

Bytes join(const SplitInput& input);

}  // namespace tcpfuzz::minimize
