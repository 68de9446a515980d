#include "fuzz/mutator/scenario_mutator.h"

#include <algorithm>

#include "stack/header/tcp.h"

namespace tcpfuzz::mutator {

using namespace scenario;
namespace flag = netstack::header::tcp_flag;

namespace {

// Option bits of InjectSegment::options.
constexpr uint8_t kMss = 1, kWs = 2, kSackOk = 4, kTs = 8, kSack = 16;
constexpr uint8_t kSynOptions = kMss | kWs | kSackOk | kTs;

}  // namespace

std::vector<uint8_t> encode_within(std::vector<BinaryEvent> events, size_t max_size) {
  // The marker of the extended calls counts once the first one is kept.
  size_t size = 0;
  size_t keep = 0;
  bool extended = false;
  while (keep < events.size()) {
    const bool needs_marker = !extended && needs_extended_marker({events[keep]});
    const size_t next =
        size + encoded_size(events[keep]) + (needs_marker ? kExtendedMarker.size() : 0);
    if (next > max_size) break;
    size = next;
    extended = extended || needs_marker;
    ++keep;
  }
  events.resize(keep);
  return encode_binary(events);
}

int16_t ScenarioMutator::sequence_delta() {
  // Mostly the next expected number; else just around it, a window away,
  // or anywhere (RFC 5961's in-window/out-of-window edges live there).
  switch (below(8)) {
    case 0:
      return static_cast<int16_t>(pick<int>({-1, 1, -2, 2}));
    case 1:
      return static_cast<int16_t>(pick<int>({1000, -1000, 1448, 16384, -16384, 32767, -32768}));
    case 2:
      return static_cast<int16_t>(random_u16());
    default:
      return 0;
  }
}

uint16_t ScenarioMutator::advance_ms() {
  // Timer-sized jumps: delayed ACK, RTO, keepalive interval, TIME-WAIT.
  if (one_in(5)) return random_u16();
  return pick<uint16_t>({1, 40, 200, 1000, 3000, 10000, 60000});
}

uint16_t ScenarioMutator::window() {
  if (one_in(4)) return random_u16();
  return pick<uint16_t>({65535, 0, 1, 512, 1448, 29200, 64240});
}

uint16_t ScenarioMutator::call_argument(CallOp op) {
  if (one_in(5)) return random_u16();
  switch (op) {
    case CallOp::kListen:
      return static_cast<uint16_t>(below(8));  // backlog
    case CallOp::kRead:
      return pick<uint16_t>({1, 2, 100, 1000, 65535});  // odd: MSG_PEEK
    case CallOp::kWrite:
      return pick<uint16_t>({1, 10, 100, 1448, 3000, 20000, 0x8000 | 100});  // 0x8000: MSG_MORE
    case CallOp::kUserTimeout:
    case CallOp::kRcvBuf:
      return pick<uint16_t>({0, 1, 100, 2000, 3000, 65535});
    case CallOp::kLinger2:
      return pick<uint16_t>({0, 1, 5, 65535 /* -1 */, 60});
    case CallOp::kSendZerocopy:
    case CallOp::kFastOpenSendto:
    case CallOp::kSendOob:
    case CallOp::kSplice:
      return pick<uint16_t>({0, 1, 100, 1448, 3000});
    case CallOp::kNotSentLowat:
      return pick<uint16_t>({0, 1, 1000, 4000, 65535});
    case CallOp::kTimestamping:
      // SOF_TIMESTAMPING_* sets: every TX record with OPT_ID, the same
      // without OPT_ID, ACK with OPT_ID, ACK and SND, none.
      return pick<uint16_t>({0x392, 0x312, 0x290, 0x202, 0});
    case CallOp::kEpollWait:
      return static_cast<uint16_t>(below(128));  // event bits, 0x40: EPOLL_CTL_MOD
    case CallOp::kFastOpenQueue:
      return pick<uint16_t>({0, 1, 5, 15});
    default:
      return static_cast<uint16_t>(below(4));
  }
}

InjectSegment ScenarioMutator::random_segment() {
  InjectSegment s;
  s.flags = pick<uint8_t>({flag::kAck, flag::kAck, flag::kPsh | flag::kAck, flag::kSyn,
                           flag::kSyn | flag::kAck, flag::kFin | flag::kAck, flag::kRst,
                           flag::kRst | flag::kAck, flag::kFin, 0});
  if (one_in(10)) s.flags = static_cast<uint8_t>(below(256));
  s.seq_delta = sequence_delta();
  s.ack_delta = one_in(3) ? sequence_delta() : 0;
  s.window = window();
  s.payload =
      (s.flags & flag::kSyn) != 0 && !one_in(4) ? 0 : pick<uint8_t>({0, 0, 1, 10, 100, 255});
  s.options = (s.flags & flag::kSyn) != 0 ? kSynOptions : pick<uint8_t>({0, kTs, kTs | kSack});
  if (one_in(8)) s.options = static_cast<uint8_t>(below(32));
  s.absolute = one_in(20);
  if (one_in(16)) {
    // Urgent data: the pointer mostly just past the payload (BSD's and
    // Linux's convention), else anywhere a byte can say.
    s.flags |= flag::kUrg;
    s.urgent = one_in(3) ? static_cast<uint8_t>(below(256)) : s.payload;
  }
  return s;
}

SocketCall ScenarioMutator::random_call() {
  const auto op = static_cast<CallOp>(below(kCallOpCount));
  return SocketCall{op, call_argument(op)};
}

BinaryEvent ScenarioMutator::random_event() {
  switch (below(10)) {
    case 0:
    case 1:
      return AdvanceClock{advance_ms()};
    case 2:
    case 3:
    case 4:
      return random_call();
    default:
      return random_segment();
  }
}

void ScenarioMutator::tweak(BinaryEvent& e) {
  if (auto* s = std::get_if<InjectSegment>(&e)) {
    switch (below(8)) {
      case 0:
        s->flags ^= pick<uint8_t>({flag::kSyn, flag::kAck, flag::kFin, flag::kRst, flag::kPsh,
                                   flag::kUrg, flag::kEce, flag::kCwr});
        break;
      case 1:
        s->seq_delta = sequence_delta();
        break;
      case 2:
        s->ack_delta = sequence_delta();
        break;
      case 3:
        s->window = window();
        break;
      case 4:
        s->payload = one_in(2) ? static_cast<uint8_t>(below(256)) : pick<uint8_t>({0, 1, 255});
        break;
      case 5:
        s->options ^= static_cast<uint8_t>(1U << below(5));
        break;
      case 6:
        if (one_in(2)) {
          s->absolute = !s->absolute;
        } else {
          s->urgent = one_in(2) ? static_cast<uint8_t>(below(256)) : s->payload;
        }
        break;
      default:
        *s = random_segment();
        break;
    }
  } else if (auto* a = std::get_if<AdvanceClock>(&e)) {
    a->ms = one_in(2) ? static_cast<uint16_t>(a->ms * 2 + 1) : advance_ms();
  } else {
    auto& c = std::get<SocketCall>(e);
    if (one_in(2)) {
      c.arg = call_argument(c.op);
    } else {
      c = random_call();
    }
  }
}

void ScenarioMutator::mutate_once(std::vector<BinaryEvent>& events) {
  if (events.empty()) {
    events.push_back(random_event());
    return;
  }
  const size_t at = below(events.size());
  switch (below(6)) {
    case 0:  // insert
      events.insert(events.begin() + static_cast<std::ptrdiff_t>(below(events.size() + 1)),
                    random_event());
      break;
    case 1:  // delete
      events.erase(events.begin() + static_cast<std::ptrdiff_t>(at));
      break;
    case 2: {  // duplicate a run of up to 4 events elsewhere
      const size_t length = std::min<size_t>(1 + below(4), events.size() - at);
      const std::vector<BinaryEvent> run(events.begin() + static_cast<std::ptrdiff_t>(at),
                                         events.begin() + static_cast<std::ptrdiff_t>(at + length));
      events.insert(events.begin() + static_cast<std::ptrdiff_t>(below(events.size() + 1)),
                    run.begin(), run.end());
      break;
    }
    case 3:  // reorder two events
      std::swap(events[at], events[below(events.size())]);
      break;
    default:  // tweak a field
      tweak(events[at]);
      break;
  }
}

std::vector<uint8_t> ScenarioMutator::mutate(std::span<const uint8_t> input, size_t max_size) {
  const std::vector<BinaryEvent> original = decode_binary(input);
  const std::vector<uint8_t> unchanged = encode_within(original, max_size);
  std::vector<uint8_t> out;
  // An edit can undo itself (a swap of equal events, a tweak to the same
  // value); an unchanged input is a wasted execution, so draw again.
  for (int attempt = 0; attempt < 8 && (out.empty() || out == unchanged); ++attempt) {
    std::vector<BinaryEvent> events = original;
    const size_t rounds = 1 + below(4);
    for (size_t i = 0; i < rounds; ++i) mutate_once(events);
    out = encode_within(std::move(events), max_size);
  }
  return out;
}

std::vector<uint8_t> ScenarioMutator::cross_over(std::span<const uint8_t> a,
                                                 std::span<const uint8_t> b, size_t max_size) {
  std::vector<BinaryEvent> first = decode_binary(a);
  const std::vector<BinaryEvent> second = decode_binary(b);
  const auto cut_a = static_cast<std::ptrdiff_t>(below(first.size() + 1));
  const size_t from_b = below(second.size() + 1);
  if (one_in(2)) {  // a's prefix, then b's suffix
    first.resize(static_cast<size_t>(cut_a));
    first.insert(first.end(), second.begin() + static_cast<std::ptrdiff_t>(from_b), second.end());
  } else {  // a run of b inside a
    const size_t length = below(second.size() - from_b + 1);
    first.insert(first.begin() + cut_a, second.begin() + static_cast<std::ptrdiff_t>(from_b),
                 second.begin() + static_cast<std::ptrdiff_t>(from_b + length));
  }
  return encode_within(std::move(first), max_size);
}

std::vector<uint8_t> ScenarioMutator::mutate_or_splice(std::span<const uint8_t> input,
                                                       std::span<const uint8_t> other,
                                                       size_t max_size) {
  if (!other.empty() && one_in(2)) return cross_over(input, other, max_size);
  return mutate(input, max_size);
}

}  // namespace tcpfuzz::mutator
