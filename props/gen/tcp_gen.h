// rapidcheck generators for TCP conversations, reusable by anyone writing
// properties of the stack:
//
//   *gen::placement()        where a segment falls relative to the window
//   *gen::segment_kind()     RST, SYN, ACK, data, FIN, ACK of unsent data
//   *gen::clock_jump()       small steps mostly, timer-sized ones sometimes
//   *gen::socket_call()      a call of the binary scenario encoding
//   *gen::payload_length()   0, 1, an MSS's worth, or anything up to 255
//   *gen::fault_plan()       loss, duplication, reordering, corruption, delay
//   *gen::pair_ops(n)        what two applications do (pair_fuzzer's ops)
//   live_seq(info, p, r)     a sequence number at placement p on a live
//                            connection, r choosing within the range
#pragma once

#include <rapidcheck.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "fuzz/harness/pair_target.h"
#include "fuzz/scenario/binary_scenario.h"
#include "props/model/connection_model.h"
#include "stack/link/faulty_link.h"
#include "stack/tcp/socket_types.h"

namespace tcpfuzz::props::gen {

// rapidcheck scales inRange() by the test case's size, so early (small)
// cases would only see the first few values of each enumeration; these
// generators pick from the whole range at every size (shrinking still goes
// towards the first value).
template <class T>
rc::Gen<T> whole_range(rc::Gen<T> g) {
  return rc::gen::resize(rc::kNominalSize, std::move(g));
}

inline rc::Gen<Placement> placement() {
  return whole_range(rc::gen::map(rc::gen::inRange<uint8_t>(0, kPlacementCount),
                                  [](uint8_t p) { return static_cast<Placement>(p); }));
}

inline rc::Gen<SegmentKind> segment_kind() {
  return whole_range(rc::gen::map(rc::gen::inRange<uint8_t>(0, kSegmentKindCount),
                                  [](uint8_t k) { return static_cast<SegmentKind>(k); }));
}

// Milliseconds: mostly below the out-of-window rate limit (500 ms), some
// around it, a few of RTO size.
inline rc::Gen<uint16_t> clock_jump() {
  return whole_range(rc::gen::weightedOneOf<uint16_t>({
      {6, rc::gen::inRange<uint16_t>(1, 200)},
      {3, rc::gen::inRange<uint16_t>(400, 600)},
      {1, rc::gen::inRange<uint16_t>(900, 1200)},
  }));
}

inline rc::Gen<scenario::SocketCall> socket_call() {
  return rc::gen::build<scenario::SocketCall>(
      rc::gen::set(&scenario::SocketCall::op,
                   rc::gen::map(rc::gen::inRange<uint8_t>(0, scenario::kCallOpCount),
                                [](uint8_t op) { return static_cast<scenario::CallOp>(op); })),
      rc::gen::set(&scenario::SocketCall::arg, rc::gen::arbitrary<uint16_t>()));
}

inline rc::Gen<uint8_t> payload_length() {
  return whole_range(rc::gen::weightedOneOf<uint8_t>({
      {2, rc::gen::just<uint8_t>(0)},
      {1, rc::gen::just<uint8_t>(1)},
      {3, rc::gen::inRange<uint8_t>(2, 255)},
      {1, rc::gen::just<uint8_t>(255)},
  }));
}

// Rates in parts per million; zero for each fault half of the time, so
// shrinking finds which faults matter.
inline rc::Gen<netstack::FaultPlan> fault_plan() {
  return rc::gen::exec([] {
    auto rate = [] {
      return *rc::gen::weightedOneOf<uint32_t>(
          {{1, rc::gen::just<uint32_t>(0)}, {1, rc::gen::inRange<uint32_t>(1, 150'000)}});
    };
    netstack::FaultPlan p;
    p.drop_ppm = rate();
    p.duplicate_ppm = rate();
    p.reorder_ppm = rate();
    p.corrupt_ppm = rate();
    p.delay_ppm = rate();
    p.seed = *rc::gen::inRange<uint64_t>(1, 1000);
    return p;
  });
}

inline rc::Gen<harness::PairOp> pair_op() {
  return rc::gen::build<harness::PairOp>(
      rc::gen::set(&harness::PairOp::kind,
                   rc::gen::map(rc::gen::inRange<uint8_t>(0, harness::kPairOpKinds),
                                [](uint8_t k) { return static_cast<harness::PairOp::Kind>(k); })),
      rc::gen::set(&harness::PairOp::arg, rc::gen::arbitrary<uint8_t>()));
}

inline rc::Gen<std::vector<harness::PairOp>> pair_ops(size_t max) {
  return rc::gen::mapcat(rc::gen::inRange<size_t>(1, max + 1), [](size_t n) {
    return rc::gen::container<std::vector<harness::PairOp>>(n, pair_op());
  });
}

// A live sequence number at placement `p` on a connection whose receive
// side `info` describes; `r` picks within the placement's range.
inline uint32_t live_seq(const netstack::tcp::TcpInfo& info, Placement p, uint32_t r) {
  const uint32_t nxt = info.rcv_nxt;
  const uint32_t wnd = std::max<uint32_t>(info.rcv_wnd, 2);
  switch (p) {
    case Placement::kExact:
      return nxt;
    case Placement::kExactMinusOne:
      return nxt - 1;
    case Placement::kInWindow:
      return nxt + 1 + r % (wnd - 1);
    case Placement::kBeyondWindow:
      return nxt + wnd + 1 + r % 100'000;
    case Placement::kOld:
      return nxt - 100'000 - r % 1'000'000;
    case Placement::kWrapped:
      return nxt + 0x80000000u + r % 1000;
  }
  return nxt;
}

}  // namespace tcpfuzz::props::gen
