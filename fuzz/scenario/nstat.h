// The `nstat` command as scripts use it: the stack's counters under their
// Linux MIB names, and the deltas since the previous `nstat` (which keeps
// that history between calls and lists only nonzero deltas).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "stack/tcp/protocol.h"

namespace tcpfuzz::scenario {

using MibCounters = std::map<std::string, uint64_t, std::less<>>;

// The counters this stack keeps that Linux's MIBs have, by nstat's names.
MibCounters mib_counters(const netstack::tcp::TcpStats& tcp);

class Nstat {
 public:
  // `nstat` (or `nstat -n`): the history becomes `now`.
  void update(const MibCounters& now) { history_ = now; }
  // Whether nstat would list `name` now: its delta since the history is
  // nonzero. nullopt when the stack does not keep that counter.
  std::optional<bool> lists(const MibCounters& now, std::string_view name) const;

 private:
  MibCounters history_;
};

}  // namespace tcpfuzz::scenario
