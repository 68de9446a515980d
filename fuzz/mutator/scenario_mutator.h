// A structure-aware mutator for the binary scenario encoding
// (fuzz/scenario/binary_scenario.h). It edits the list of events, never the
// bytes: insert, delete, duplicate and reorder events, splice two inputs,
// and tweak one field to a value that means something to TCP (the in-order
// sequence number, the window edge, 0/1/65535 windows, a full MSS of
// payload, a timer's length of clock). Its output always decodes to the
// events it made (the encoding is canonical) and fits in max_size.
// Used by libFuzzer (LLVMFuzzerCustomMutator/CrossOver in
// fuzz/targets/scenario_fuzzer.cc) and by AFL++ (afl_scenario_mutator.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "fuzz/scenario/binary_scenario.h"

namespace tcpfuzz::mutator {

class ScenarioMutator {
 public:
  explicit ScenarioMutator(uint32_t seed) : rng_(seed) {}

  // One to four event-level mutations of `input`, encoded in at most
  // `max_size` bytes (events at the end are dropped to fit).
  std::vector<uint8_t> mutate(std::span<const uint8_t> input, size_t max_size);
  // A prefix of `a` followed by a suffix of `b`, or a run of `b`'s events
  // inserted into `a`.
  std::vector<uint8_t> cross_over(std::span<const uint8_t> a, std::span<const uint8_t> b,
                                  size_t max_size);
  // Either of the two, evenly (mutate when `other` is empty).
  std::vector<uint8_t> mutate_or_splice(std::span<const uint8_t> input,
                                        std::span<const uint8_t> other, size_t max_size);

  // A new event with meaningful field values.
  scenario::BinaryEvent random_event();
  // `e` with one field changed.
  void tweak(scenario::BinaryEvent& e);

 private:
  size_t below(size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }
  bool one_in(size_t n) { return below(n) == 0; }
  template <class T>
  T pick(std::initializer_list<T> values) {
    return *(values.begin() + below(values.size()));
  }
  uint16_t random_u16() { return static_cast<uint16_t>(below(0x10000)); }

  scenario::InjectSegment random_segment();
  scenario::SocketCall random_call();
  int16_t sequence_delta();
  uint16_t window();
  uint16_t advance_ms();
  uint16_t call_argument(scenario::CallOp op);
  void mutate_once(std::vector<scenario::BinaryEvent>& events);

  std::minstd_rand rng_;
};

// The encoding of `events`, dropping events at the end until it fits.
std::vector<uint8_t> encode_within(std::vector<scenario::BinaryEvent> events, size_t max_size);

}  // namespace tcpfuzz::mutator
