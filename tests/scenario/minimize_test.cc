// tcpfuzz minimize: delta debugging over events and fields keeps the
// failure's signature. The failures are planted by a tracer on the real
// stack, in the child processes the minimiser runs; the stack itself is
// unchanged.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fuzz/cli/commands.h"
#include "fuzz/cli/minimize_command.h"
#include "fuzz/harness/pair_target.h"
#include "fuzz/harness/replay.h"
#include "fuzz/harness/segment_target.h"
#include "fuzz/minimize/ddmin.h"
#include "fuzz/minimize/input_shape.h"
#include "fuzz/minimize/minimizer.h"
#include "fuzz/scenario/binary_scenario.h"

namespace tcpfuzz::minimize {
namespace {

namespace fs = std::filesystem;
using scenario::AdvanceClock;
using scenario::BinaryEvent;
using scenario::CallOp;
using scenario::InjectSegment;
using scenario::SocketCall;

// Two planted failures, told apart by their invariant names: data arriving
// in ESTABLISHED (the one the tests start from) and, failing that, any SYN
// a listener queued (which most smaller inputs would give instead).
class PlantedBug final : public netstack::tcp::Tracer {
 public:
  ~PlantedBug() override {
    if (syn_queued_) fail("planted: listener queued a SYN");
  }
  void on_segment_in(netstack::Instant, netstack::tcp::EndpointId, netstack::tcp::State state,
                     const netstack::header::TcpHeader&, size_t payload,
                     netstack::tcp::Verdict verdict) override {
    if (payload > 0 && state == netstack::tcp::State::kEstablished) {
      fail("planted: data in ESTABLISHED");
    }
    syn_queued_ |= verdict == netstack::tcp::Verdict::kSynQueued;
  }

 private:
  [[noreturn]] static void fail(const char* invariant) {
    std::fprintf(stderr, "tcpfuzz: TCP invariant violated\n%s\n", invariant);
    std::abort();
  }
  bool syn_queued_ = false;
};

void run_with_planted_bug(std::span<const uint8_t> input) {
  PlantedBug bug;
  harness::observe_scenario_input(input, bug);
}

netstack::Expected<harness::ExportedScript, std::string> script_with_planted_bug(
    std::span<const uint8_t> input, std::string_view comment, netstack::tcp::Tracer*) {
  PlantedBug bug;
  return harness::scenario_input_as_script(input, comment, &bug);
}

// The shape the registry gives the named target's inputs.
const InputShape& shape_for(std::string_view target) {
  return shape_of(*harness::find_target(target));
}

harness::Target planted_scenario_target() {
  harness::Target t = *harness::find_target("scenario_fuzzer");
  t.run = run_with_planted_bug;
  t.to_script = script_with_planted_bug;
  return t;
}

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A seed with a handshake, data and a close, padded with events that do not
// matter to the planted bug.
std::vector<uint8_t> failing_scenario() {
  std::vector<BinaryEvent> events = scenario::decode_binary(read_file(
      fs::path(TCPFUZZ_SOURCE_DIR) / "corpus/scenario_fuzzer/passive-data-passive-close.bin"));
  events.insert(events.begin(), AdvanceClock{300});
  events.insert(events.begin(), AdvanceClock{1200});
  events.push_back(SocketCall{CallOp::kNoDelay, 1});
  events.push_back(AdvanceClock{5000});
  events.push_back(SocketCall{CallOp::kRead, 4000});
  return scenario::encode_binary(events);
}

Limits quick_limits() {
  return {.max_runs = 2000, .max_seconds = 120, .timeout_seconds = 10};
}

TEST(Ddmin, KeepsOnlyTheItemsTheFailureNeeds) {
  std::vector<int> items(40);
  for (int i = 0; i < 40; ++i) items[static_cast<size_t>(i)] = i;
  size_t tests = 0;
  const std::vector<int> kept = ddmin(items, [&](const std::vector<int>& c) {
    ++tests;
    const auto has = [&](int v) { return std::find(c.begin(), c.end(), v) != c.end(); };
    return has(3) && has(17) && has(31);
  });
  EXPECT_EQ(kept, (std::vector<int>{3, 17, 31}));
  EXPECT_LT(tests, 120u);
}

TEST(InputShape, ScenarioEventsSplitAndJoinBackToTheCanonicalInput) {
  const std::vector<uint8_t> input = failing_scenario();
  const SplitInput split = shape_for("scenario_fuzzer").split(input);
  EXPECT_EQ(split.units.size(), scenario::decode_binary(input).size());
  EXPECT_EQ(join(split), input);
}

TEST(InputShape, SimplerSegmentsHaveLessPayloadFewerOptionsAndSmallerDeltas) {
  const InjectSegment s{.flags = 0x18,
                        .seq_delta = -40,
                        .ack_delta = 8,
                        .window = 1000,
                        .payload = 200,
                        .options = 0x09};
  const std::vector<Bytes> simpler =
      shape_for("scenario_fuzzer").simpler_unit(scenario::encode_binary({s}));
  ASSERT_FALSE(simpler.empty());
  const auto first = std::get<InjectSegment>(scenario::decode_binary(simpler.front()).front());
  EXPECT_EQ(first.payload, 0);
  bool fewer_options = false;
  bool smaller_seq = false;
  for (const Bytes& b : simpler) {
    const auto c = std::get<InjectSegment>(scenario::decode_binary(b).front());
    fewer_options |= c.options == 0x08;
    smaller_seq |= c.seq_delta == -20;
  }
  EXPECT_TRUE(fewer_options);
  EXPECT_TRUE(smaller_seq);
}

TEST(InputShape, TwoClockJumpsMergeIntoOne) {
  const InputShape& shape = shape_for("scenario_fuzzer");
  const auto merged = shape.merge(scenario::encode_binary({AdvanceClock{200}}),
                                  scenario::encode_binary({AdvanceClock{300}}));
  ASSERT_TRUE(merged);
  EXPECT_EQ(*merged, scenario::encode_binary({AdvanceClock{500}}));
  EXPECT_FALSE(shape.merge(scenario::encode_binary({AdvanceClock{200}}),
                           scenario::encode_binary({SocketCall{CallOp::kListen, 0}})));
}

TEST(InputShape, RemovedInOrderSegmentsLeaveLaterRetransmissionsWhereTheyWere) {
  const InputShape& shape = shape_for("scenario_fuzzer");
  const std::vector<Bytes> units{
      scenario::encode_binary({InjectSegment{.flags = 0x10, .payload = 100}}),
      scenario::encode_binary({InjectSegment{.flags = 0x10, .payload = 50}}),
      scenario::encode_binary({InjectSegment{.flags = 0x10, .seq_delta = -120, .payload = 1}}),
      scenario::encode_binary({InjectSegment{.flags = 0x10, .payload = 10}})};
  const std::vector<Bytes> left = shape.without(units, {false, true, false, false});
  ASSERT_EQ(left.size(), 3u);
  EXPECT_EQ(left[0], units[0]);
  // 50 bytes fewer before it: 120 back from the peer's next is now 70 back.
  EXPECT_EQ(std::get<InjectSegment>(scenario::decode_binary(left[1]).front()).seq_delta, -70);
  EXPECT_EQ(left[2], units[3]);  // in order, it stays in order
}

TEST(InputShape, PairInputsKeepTheirFaultPlanAsAHeader) {
  const std::vector<uint8_t> input{10, 0, 0, 5, 0, 7, 0, 3, 4, 9, 1};  // a stray last byte
  const SplitInput split = shape_for("pair_fuzzer").split(input);
  EXPECT_EQ(split.header, (Bytes{10, 0, 0, 5, 0, 7}));
  ASSERT_EQ(split.units.size(), 2u);
  EXPECT_EQ(split.units[1], (Bytes{4, 9}));
  EXPECT_EQ(shape_for("pair_fuzzer").simpler_header(split.header).front(),
            (Bytes{0, 0, 0, 5, 0, 7}));
}

TEST(InputShape, ByteLevelTargetsAreMinimisedByteByByte) {
  const SplitInput split = shape_for("header_fuzzer").split(std::vector<uint8_t>{1, 2, 3});
  EXPECT_EQ(shape_for("header_fuzzer").unit_name, "bytes");
  EXPECT_EQ(split.units.size(), 3u);
}

TEST(Minimizer, ShrinksToTheEventsTheFailureNeedsAndKeepsItsSignature) {
  const std::vector<uint8_t> input = failing_scenario();
  size_t progress_reports = 0;
  Minimizer m(shape_for("scenario_fuzzer"), run_with_planted_bug, quick_limits(),
              [&](const Progress&) { ++progress_reports; });
  const Result r = m.minimize(input);
  ASSERT_TRUE(r.fails);
  EXPECT_EQ(r.signature, "invariant: planted: data in ESTABLISHED");
  EXPECT_TRUE(r.stopped_by.empty()) << r.stopped_by;
  EXPECT_GT(progress_reports, 0u);
  const std::vector<BinaryEvent> events = scenario::decode_binary(r.input);
  std::string described;
  for (const BinaryEvent& e : events) described += scenario::describe(e) + "\n";
  // listen, SYN, ACK, one byte of data: the padding, the close and the
  // clock jumps are gone.
  EXPECT_LE(events.size(), 4u) << described;
  EXPECT_LT(r.input.size(), input.size() / 2);
  // Field level: the data segment carries one byte and no options.
  const auto* data = std::get_if<InjectSegment>(&events.back());
  ASSERT_NE(data, nullptr) << described;
  EXPECT_EQ(data->payload, 1) << described;
  EXPECT_EQ(data->options, 0) << described;
  EXPECT_EQ(r.progress.units_now, events.size());
  EXPECT_EQ(r.progress.bytes_now, r.input.size());

  // Again from the result: a fixed point, found from the cache-free start.
  Minimizer again(shape_for("scenario_fuzzer"), run_with_planted_bug, quick_limits(), nullptr);
  EXPECT_EQ(again.minimize(r.input).input, r.input);
}

TEST(Minimizer, StopsAtTheRunBudget) {
  Minimizer m(shape_for("scenario_fuzzer"), run_with_planted_bug,
              {.max_runs = 5, .max_seconds = 120, .timeout_seconds = 10}, nullptr);
  const Result r = m.minimize(failing_scenario());
  ASSERT_TRUE(r.fails);
  EXPECT_EQ(r.stopped_by, "max runs");
  EXPECT_LE(r.progress.runs, 5u);
  EXPECT_LE(r.input.size(), failing_scenario().size());
}

TEST(Minimizer, AnInputThatDoesNotFailIsReportedAsSuch) {
  Minimizer m(shape_for("scenario_fuzzer"), harness::find_target("scenario_fuzzer")->run,
              quick_limits(), nullptr);
  const Result r = m.minimize(failing_scenario());
  EXPECT_FALSE(r.fails);
  EXPECT_EQ(r.signature, "it runs to the end without a failure");
  EXPECT_EQ(r.progress.runs, 1u);
}

// segment_fuzzer's records: a failure that needs one record delayed by at
// least 100 ms, whatever its packet.
void fail_on_a_long_delay(std::span<const uint8_t> input) {
  for (const harness::SegmentRecord& r : harness::decode_segments(input)) {
    if (r.delay_ms >= 100) {
      std::fprintf(stderr, "tcpfuzz: TCP invariant violated\nplanted: long delay\n");
      std::abort();
    }
  }
}

TEST(Minimizer, ShrinksSegmentRecordsAndTheirFields) {
  std::vector<uint8_t> packet(60, 0x45);
  std::vector<harness::SegmentRecord> records;
  for (uint16_t delay : std::initializer_list<uint16_t>{5, 900, 20, 0}) {
    records.push_back({.keep_checksums = true, .delay_ms = delay, .packet = packet});
  }
  Minimizer m(shape_for("segment_fuzzer"), fail_on_a_long_delay, quick_limits(), nullptr);
  const Result r = m.minimize(harness::encode_segments(records));
  ASSERT_TRUE(r.fails);
  const std::vector<harness::SegmentRecord> left = harness::decode_segments(r.input);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].delay_ms, 100);
  EXPECT_FALSE(left[0].keep_checksums);
  EXPECT_TRUE(left[0].packet.empty());
}

// pair_fuzzer: a failure that needs a drop rate of at least 10 and a client
// write, whatever the rest of the plan and the other operations.
void fail_on_drops_and_a_write(std::span<const uint8_t> input) {
  const harness::PairInput pair = harness::decode_pair(input);
  const bool writes = std::any_of(pair.ops.begin(), pair.ops.end(), [](harness::PairOp op) {
    return op.kind == harness::PairOp::kClientWrite;
  });
  const bool drops = !input.empty() && input[0] >= 10;  // the plan's first byte: the drop rate
  if (drops && writes) {
    std::fprintf(stderr, "pair_fuzzer: integrity: planted\n");
    std::abort();
  }
}

TEST(Minimizer, ShrinksPairOperationsAndTheFaultPlan) {
  const std::vector<uint8_t> input{200, 30, 40, 50, 60, 7,  // fault plan
                                   4,   90, 1,  20, 0,  77, 3, 5, 4, 10, 2, 9};
  Minimizer m(shape_for("pair_fuzzer"), fail_on_drops_and_a_write, quick_limits(), nullptr);
  const Result r = m.minimize(input);
  ASSERT_TRUE(r.fails);
  EXPECT_EQ(r.signature, "pair_fuzzer: integrity: planted");
  EXPECT_EQ(r.input, (std::vector<uint8_t>{10, 0, 0, 0, 0, 0, 0, 0}));
}

class MinimizeCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("minimize_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    input_path_ = (dir_ / "crash").string();
    std::ofstream(input_path_, std::ios::binary)
        .write(reinterpret_cast<const char*>(failing_scenario().data()),
               static_cast<std::streamsize>(failing_scenario().size()));
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::string input_path_;
};

TEST_F(MinimizeCommand, WritesTheInputItsScriptAndItsPcap) {
  const harness::Target target = planted_scenario_target();
  const std::string out = (dir_ / "crash.min").string();
  ASSERT_EQ(
      cli::minimize_input(target, failing_scenario(),
                          {.input_path = input_path_, .out_path = out, .limits = quick_limits()}),
      0);
  const std::vector<uint8_t> minimised = read_file(out);
  EXPECT_LE(scenario::decode_binary(minimised).size(), 4u);
  EXPECT_GT(fs::file_size(out + ".pcap"), 24u);  // more than the pcap file header
  const std::vector<uint8_t> script = read_file(out + ".pkt");
  const std::string text(script.begin(), script.end());
  EXPECT_NE(text.find("Failure kept: invariant: planted: data in ESTABLISHED"), std::string::npos)
      << text;
  // The script ends where the run crashed and replays on the runner.
  EXPECT_NE(text.find("crashed"), std::string::npos) << text;
  EXPECT_EQ(cli::find_command("run")->main({out + ".pkt"}), 0) << text;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_FALSE(entry.path().string().ends_with(".tmp")) << entry.path();
  }
}

TEST_F(MinimizeCommand, AnInputThatDoesNotFailExitsOneAndWritesNothing) {
  const std::string out = (dir_ / "clean.min").string();
  EXPECT_EQ(
      cli::minimize_input(*harness::find_target("scenario_fuzzer"), failing_scenario(),
                          {.input_path = input_path_, .out_path = out, .limits = quick_limits()}),
      1);
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(MinimizeCommand, ABrokenFileOrAnUnknownTargetExitsTwo) {
  EXPECT_EQ(cli::find_command("minimize")
                ->main({(dir_ / "missing").string(), "--target", "scenario_fuzzer"}),
            2);
  EXPECT_EQ(cli::find_command("minimize")->main({dir_.string(), "--target", "scenario_fuzzer"}), 2);
  EXPECT_EQ(cli::find_command("minimize")->main({input_path_, "--target", "no_such_fuzzer"}), 2);
  EXPECT_EQ(cli::find_command("minimize")
                ->main({input_path_, "--target", "scenario_fuzzer", "--max-runs", "x"}),
            2);
}

}  // namespace
}  // namespace tcpfuzz::minimize
