// RunRecording: with RunOptions::record, the run as it happened, in
// absolute script time, for `tcpfuzz diff` to replay here and ask Linux:
// every packet the stack sent to the scripted peer (TSval live), the
// inbound lines (TSecr as the live TSval it named), each call with the
// result it had, the commands and %{ }% blocks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/scenario/outbound_match.h"
#include "fuzz/scenario/peer_capture.h"
#include "fuzz/scenario/runner.h"
#include "fuzz/scenario/scenario.h"
#include "fuzz/scenario/socket_calls.h"

namespace tcpfuzz::scenario {

class RunRecording {
 public:
  // Not `enabled`: records nothing, but still notices what is unscriptable.
  explicit RunRecording(bool enabled) : enabled_(enabled) {}

  // A command or %{ }% block, as written.
  void as_is(int64_t at_us, const Event& e);
  // An inbound line; packetdrill maps the TSecr of inbound ACKs only
  // (map_inbound_packet()).
  void inbound(int64_t at_us, const Event& e, const PacketSpec& p, const TimestampMap& timestamps);
  // A call, recorded when it starts, before what it makes the stack send.
  // One that blocks gets its result and return time from returned().
  void call(int64_t at_us, const Event& e, const SyscallSpec& sc, const CallOutcome& out);
  void returned(int64_t at_us, const CallOutcome& out);
  // A packet the stack sent the peer, `spec` in script numbers; `new_isn`:
  // a SYN of another open than the one whose ISN the numbers count from.
  void sent(const Captured& c, PacketSpec spec, bool new_isn = false);
  // Nothing the stack sends from here on can be stated (`why`).
  void unscriptable_from_here(std::string why);

  std::vector<Event> take() { return std::move(events_); }
  // Why the recording cannot state what the stack sent (RunResult::unscriptable).
  const std::optional<Unscriptable>& unscriptable() const { return unscriptable_; }

 private:
  void add(int64_t at_us, int line, decltype(Event::action) action);
  void set_result(Event* call, const CallOutcome& out) const;

  bool enabled_;
  std::vector<Event> events_;
  std::optional<size_t> blocked_call_;  // the recorded line of a call still blocked
  std::optional<Unscriptable> unscriptable_;
};

}  // namespace tcpfuzz::scenario
