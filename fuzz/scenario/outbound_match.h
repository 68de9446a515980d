// Judging a packet the stack sent against the outbound line that expects it,
// as packetdrill does (run_packet.c verify_outbound_live_packet()): flags,
// sequence and ack numbers, window when given, urgent pointer, payload
// length, the option list in order unless "<...>", then the time it went
// out. TSval and TSecr are not compared, but the TSval a script line names
// is remembered so inbound lines can echo it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fuzz/scenario/scenario.h"
#include "fuzz/scenario/script_timing.h"

namespace tcpfuzz::scenario {

// Script TSvals and the live TSvals they stood for.
class TimestampMap {
 public:
  // The script line's TSval `script` matched the live `live`: remembers it,
  // and returns `live` in script space, counted from the first pair seen
  // (packetdrill map_outbound_live_packet()).
  uint32_t learn(uint32_t script, uint32_t live);
  // A recorded run's inbound lines name live TSvals as they are.
  void learn_as_is(uint32_t live) { live_[live] = live; }
  // The live TSval for a script TSval (nullopt: none seen).
  std::optional<uint32_t> live(uint32_t script) const;
  // The live TSval at the same distance from the first pair as `script`
  // (nullopt: no pair yet).
  std::optional<uint32_t> scaled(uint32_t script) const;

 private:
  std::unordered_map<uint32_t, uint32_t> live_;
  std::optional<std::pair<uint32_t, uint32_t>> baseline_;  // (script, live)
};

// How the IP fields a line states differ from the live packet's (`live`
// holds the whole TOS byte and the TTL; it is rewritten as the line states
// them, for the message); nullopt when they match.
std::optional<std::string> ip_fields_differ(const IpInfo& want, IpInfo* live);

// The option lists are the same, TSval/TSecr aside.
bool options_match(const std::vector<OptionSpec>& want, const std::vector<OptionSpec>& got);

class OutboundMatch {
 public:
  // compare_windows: RunOptions::compare_windows.
  OutboundMatch(const ScriptOptions& options, bool compare_windows, const ScriptTiming& timing)
      : compare_windows_(compare_windows), ts_tick_us_(options.ts_tick_us), timing_(timing) {}

  // How the packet the stack sent (`live`, in script numbers, summed from
  // `fragments` segments, the last sent at script time `sent_us`) differs
  // from the line `e` expecting `want` at `t` (~`t_end`), as the failure
  // message; nullopt when it matches.
  std::optional<std::string> mismatch(const Event& e, const PacketSpec& want, PacketSpec live,
                                      size_t fragments, int64_t t, std::optional<int64_t> t_end,
                                      int64_t sent_us);

  TimestampMap& timestamps() { return timestamps_; }
  const TimestampMap& timestamps() const { return timestamps_; }

 private:
  bool compare_windows_;
  int64_t ts_tick_us_;
  const ScriptTiming& timing_;
  TimestampMap timestamps_;
};

}  // namespace tcpfuzz::scenario
