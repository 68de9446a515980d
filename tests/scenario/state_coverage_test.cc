// Segment kinds, and the state coverage a scenario reaches.
#include "fuzz/harness/state_coverage.h"

#include <gtest/gtest.h>

#include "fuzz/harness/replay.h"
#include "fuzz/scenario/binary_scenario.h"
#include "stack/header/tcp.h"

namespace tcpfuzz::harness {
namespace {

namespace flag = netstack::header::tcp_flag;
using netstack::tcp::State;
using netstack::tcp::Verdict;

TEST(SegmentKind, RstThenSynThenAckThenFinThenData) {
  EXPECT_EQ(segment_kind(flag::kRst | flag::kSyn | flag::kAck, 0), SegmentKind::kRst);
  EXPECT_EQ(segment_kind(flag::kSyn, 10), SegmentKind::kSyn);
  EXPECT_EQ(segment_kind(flag::kSyn | flag::kAck, 0), SegmentKind::kSynAck);
  EXPECT_EQ(segment_kind(flag::kFin, 0), SegmentKind::kNoAck);
  EXPECT_EQ(segment_kind(flag::kFin | flag::kAck, 5), SegmentKind::kFin);
  EXPECT_EQ(segment_kind(flag::kPsh | flag::kAck, 5), SegmentKind::kData);
  EXPECT_EQ(segment_kind(flag::kAck, 0), SegmentKind::kPureAck);
}

TEST(StateCoverage, PassiveOpenIsSeen) {
  using namespace scenario;
  const std::vector<uint8_t> input = encode_binary(
      {SocketCall{CallOp::kListen, 1}, InjectSegment{.flags = flag::kSyn, .window = 1000},
       InjectSegment{.flags = flag::kAck, .window = 1000}});
  StateCoverage coverage;
  observe_scenario_input(input, coverage);
  EXPECT_TRUE(coverage.reached(State::kSynRcvd));
  EXPECT_TRUE(coverage.reached(State::kEstablished));
  EXPECT_FALSE(coverage.reached(State::kTimeWait));
  EXPECT_TRUE(coverage.transitions().contains({State::kListen, State::kSynRcvd}));
  EXPECT_TRUE(coverage.transitions().contains({State::kSynRcvd, State::kEstablished}));
  EXPECT_TRUE(coverage.triples().contains({State::kListen, SegmentKind::kSyn, Verdict::kSynQueued}));
  EXPECT_TRUE(
      coverage.triples().contains({State::kSynRcvd, SegmentKind::kPureAck, Verdict::kAccepted}));
  EXPECT_EQ(coverage.triples().size(), 2u);
}

}  // namespace
}  // namespace tcpfuzz::harness
