#include "fuzz/harness/state_feedback.h"

#include <array>
#include <cstdlib>
#include <utility>

namespace tcpfuzz::harness {

using namespace netstack;
namespace flag = header::tcp_flag;

namespace {

constexpr size_t kTransitionEdges = tcp::kStateCount * tcp::kStateCount;
constexpr size_t kSegmentEdges = tcp::kStateCount * kSegmentKindCount * tcp::kVerdictCount;
constexpr size_t kEdges = kTransitionEdges + kSegmentEdges;

// One function per edge: coverage instrumentation gives each its own
// counter, so reaching a new pair is new coverage to any engine.
volatile size_t edge_sink;
template <size_t I>
[[gnu::noinline]] void edge() {
  edge_sink = I;
}
template <size_t... I>
constexpr std::array<void (*)(), sizeof...(I)> edge_table(std::index_sequence<I...>) {
  return {&edge<I>...};
}
constexpr auto kEdgeTable = edge_table(std::make_index_sequence<kEdges>());

#ifdef TCPFUZZ_LIBFUZZER
// libFuzzer reads this section as extra 8-bit counters (FuzzerExtraCounters.cpp).
__attribute__((used, section("__libfuzzer_extra_counters"))) uint8_t extra_counters[kEdges];
#endif

void hit(size_t index) {
  kEdgeTable[index]();
#ifdef TCPFUZZ_LIBFUZZER
  if (extra_counters[index] != 0xff) ++extra_counters[index];
#endif
}

}  // namespace

SegmentKind segment_kind(uint8_t flags, size_t payload) {
  if ((flags & flag::kRst) != 0) return SegmentKind::kRst;
  if ((flags & flag::kSyn) != 0) {
    return (flags & flag::kAck) != 0 ? SegmentKind::kSynAck : SegmentKind::kSyn;
  }
  if ((flags & flag::kAck) == 0) return SegmentKind::kNoAck;
  if ((flags & flag::kFin) != 0) return SegmentKind::kFin;
  return payload > 0 ? SegmentKind::kData : SegmentKind::kPureAck;
}

StateFeedback::StateFeedback() {
  static const bool enabled = std::getenv("TCPFUZZ_NO_STATE_FEEDBACK") == nullptr;
  enabled_ = enabled;
}

void StateFeedback::on_transition(Instant, tcp::EndpointId, tcp::State from, tcp::State to,
                                  std::string_view) {
  if (!enabled_) return;
  hit(static_cast<size_t>(from) * tcp::kStateCount + static_cast<size_t>(to));
}

void StateFeedback::on_segment_in(Instant, tcp::EndpointId, tcp::State s,
                                  const header::TcpHeader& h, size_t payload, tcp::Verdict v) {
  if (!enabled_) return;
  const size_t kind = static_cast<size_t>(segment_kind(h.flags, payload));
  hit(kTransitionEdges + (static_cast<size_t>(s) * kSegmentKindCount + kind) * tcp::kVerdictCount +
      static_cast<size_t>(v));
}

}  // namespace tcpfuzz::harness
