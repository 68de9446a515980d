// The binary scenario encoding and its runner.
#include "fuzz/scenario/binary_scenario.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "fuzz/scenario/binary_runner.h"
#include "fuzz/scenario/pkt_writer.h"
#include "fuzz/scenario/trace_log.h"
#include "fuzz/scenario/transcript.h"

namespace tcpfuzz::scenario {
namespace {

TEST(BinaryScenario, ClassicInputsDecodeCallsModulo16) {
  // Old corpora keep their meaning: without the marker, call 16 is listen.
  const std::vector<uint8_t> bytes{2, 16, 0, 4, 2, 19, 0, 0};
  const auto events = decode_binary(bytes);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<SocketCall>(events[0]).op, CallOp::kListen);
  EXPECT_EQ(std::get<SocketCall>(events[1]).op, CallOp::kRead);
}

TEST(BinaryScenario, TheMarkerDecodesTheExtendedCallsAndIsWrittenOnlyForThem) {
  // Format 2 (29 calls): its inputs keep their meaning after format 3.
  std::vector<uint8_t> bytes{2, 0x83, 'v', '2'};
  bytes.insert(bytes.end(), {2, 16, 0, 1, 2, 28, 0, 0, 2, 29, 0, 0});
  const auto events = decode_binary(bytes);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(std::get<SocketCall>(events[0]).op, CallOp::kInq);
  EXPECT_EQ(std::get<SocketCall>(events[1]).op, CallOp::kPoll);
  EXPECT_EQ(std::get<SocketCall>(events[2]).op, CallOp::kListen);  // 29 % 29
  bytes[13] = 0;                                                   // the canonical number of listen
  EXPECT_EQ(encode_binary(events), bytes);
  const std::vector<BinaryEvent> classic{SocketCall{CallOp::kCork, 1}};
  EXPECT_EQ(encode_binary(classic), (std::vector<uint8_t>{2, 15, 0, 1}));
}

TEST(BinaryScenario, TheNewestFormatReachesTheUrgentDataCalls) {
  std::vector<uint8_t> bytes(kExtendedMarker.begin(), kExtendedMarker.end());
  ASSERT_EQ(bytes.back(), '3');
  bytes.insert(bytes.end(), {2, 29, 0, 5, 2, 32, 0, 1, 2, 34, 0, 0});
  const auto events = decode_binary(bytes);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(std::get<SocketCall>(events[0]).op, CallOp::kSendOob);
  EXPECT_EQ(std::get<SocketCall>(events[1]).op, CallOp::kOobInline);
  EXPECT_EQ(std::get<SocketCall>(events[2]).op, CallOp::kListen);  // 34 % 34
  bytes[13] = 0;
  EXPECT_EQ(encode_binary(events), bytes);
  // An unknown tag is no marker: the record is a classic call.
  EXPECT_EQ(decode_binary(std::vector<uint8_t>{2, 0x83, 'v', '9', 2, 29, 0, 0}).size(), 2u);
  EXPECT_EQ(
      std::get<SocketCall>(decode_binary(std::vector<uint8_t>{2, 0x83, 'v', '9', 2, 29, 0, 0})[1])
          .op,
      static_cast<CallOp>(29 % kClassicCallOpCount));
}

TEST(BinaryScenario, TheMarkerIsANoOpCallInTheClassicDecoding) {
  // A read before any connection: an input that starts with the marker
  // meant the same under the classic decoding.
  const std::vector<uint8_t> marker(kExtendedMarker.begin(), kExtendedMarker.end());
  const auto classic = decode_binary(std::vector<uint8_t>{0x02, 0x03, 'v', '2'});
  ASSERT_EQ(classic.size(), 1u);
  EXPECT_EQ(std::get<SocketCall>(classic[0]).op, CallOp::kRead);
  EXPECT_EQ(marker[0] % 3, 2);
  EXPECT_EQ(marker[1] % kClassicCallOpCount, static_cast<uint8_t>(CallOp::kRead));
}

TEST(BinaryScenario, ExtendedCallsReachTheirSocketFeatures) {
  // Passive open, then TCP_NOTSENT_LOWAT, a zerocopy send and its
  // completion read from the error queue.
  std::vector<BinaryEvent> events{
      SocketCall{CallOp::kListen, 4},
      InjectSegment{.flags = 0x02, .window = 65535, .options = 1},
      InjectSegment{.flags = 0x10, .window = 65535},
      SocketCall{CallOp::kAccept, 0},
      SocketCall{CallOp::kNotSentLowat, 2000},
      SocketCall{CallOp::kZerocopy, 1},
      SocketCall{CallOp::kSendZerocopy, 100},
  };
  BinaryRunner runner;
  runner.run(events);
  const netstack::tcp::Endpoint* ep = nullptr;
  runner.tcp().for_each_endpoint([&](const netstack::tcp::Endpoint& e) {
    if (e.state() == netstack::tcp::State::kEstablished) ep = &e;
  });
  ASSERT_NE(ep, nullptr);
  netstack::tcp::Endpoint& live = *runner.tcp().find(ep->id());
  EXPECT_EQ(live.get_option(netstack::tcp::SockOpt::kNotSentLowat).value(), 2000);
  EXPECT_EQ(live.get_option(netstack::tcp::SockOpt::kZerocopy).value(), 1);
  EXPECT_EQ(live.info().send_queue_bytes, 100u);
}

TEST(BinaryScenario, UrgentDataReachesTheSocket) {
  // Passive open; the peer sends 10 bytes with the last one urgent; the
  // socket reads up to the mark and the urgent byte out of band.
  const std::vector<BinaryEvent> events{
      SocketCall{CallOp::kListen, 4},
      InjectSegment{.flags = 0x02, .window = 65535, .options = 1},
      InjectSegment{.flags = 0x10, .window = 65535},
      SocketCall{CallOp::kAccept, 0},
      InjectSegment{.flags = 0x38, .window = 65535, .payload = 10, .urgent = 10},  // URG|ACK|PSH
      SocketCall{CallOp::kAtMark, 0},
      SocketCall{CallOp::kRead, 1000},
      SocketCall{CallOp::kAtMark, 0},
      SocketCall{CallOp::kRecvOob, 0},
      SocketCall{CallOp::kRecvOob, 0},
      SocketCall{CallOp::kSplice, 100},
  };
  ScenarioRecorder recorder;
  BinaryRunner runner(BinaryRunOptions{.transcript = &recorder});
  runner.run(events);
  const std::string script = write_script(recorder.scenario(), "");
  EXPECT_NE(script.find("< PU. 1:11(10) ack 1 win 65535 urg 10"), std::string::npos) << script;
  EXPECT_NE(script.find("read(4, ..., 1000) = 9"), std::string::npos) << script;
  EXPECT_NE(script.find("recv(4, ..., 1, MSG_OOB) = 1"), std::string::npos) << script;
  EXPECT_NE(script.find("recv(4, ..., 1, MSG_OOB) = -1 EINVAL"), std::string::npos) << script;
  // splice() stops at the mark, even once the byte was read out of band.
  EXPECT_NE(script.find("pipe([5, 6]) = 0"), std::string::npos) << script;
  EXPECT_NE(script.find("splice(4, NULL, 6, NULL, 100, SPLICE_F_NONBLOCK) = -1 EAGAIN"),
            std::string::npos)
      << script;
}

TEST(BinaryScenario, EncodeDecodeRoundTrip) {
  const std::vector<BinaryEvent> events{
      SocketCall{CallOp::kListen, 4},
      InjectSegment{.flags = 0x12,
                    .seq_delta = -7,
                    .ack_delta = 300,
                    .window = 512,
                    .payload = 9,
                    .options = 0x1f,
                    .absolute = true,
                    .urgent = 200},
      AdvanceClock{65535},
      SocketCall{CallOp::kCork, 1},
  };
  const std::vector<uint8_t> bytes = encode_binary(events);
  EXPECT_EQ(bytes.size(), 4u + 12u + 3u + 4u);
  const std::vector<BinaryEvent> back = decode_binary(bytes);
  ASSERT_EQ(back.size(), events.size());
  const auto& s = std::get<InjectSegment>(back[1]);
  EXPECT_EQ(s.flags, 0x12);
  EXPECT_EQ(s.seq_delta, -7);
  EXPECT_EQ(s.ack_delta, 300);
  EXPECT_EQ(s.window, 512);
  EXPECT_EQ(s.payload, 9);
  EXPECT_EQ(s.options, 0x1f);
  EXPECT_TRUE(s.absolute);
  EXPECT_EQ(s.urgent, 200);
  EXPECT_EQ(std::get<AdvanceClock>(back[2]).ms, 65535);
  EXPECT_EQ(std::get<SocketCall>(back[3]).op, CallOp::kCork);
}

TEST(BinaryScenario, AnyBytesDecodeAndATruncatedTailIsDropped) {
  const std::vector<uint8_t> bytes{5 /* op 2: call */, 200, 0, 7, 1 /* advance, truncated */, 0};
  const std::vector<BinaryEvent> events = decode_binary(bytes);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(static_cast<int>(std::get<SocketCall>(events[0]).op), 200 % kClassicCallOpCount);
}

std::vector<std::vector<uint8_t>> scenario_seeds() {
  const std::filesystem::path dir =
      std::filesystem::path(TCPFUZZ_SOURCE_DIR) / "corpus/scenario_fuzzer";
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) paths.push_back(entry.path());
  std::ranges::sort(paths);
  std::vector<std::vector<uint8_t>> seeds;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return seeds;
}

// What a fuzz harness relies on when it keeps one runner: after reset(),
// an input gives the trace and states a fresh runner gives it, whatever
// the runner played before (here: every other seed, in reverse order).
TEST(BinaryScenario, AResetRunnerPlaysEveryInputAsAFreshOne) {
  const std::vector<std::vector<uint8_t>> seeds = scenario_seeds();
  ASSERT_GE(seeds.size(), 10u);
  std::vector<std::vector<std::string>> fresh_traces;
  std::vector<std::array<bool, netstack::tcp::kStateCount>> fresh_states;
  for (const auto& seed : seeds) {
    TraceLog trace(/*keep_all=*/true);
    BinaryRunner runner({.tracer = &trace});
    runner.run(decode_binary(seed));
    fresh_traces.push_back(trace.lines());
    fresh_states.push_back(runner.states_reached());
  }

  TraceLog trace(/*keep_all=*/true);
  BinaryRunner reused({.tracer = &trace});
  for (size_t i = seeds.size(); i-- > 0;) {
    reused.reset();
    const size_t before = trace.lines().size();
    reused.run(decode_binary(seeds[i]));
    const std::vector<std::string> all = trace.lines();
    ASSERT_FALSE(fresh_traces[i].empty()) << "seed " << i;
    EXPECT_EQ(std::vector<std::string>(all.begin() + static_cast<ptrdiff_t>(before), all.end()),
              fresh_traces[i])
        << "seed " << i;
    EXPECT_EQ(reused.states_reached(), fresh_states[i]) << "seed " << i;
  }
}

TEST(BinaryScenario, SeedsReachEveryRfc9293State) {
  const std::filesystem::path dir =
      std::filesystem::path(TCPFUZZ_SOURCE_DIR) / "corpus/scenario_fuzzer";
  std::array<bool, netstack::tcp::kStateCount> reached{};
  reached[static_cast<size_t>(netstack::tcp::State::kClosed)] =
      true;  // where every endpoint starts
  size_t seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    BinaryRunner runner;
    runner.run(decode_binary(bytes));
    for (size_t i = 0; i < reached.size(); ++i)
      reached[i] = reached[i] || runner.states_reached()[i];
    ++seeds;
  }
  EXPECT_GE(seeds, 10u);
  for (size_t i = 0; i < reached.size(); ++i) {
    EXPECT_TRUE(reached[i]) << "no seed reaches "
                            << to_string(static_cast<netstack::tcp::State>(i));
  }
}

}  // namespace
}  // namespace tcpfuzz::scenario
