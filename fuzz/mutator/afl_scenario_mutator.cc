// The scenario mutator as an AFL++ custom mutator library
// (AFL_CUSTOM_MUTATOR_LIBRARY=.../libafl_scenario_mutator.so): afl_custom_fuzz
// mutates events and splices with AFL's second input; the trim stage drops
// one event at a time, which keeps every candidate a valid scenario.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "fuzz/mutator/scenario_mutator.h"

namespace {

struct MutatorState {
  explicit MutatorState(unsigned seed) : mutator(seed) {}
  tcpfuzz::mutator::ScenarioMutator mutator;
  std::vector<uint8_t> out;  // afl_custom_fuzz's and afl_custom_trim's result
  // Trimming: the events kept so far and the one tried without.
  std::vector<tcpfuzz::scenario::BinaryEvent> trim_events;
  size_t trim_at = 0;
  int32_t trim_steps = 0;
};

}  // namespace

extern "C" {

void* afl_custom_init(void* /*afl*/, unsigned int seed) {
  return new (std::nothrow) MutatorState(seed);
}

size_t afl_custom_fuzz(void* data, uint8_t* buf, size_t buf_size, uint8_t** out_buf,
                       uint8_t* add_buf, size_t add_buf_size, size_t max_size) {
  auto* state = static_cast<MutatorState*>(data);
  const std::span<const uint8_t> input(buf, buf_size);
  state->out = state->mutator.mutate_or_splice(input, {add_buf, add_buf_size}, max_size);
  // afl-fuzz stops on an empty result; hand back the input (or one byte)
  // instead, which it then treats as an unproductive mutation.
  if (state->out.empty()) {
    state->out.assign(buf, buf + std::min(buf_size, max_size));
    if (state->out.empty()) state->out.push_back(0);
  }
  *out_buf = state->out.data();
  return state->out.size();
}

int32_t afl_custom_init_trim(void* data, uint8_t* buf, size_t buf_size) {
  auto* state = static_cast<MutatorState*>(data);
  state->trim_events = tcpfuzz::scenario::decode_binary({buf, buf_size});
  state->trim_at = 0;
  // An input is never trimmed to nothing.
  state->trim_steps =
      state->trim_events.size() > 1 ? static_cast<int32_t>(state->trim_events.size()) : 0;
  return state->trim_steps;
}

size_t afl_custom_trim(void* data, uint8_t** out_buf) {
  auto* state = static_cast<MutatorState*>(data);
  std::vector<tcpfuzz::scenario::BinaryEvent> without = state->trim_events;
  without.erase(without.begin() + static_cast<std::ptrdiff_t>(state->trim_at));
  state->out = tcpfuzz::scenario::encode_binary(without);
  *out_buf = state->out.data();
  return state->out.size();
}

int32_t afl_custom_post_trim(void* data, unsigned char success) {
  auto* state = static_cast<MutatorState*>(data);
  if (success != 0) {
    // The event was not needed: keep it out and try the next one in its place.
    state->trim_events.erase(state->trim_events.begin() +
                             static_cast<std::ptrdiff_t>(state->trim_at));
  } else {
    ++state->trim_at;
  }
  // Done when every remaining event has been tried, or one is left.
  const bool done = state->trim_at >= state->trim_events.size() || state->trim_events.size() <= 1;
  return done ? state->trim_steps : static_cast<int32_t>(state->trim_at);
}

void afl_custom_deinit(void* data) {
  delete static_cast<MutatorState*>(data);
}

}  // extern "C"
