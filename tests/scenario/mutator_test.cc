// The structure-aware mutator and its AFL++ glue: outputs are always valid,
// canonical encodings within max_size; trimming keeps what matters.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <random>

#include "fuzz/mutator/scenario_mutator.h"

namespace tcpfuzz::mutator {
namespace {

using namespace scenario;

extern "C" {
void* afl_custom_init(void* afl, unsigned int seed);
size_t afl_custom_fuzz(void* data, uint8_t* buf, size_t buf_size, uint8_t** out_buf,
                       uint8_t* add_buf, size_t add_buf_size, size_t max_size);
int32_t afl_custom_init_trim(void* data, uint8_t* buf, size_t buf_size);
size_t afl_custom_trim(void* data, uint8_t** out_buf);
int32_t afl_custom_post_trim(void* data, unsigned char success);
void afl_custom_deinit(void* data);
}

// Canonical: what decodes re-encodes to the same bytes, so the fuzzer's
// corpus holds no two spellings of one scenario.
bool canonical(const std::vector<uint8_t>& bytes) {
  return encode_binary(decode_binary(bytes)) == bytes;
}

RC_GTEST_PROP(MutatorProps, MutationsAreCanonicalAndFit,
              (const std::vector<uint8_t>& input, uint32_t seed)) {
  const size_t max_size = *rc::gen::inRange<size_t>(0, 600);
  const std::vector<uint8_t> out = ScenarioMutator(seed).mutate(input, max_size);
  RC_ASSERT(out.size() <= max_size);
  RC_ASSERT(canonical(out));
}

RC_GTEST_PROP(MutatorProps, CrossOversAreCanonicalAndFit,
              (const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, uint32_t seed)) {
  const size_t max_size = *rc::gen::inRange<size_t>(0, 600);
  const std::vector<uint8_t> out = ScenarioMutator(seed).cross_over(a, b, max_size);
  RC_ASSERT(out.size() <= max_size);
  RC_ASSERT(canonical(out));
  // Every event comes from one of the parents.
  const auto from_a = decode_binary(a);
  const auto from_b = decode_binary(b);
  for (const BinaryEvent& e : decode_binary(out)) {
    const auto bytes = encode_binary({e});
    auto in = [&](const std::vector<BinaryEvent>& parent) {
      return std::ranges::any_of(parent,
                                 [&](const BinaryEvent& p) { return encode_binary({p}) == bytes; });
    };
    RC_ASSERT(in(from_a) || in(from_b));
  }
}

TEST(Mutator, SameSeedSameMutation) {
  const std::vector<uint8_t> input =
      encode_binary({SocketCall{CallOp::kListen, 1}, InjectSegment{.flags = 0x02, .window = 100}});
  EXPECT_EQ(ScenarioMutator(7).mutate(input, 512), ScenarioMutator(7).mutate(input, 512));
}

TEST(Mutator, ChangesTheInputAndMostlyKeepsItsEvents) {
  const std::vector<BinaryEvent> events{SocketCall{CallOp::kListen, 1},
                                        InjectSegment{.flags = 0x02, .window = 100},
                                        InjectSegment{.flags = 0x10, .window = 100},
                                        SocketCall{CallOp::kAccept, 0}, AdvanceClock{200}};
  const std::vector<uint8_t> input = encode_binary(events);
  int changed = 0;
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    const auto out = decode_binary(ScenarioMutator(seed).mutate(input, 512));
    if (encode_binary(out) != input) ++changed;
    // At most four edits: most of the original events survive.
    EXPECT_LE(out.size(), events.size() + 16) << seed;
  }
  EXPECT_EQ(changed, 200);
}

TEST(Mutator, EncodeWithinDropsEventsFromTheEnd) {
  const std::vector<BinaryEvent> events{AdvanceClock{1}, SocketCall{CallOp::kRead, 2},
                                        AdvanceClock{3}};
  // 3 + 4 + 3 bytes: 8 bytes hold the first two events only.
  const auto out = encode_within(events, 8);
  EXPECT_EQ(out, encode_binary({AdvanceClock{1}, SocketCall{CallOp::kRead, 2}}));
  EXPECT_TRUE(encode_within(events, 2).empty());
}

TEST(AflMutator, FuzzReturnsValidInputsWithinMaxSize) {
  void* state = afl_custom_init(nullptr, 3);
  ASSERT_NE(state, nullptr);
  std::vector<uint8_t> input = encode_binary({SocketCall{CallOp::kConnect, 0}, AdvanceClock{100}});
  std::vector<uint8_t> other = encode_binary({InjectSegment{.flags = 0x12, .window = 1}});
  for (int i = 0; i < 100; ++i) {
    uint8_t* out = nullptr;
    const size_t n =
        afl_custom_fuzz(state, input.data(), input.size(), &out, other.data(), other.size(), 40);
    ASSERT_LE(n, 40u);
    EXPECT_TRUE(canonical({out, out + n}));
  }
  afl_custom_deinit(state);
}

TEST(AflMutator, FuzzNeverReturnsNothing) {
  // afl-fuzz aborts the campaign when a custom mutator returns 0 bytes, and
  // it hands the mutator arbitrary bytes (whose events a mutation may all
  // delete), not only valid scenarios.
  void* state = afl_custom_init(nullptr, 5);
  std::mt19937 rng(1);
  for (int i = 0; i < 5000; ++i) {
    std::vector<uint8_t> input(rng() % 64);
    std::vector<uint8_t> other(rng() % 64);
    for (uint8_t& b : input) b = static_cast<uint8_t>(rng());
    for (uint8_t& b : other) b = static_cast<uint8_t>(rng());
    uint8_t* out = nullptr;
    const size_t n = afl_custom_fuzz(state, input.data(), input.size(), &out, other.data(),
                                     other.size(), 1 << 20);
    ASSERT_GT(n, 0u) << "iteration " << i;
  }
  afl_custom_deinit(state);
}

TEST(AflMutator, TrimKeepsExactlyTheEventsTheCoverageNeeds) {
  // AFL keeps a trim when coverage is unchanged; here "coverage" needs the
  // connect and the SYN-ACK, nothing else.
  const std::vector<BinaryEvent> needed{SocketCall{CallOp::kConnect, 0},
                                        InjectSegment{.flags = 0x12, .window = 5}};
  std::vector<uint8_t> input =
      encode_binary({AdvanceClock{1}, needed[0], SocketCall{CallOp::kRead, 9}, AdvanceClock{2},
                     needed[1], AdvanceClock{3}});
  auto keeps_coverage = [&](const std::vector<uint8_t>& candidate) {
    const std::vector<uint8_t> want = encode_binary(needed);
    // The needed events, in order, as a subsequence of the candidate.
    const auto events = decode_binary(candidate);
    size_t matched = 0;
    for (const auto& e : events) {
      if (matched < needed.size() && encode_binary({e}) == encode_binary({needed[matched]}))
        ++matched;
    }
    return matched == needed.size();
  };
  void* state = afl_custom_init(nullptr, 1);
  const int32_t steps = afl_custom_init_trim(state, input.data(), input.size());
  ASSERT_EQ(steps, 6);
  std::vector<uint8_t> best = input;
  for (int32_t step = 0; step < steps;) {
    uint8_t* out = nullptr;
    const size_t n = afl_custom_trim(state, &out);
    const std::vector<uint8_t> candidate(out, out + n);
    const bool success = keeps_coverage(candidate);
    if (success) best = candidate;
    step = afl_custom_post_trim(state, success ? 1 : 0);
  }
  EXPECT_EQ(best, encode_binary(needed));
  afl_custom_deinit(state);
}

}  // namespace
}  // namespace tcpfuzz::mutator
