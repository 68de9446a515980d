// Sequence space: over arbitrary conversations, no segment the stack sends
// acknowledges data the peer never sent, and the right edge of the window
// it advertises (SEG.ACK + SEG.WND << scale) never moves left: Linux never
// shrinks the window (RFC 7323 2.4 allows it; tcp_shrink_window=0).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <optional>

#include "props/gen/tcp_gen.h"
#include "props/support/conversation.h"

namespace tcpfuzz::props {
namespace {

using scenario::BinaryEvent;
using scenario::CallOp;
using scenario::InjectSegment;
using scenario::SocketCall;
namespace flag = netstack::header::tcp_flag;

rc::Gen<uint8_t> stray_flags() {
  return rc::gen::element<uint8_t>(uint8_t{flag::kAck}, uint8_t{flag::kAck | flag::kPsh},
                                   uint8_t{flag::kAck | flag::kFin}, uint8_t{flag::kSyn},
                                   uint8_t{flag::kRst});
}

// The peer's side of a conversation: in-order and stray segments, reads,
// writes, closes and clock steps.
rc::Gen<BinaryEvent> conversation_event() {
  return gen::whole_range(rc::gen::weightedOneOf<BinaryEvent>({
      {4, rc::gen::map(gen::payload_length(),
                       [](uint8_t len) -> BinaryEvent {
                         return InjectSegment{
                             .flags = flag::kAck | flag::kPsh, .window = 65535, .payload = len};
                       })},
      {2, rc::gen::map(
              rc::gen::build<InjectSegment>(
                  rc::gen::set(&InjectSegment::flags, stray_flags()),
                  rc::gen::set(&InjectSegment::seq_delta, rc::gen::inRange<int16_t>(-3000, 3000)),
                  rc::gen::set(&InjectSegment::window, rc::gen::arbitrary<uint16_t>()),
                  rc::gen::set(&InjectSegment::payload, gen::payload_length())),
              [](const InjectSegment& s) -> BinaryEvent { return s; })},
      {2, rc::gen::map(rc::gen::inRange<uint16_t>(1, 20000),
                       [](uint16_t n) -> BinaryEvent {
                         return SocketCall{CallOp::kRead, n};
                       })},
      {1, rc::gen::map(rc::gen::inRange<uint16_t>(1, 20000),
                       [](uint16_t n) -> BinaryEvent {
                         return SocketCall{CallOp::kWrite, n};
                       })},
      {1, rc::gen::element<BinaryEvent>(BinaryEvent{SocketCall{CallOp::kShutdownWrite, 0}},
                                        BinaryEvent{SocketCall{CallOp::kClose, 0}})},
      {2, rc::gen::map(gen::clock_jump(),
                       [](uint16_t ms) -> BinaryEvent { return scenario::AdvanceClock{ms}; })},
  }));
}

// Checks every segment the connection under test sends.
class SequenceSpaceChecker final : public netstack::tcp::Tracer {
 public:
  explicit SequenceSpaceChecker(std::string* violation) : violation_(violation) {}
  void on_segment_in(netstack::Instant, netstack::tcp::EndpointId, netstack::tcp::State state,
                     const netstack::header::TcpHeader& h, size_t len,
                     netstack::tcp::Verdict) override {
    if (h.has(flag::kRst)) return;  // a RST's bytes are not data
    if (h.has(flag::kSyn) && state == netstack::tcp::State::kListen) {
      // A new connection from the listener: a new sequence space.
      base_ = h.seq;
      filled_.clear();
      contiguous_ = 0;
    }
    // The peer's sequence space it has filled, as offsets from where the
    // checker started; an ACK may cover only what is filled without a hole.
    const int64_t start = static_cast<int32_t>(h.seq - base_);
    const int64_t end = start + static_cast<int64_t>(len) + (h.has(flag::kSyn) ? 1 : 0) +
                        (h.has(flag::kFin) ? 1 : 0);
    if (end <= 0 || end == start) return;
    filled_.emplace_back(std::max<int64_t>(start, 0), end);
    std::sort(filled_.begin(), filled_.end());
    for (const auto& [from, to] : filled_) {
      if (from > contiguous_) break;
      contiguous_ = std::max(contiguous_, to);
    }
  }
  void on_segment_out(netstack::Instant, netstack::tcp::EndpointId id, netstack::tcp::State,
                      const netstack::tcp::SegmentOut& out) override {
    const netstack::header::TcpHeader& h = out.tcp;
    if (!h.has(flag::kAck) || h.has(flag::kRst) || !violation_->empty()) return;
    if (static_cast<int32_t>(h.ack - base_) > contiguous_) {
      *violation_ = "ACK " + std::to_string(h.ack) + " beyond what the peer sent without a hole (" +
                    std::to_string(base_ + static_cast<uint32_t>(contiguous_)) + ")";
      return;
    }
    if (h.has(flag::kSyn)) return;  // RFC 7323 2.2: a SYN-ACK's window is not scaled
    const uint32_t right = h.ack + (uint32_t{h.window} << scale_);
    auto& previous = right_edge_[id];
    if (previous && static_cast<int32_t>(right - *previous) < 0) {
      *violation_ = "right window edge moved left from " + std::to_string(*previous) + " to " +
                    std::to_string(right);
      return;
    }
    previous = right;
  }
  // From an established connection: what the peer has sent so far, and the
  // scale of the windows the stack advertises.
  void start(const netstack::tcp::TcpInfo& info) {
    base_ = info.rcv_nxt;
    scale_ = info.rcv_wscale;
  }

 private:
  std::string* violation_;
  uint32_t base_ = 0;
  std::vector<std::pair<int64_t, int64_t>> filled_;  // [start, end) offsets from base_
  int64_t contiguous_ = 0;
  std::map<netstack::tcp::EndpointId, std::optional<uint32_t>> right_edge_;
  uint8_t scale_ = 0;
};

RC_GTEST_PROP(SequenceSpace, NoAckOfUnsentDataAndTheWindowNeverShrinks, ()) {
  const auto events =
      *rc::gen::scale(0.3, rc::gen::container<std::vector<BinaryEvent>>(conversation_event()));
  ConnectionUnderTest c;
  establish_passive(c);
  std::string violation;
  SequenceSpaceChecker checker(&violation);
  checker.start(c.connection()->info());
  c.set_extra_tracer(&checker);
  for (const BinaryEvent& e : events) {
    c.run(e);
    if (!violation.empty()) RC_FAIL(violation + "\n" + c.report(violation));
  }
}

}  // namespace
}  // namespace tcpfuzz::props
