// Shrinks an input that makes a fuzz target fail while the failure keeps
// its signature (harness/crash_signature.h): delta debugging over the
// input's units (events, operations, records or bytes, see input_shape.h),
// then simpler fields one unit at a time, then merged neighbours, again
// until nothing changes or a budget runs out. Every candidate runs in a
// child process with a timeout; each distinct candidate runs once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "fuzz/minimize/input_shape.h"

namespace tcpfuzz::minimize {

struct Limits {
  size_t max_runs = 5000;
  double max_seconds = 300;
  unsigned timeout_seconds = 10;  // per candidate; a longer run is a "timeout"
};

struct Progress {
  size_t units_before = 0;
  size_t units_now = 0;
  size_t bytes_before = 0;
  size_t bytes_now = 0;
  size_t runs = 0;
  double seconds = 0;
};

// "minimize: 37 events -> 12 events, 1450 -> 210 bytes, 312 runs, 4.1 s"
std::string progress_line(const Progress& p, std::string_view unit_name);

struct Result {
  // Whether the input failed in the first place; the rest describes that
  // first run when it did not.
  bool fails = false;
  std::string signature;  // the failure kept, or how the clean run ended
  Bytes input;            // the smallest failing input found
  Progress progress;
  // Set when max_runs or max_seconds ended the search before a fixed point.
  std::string stopped_by;
};

class Minimizer {
 public:
  using RunInput = void (*)(std::span<const uint8_t> input);
  using OnProgress = std::function<void(const Progress&)>;

  Minimizer(const InputShape& shape, RunInput run, Limits limits, OnProgress on_progress)
      : shape_(shape), run_(run), limits_(limits), on_progress_(std::move(on_progress)) {}

  Result minimize(std::span<const uint8_t> input);

 private:
  // Whether `candidate` fails with the signature being kept (false once the
  // budget is spent).
  bool fails_alike(const SplitInput& candidate);
  // Replaces `value` by its simpler versions for as long as one still fails
  // in `context` (with `value` in it); whether anything changed.
  bool simplify(Bytes& value, std::vector<Bytes> (*simpler)(std::span<const uint8_t>),
                SplitInput& context);
  // ddmin over the units: the fewest units that still fail.
  std::vector<Bytes> remove_units(const SplitInput& input);
  bool merge_neighbours(SplitInput& input);
  double elapsed() const;
  void report(const SplitInput& now);

  const InputShape& shape_;
  RunInput run_;
  Limits limits_;
  OnProgress on_progress_;
  std::string signature_id_;
  std::unordered_map<std::string, bool> tried_;  // candidate bytes -> failed alike
  Progress progress_;
  std::string stopped_by_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace tcpfuzz::minimize
