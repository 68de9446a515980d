// Protocol-state feedback for the fuzz engines. Code coverage alone sees
// that the stack's input path ran, not in which TCP state and with what
// kind of segment; this Tracer turns every (from, to) transition and every
// (state, segment kind, verdict) triple into a coverage edge of its own:
// - a real instrumented branch per pair (one function per pair, reached
//   through a table), which libFuzzer, AFL++ and honggfuzz all see;
// - and, in libFuzzer builds, a libFuzzer extra counter per pair.
// TCPFUZZ_NO_STATE_FEEDBACK=1 in the environment switches both off, to
// measure what they buy.
#pragma once

#include <cstddef>
#include <cstdint>

#include "stack/tcp/state.h"
#include "stack/tcp/trace.h"

namespace tcpfuzz::harness {

enum class SegmentKind : uint8_t { kSyn, kSynAck, kRst, kFin, kData, kPureAck, kNoAck };
inline constexpr size_t kSegmentKindCount = 7;

// What kind of segment the stack was handed, by the flag that decides how
// RFC 9293 3.10.7 processes it (RST before SYN before FIN before data).
SegmentKind segment_kind(uint8_t flags, size_t payload);

class StateFeedback final : public netstack::tcp::Tracer {
 public:
  StateFeedback();

  // Begin Tracer implementation.
  void on_transition(netstack::Instant, netstack::tcp::EndpointId, netstack::tcp::State from,
                     netstack::tcp::State to, std::string_view) override;
  void on_segment_in(netstack::Instant, netstack::tcp::EndpointId, netstack::tcp::State s,
                     const netstack::header::TcpHeader& h, size_t payload,
                     netstack::tcp::Verdict v) override;
  // End Tracer implementation.

 private:
  bool enabled_;
};

}  // namespace tcpfuzz::harness
