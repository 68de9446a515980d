#include "fuzz/minimize/input_shape.h"

#include <algorithm>
#include <variant>

#include "fuzz/harness/pair_target.h"
#include "fuzz/harness/segment_target.h"
#include "fuzz/scenario/binary_scenario.h"
#include "stack/header/tcp.h"

namespace tcpfuzz::minimize {

namespace {

namespace flag = netstack::header::tcp_flag;

// Smaller values to try in place of v, boldest first: zero, half, three
// quarters, one less. Repeated acceptance walks down to the smallest value
// that still fails in about log(v) steps.
template <class T>
std::vector<T> smaller(T v) {
  std::vector<T> out;
  const auto add = [&](T c) {
    if (c != v && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  };
  if (v == 0) return out;
  add(0);
  add(static_cast<T>(v / 2));
  add(static_cast<T>(v - v / 4));
  add(static_cast<T>(v > 0 ? v - 1 : v + 1));  // signed deltas move toward zero
  return out;
}

// ---- scenario_fuzzer: binary scenario events --------------------------------

scenario::BinaryEvent one_event(std::span<const uint8_t> unit) {
  return scenario::decode_binary(unit).front();
}

Bytes encoded(const scenario::BinaryEvent& e) {
  return scenario::encode_binary({e});
}

SplitInput split_events(std::span<const uint8_t> input) {
  SplitInput out;
  for (const scenario::BinaryEvent& e : scenario::decode_binary(input)) {
    out.units.push_back(encoded(e));
  }
  return out;
}

std::vector<Bytes> simpler_event(std::span<const uint8_t> unit) {
  const scenario::BinaryEvent e = one_event(unit);
  std::vector<Bytes> out;
  if (const auto* s = std::get_if<scenario::InjectSegment>(&e)) {
    const auto with = [&](auto change) {
      scenario::InjectSegment c = *s;
      change(c);
      out.push_back(encoded(c));
    };
    for (uint8_t p : smaller(s->payload)) with([p](auto& c) { c.payload = p; });
    if (s->options != 0) with([](auto& c) { c.options = 0; });
    for (uint8_t bit = 1; bit != 0 && s->options != 0; bit = static_cast<uint8_t>(bit << 1)) {
      if ((s->options & bit) != 0 && s->options != bit) {
        with([bit](auto& c) { c.options = static_cast<uint8_t>(c.options & ~bit); });
      }
    }
    for (uint8_t bit = 1; bit != 0; bit = static_cast<uint8_t>(bit << 1)) {
      if ((s->flags & bit) != 0) {
        with([bit](auto& c) { c.flags = static_cast<uint8_t>(c.flags & ~bit); });
      }
    }
    for (int16_t d : smaller(s->seq_delta)) with([d](auto& c) { c.seq_delta = d; });
    for (int16_t d : smaller(s->ack_delta)) with([d](auto& c) { c.ack_delta = d; });
  } else if (const auto* a = std::get_if<scenario::AdvanceClock>(&e)) {
    for (uint16_t ms : smaller(a->ms)) out.push_back(encoded(scenario::AdvanceClock{ms}));
  } else {
    const auto& call = std::get<scenario::SocketCall>(e);
    for (uint16_t arg : smaller(call.arg)) {
      out.push_back(encoded(scenario::SocketCall{call.op, arg}));
    }
  }
  return out;
}

// An in-order segment (seq delta 0, no RST) moves the peer's sequence number
// on by its payload, SYN and FIN (BinaryRunner::inject); a later segment's
// delta is relative to that number. Without some of those segments, later
// out-of-order segments keep their absolute sequence numbers: a
// retransmission stays one. In-order ones stay in order.
std::vector<Bytes> without_events(const std::vector<Bytes>& units,
                                  const std::vector<bool>& removed) {
  std::vector<Bytes> out;
  int32_t shift = 0;  // how far the peer's next sequence number fell behind
  for (size_t i = 0; i < units.size(); ++i) {
    scenario::BinaryEvent e = one_event(units[i]);
    auto* s = std::get_if<scenario::InjectSegment>(&e);
    const bool moves_on =
        s != nullptr && !s->absolute && s->seq_delta == 0 && (s->flags & flag::kRst) == 0;
    if (removed[i]) {
      if (moves_on) {
        shift += s->payload + ((s->flags & flag::kSyn) != 0 ? 1 : 0) +
                 ((s->flags & flag::kFin) != 0 ? 1 : 0);
      }
      continue;
    }
    if (s != nullptr && !s->absolute && s->seq_delta != 0) {
      const int32_t delta = s->seq_delta + shift;
      if (delta >= INT16_MIN && delta <= INT16_MAX && delta != 0) {
        s->seq_delta = static_cast<int16_t>(delta);
      }
      out.push_back(encoded(e));
    } else {
      out.push_back(units[i]);
    }
  }
  return out;
}

std::optional<Bytes> merge_clock_jumps(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  const scenario::BinaryEvent ea = one_event(a);
  const scenario::BinaryEvent eb = one_event(b);
  const auto* ja = std::get_if<scenario::AdvanceClock>(&ea);
  const auto* jb = std::get_if<scenario::AdvanceClock>(&eb);
  if (ja == nullptr || jb == nullptr || ja->ms + jb->ms > UINT16_MAX) return std::nullopt;
  return encoded(scenario::AdvanceClock{static_cast<uint16_t>(ja->ms + jb->ms)});
}

// ---- pair_fuzzer: a 6-byte fault plan, then 2-byte operations ---------------

constexpr size_t kPlanBytes = 6;

SplitInput split_pair(std::span<const uint8_t> input) {
  SplitInput out;
  if (input.size() < kPlanBytes) return out;  // no plan: the target runs nothing
  out.header.assign(input.begin(), input.begin() + kPlanBytes);
  for (size_t i = kPlanBytes; i + 1 < input.size(); i += 2) {
    out.units.push_back(Bytes{input[i], input[i + 1]});
  }
  return out;
}

// Lower fault rates, each on its own, and seed 0.
std::vector<Bytes> simpler_plan(std::span<const uint8_t> plan) {
  std::vector<Bytes> out;
  for (size_t i = 0; i < plan.size(); ++i) {
    for (uint8_t v : smaller(plan[i])) {
      Bytes c(plan.begin(), plan.end());
      c[i] = v;
      out.push_back(c);
    }
  }
  return out;
}

std::vector<Bytes> simpler_op(std::span<const uint8_t> op) {
  std::vector<Bytes> out;
  for (uint8_t arg : smaller(op[1])) out.push_back(Bytes{op[0], arg});
  return out;
}

std::optional<Bytes> merge_pair_clock_steps(std::span<const uint8_t> a,
                                            std::span<const uint8_t> b) {
  const bool both_advance = a[0] % harness::kPairOpKinds == harness::PairOp::kAdvance &&
                            b[0] % harness::kPairOpKinds == harness::PairOp::kAdvance;
  if (!both_advance || a[1] + b[1] > UINT8_MAX) return std::nullopt;
  return Bytes{a[0], static_cast<uint8_t>(a[1] + b[1])};
}

// ---- segment_fuzzer: records of flags, delay, packet ------------------------

SplitInput split_records(std::span<const uint8_t> input) {
  SplitInput out;
  for (const harness::SegmentRecord& r : harness::decode_segments(input)) {
    out.units.push_back(harness::encode_segments({r}));
  }
  return out;
}

// Checksums fixed by the harness, shorter delays, shorter packets (the tail
// of a packet is its payload or its last options).
std::vector<Bytes> simpler_record(std::span<const uint8_t> unit) {
  const harness::SegmentRecord r = harness::decode_segments(unit).front();
  std::vector<Bytes> out;
  const auto with = [&](auto change) {
    harness::SegmentRecord c = r;
    change(c);
    out.push_back(harness::encode_segments({c}));
  };
  if (r.keep_checksums) with([](auto& c) { c.keep_checksums = false; });
  for (uint16_t d : smaller(r.delay_ms)) with([d](auto& c) { c.delay_ms = d; });
  for (size_t n : smaller(r.packet.size())) {
    with([n](auto& c) { c.packet = c.packet.first(n); });
  }
  return out;
}

// ---- the byte-level targets -------------------------------------------------

SplitInput split_bytes(std::span<const uint8_t> input) {
  SplitInput out;
  for (uint8_t b : input) out.units.push_back(Bytes{b});
  return out;
}

std::vector<Bytes> zero_byte(std::span<const uint8_t> unit) {
  if (unit[0] == 0) return {};
  return {Bytes{0}};
}

std::vector<Bytes> nothing_simpler(std::span<const uint8_t>) {
  return {};
}

constexpr InputShape kEvents{.unit_name = "events",
                             .split = split_events,
                             .simpler_unit = simpler_event,
                             .simpler_header = nothing_simpler,
                             .without = without_events,
                             .merge = merge_clock_jumps};
constexpr InputShape kPairOps{.unit_name = "ops",
                              .split = split_pair,
                              .simpler_unit = simpler_op,
                              .simpler_header = simpler_plan,
                              .without = nullptr,
                              .merge = merge_pair_clock_steps};
constexpr InputShape kRecords{.unit_name = "records",
                              .split = split_records,
                              .simpler_unit = simpler_record,
                              .simpler_header = nothing_simpler,
                              .without = nullptr,
                              .merge = nullptr};
constexpr InputShape kBytes{.unit_name = "bytes",
                            .split = split_bytes,
                            .simpler_unit = zero_byte,
                            .simpler_header = nothing_simpler,
                            .without = nullptr,
                            .merge = nullptr};

}  // namespace

const InputShape& shape_of(const harness::Target& target) {
  switch (target.units) {
    case harness::InputUnits::kScenarioEvents:
      return kEvents;
    case harness::InputUnits::kPairOps:
      return kPairOps;
    case harness::InputUnits::kSegmentRecords:
      return kRecords;
    case harness::InputUnits::kBytes:
      break;
  }
  return kBytes;
}

Bytes join(const SplitInput& input) {
  Bytes out = input.header;
  for (const Bytes& u : input.units) out.insert(out.end(), u.begin(), u.end());
  return out;
}

}  // namespace tcpfuzz::minimize
