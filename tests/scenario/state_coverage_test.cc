// Segment kinds, and the state coverage a scenario reaches.
#include "fuzz/harness/state_coverage.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "fuzz/harness/replay.h"
#include "fuzz/harness/segment_target.h"
#include "fuzz/harness/state_diagram.h"
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
  EXPECT_TRUE(
      coverage.triples().contains({State::kListen, SegmentKind::kSyn, Verdict::kSynQueued}));
  EXPECT_TRUE(
      coverage.triples().contains({State::kSynRcvd, SegmentKind::kPureAck, Verdict::kAccepted}));
  EXPECT_EQ(coverage.triples().size(), 2u);
}

// corpus/make_segment_seeds.py numbers its packets from the stack's ISN in
// the harness's handshake; if that drifts, the seeds miss the connection.
TEST(SegmentSeeds, ReachTheConnection) {
  namespace fs = std::filesystem;
  StateCoverage coverage;
  size_t seeds = 0;
  for (const auto& e :
       fs::directory_iterator(fs::path(TCPFUZZ_SOURCE_DIR) / "corpus" / "segment_fuzzer")) {
    std::ifstream in(e.path(), std::ios::binary);
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in),
                                     std::istreambuf_iterator<char>()};
    observe_segment_input(bytes, coverage);
    ++seeds;
  }
  ASSERT_GE(seeds, 10u);
  EXPECT_TRUE(
      coverage.triples().contains({State::kEstablished, SegmentKind::kData, Verdict::kAccepted}));
  EXPECT_TRUE(coverage.triples().contains(
      {State::kEstablished, SegmentKind::kRst, Verdict::kResetAccepted}));
  EXPECT_TRUE(coverage.triples().contains(
      {State::kEstablished, SegmentKind::kRst, Verdict::kChallengeAck}));
  EXPECT_TRUE(coverage.transitions().contains({State::kEstablished, State::kCloseWait}));
}

TEST(SegmentRecords, EncodeDecodeRoundTripAndTruncatedTailDropped) {
  const std::vector<uint8_t> a{1, 2, 3}, b{};
  const std::vector<SegmentRecord> records{{.keep_checksums = true, .delay_ms = 300, .packet = a},
                                           {.keep_checksums = false, .delay_ms = 0, .packet = b}};
  std::vector<uint8_t> bytes = encode_segments(records);
  EXPECT_EQ(bytes.size(), 5u + 3u + 5u);
  bytes.insert(bytes.end(), {0, 0, 0, 0, 9, 1});  // claims 9 bytes, has 1
  const auto back = decode_segments(bytes);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_TRUE(back[0].keep_checksums);
  EXPECT_EQ(back[0].delay_ms, 300);
  EXPECT_TRUE(std::ranges::equal(back[0].packet, a));
  EXPECT_FALSE(back[1].keep_checksums);
  EXPECT_TRUE(back[1].packet.empty());
}

TEST(StateDiagram, TakenEdgesCarryTheirCountsTheRestAreDashed) {
  using namespace scenario;
  // The same passive open twice (each run has its own listener): CLOSED ->
  // LISTEN and LISTEN -> SYN-RECEIVED taken twice each.
  const std::vector<uint8_t> input = encode_binary(
      {SocketCall{CallOp::kListen, 1}, InjectSegment{.flags = flag::kSyn, .window = 1000}});
  StateCoverage coverage;
  observe_scenario_input(input, coverage);
  observe_scenario_input(input, coverage);
  const std::set<std::pair<State, State>> allowed{{State::kClosed, State::kListen},
                                                  {State::kListen, State::kSynRcvd},
                                                  {State::kEstablished, State::kCloseWait}};
  const std::string dot = state_diagram_dot(coverage, allowed, "t");
  EXPECT_NE(dot.find("\"CLOSED\" -> \"LISTEN\" [color="), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"2\"];\n"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"ESTABLISHED\" -> \"CLOSE-WAIT\" [style=dashed"), std::string::npos) << dot;
  // A state no input reached is grey.
  EXPECT_NE(dot.find("\"TIME-WAIT\" [fillcolor=\"#e0e0e0\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"LISTEN\" [fillcolor=\"#cfe8ff\"]"), std::string::npos) << dot;
}

}  // namespace
}  // namespace tcpfuzz::harness
