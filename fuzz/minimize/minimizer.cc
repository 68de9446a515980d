#include "fuzz/minimize/minimizer.h"

#include <cstdio>

#include "fuzz/harness/child_run.h"
#include "fuzz/harness/crash_signature.h"
#include "fuzz/minimize/ddmin.h"

namespace tcpfuzz::minimize {

std::string progress_line(const Progress& p, std::string_view unit_name) {
  char line[200];
  const std::string units(unit_name);
  std::snprintf(line, sizeof line, "minimize: %zu %s -> %zu %s, %zu -> %zu bytes, %zu runs, %.1f s",
                p.units_before, units.c_str(), p.units_now, units.c_str(), p.bytes_before,
                p.bytes_now, p.runs, p.seconds);
  return line;
}

double Minimizer::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Minimizer::report(const SplitInput& now) {
  progress_.units_now = now.units.size();
  progress_.bytes_now = join(now).size();
  progress_.seconds = elapsed();
  if (on_progress_) on_progress_(progress_);
}

bool Minimizer::fails_alike(const SplitInput& candidate) {
  const Bytes bytes = join(candidate);
  const std::string key(bytes.begin(), bytes.end());
  if (auto it = tried_.find(key); it != tried_.end()) return it->second;
  if (progress_.runs >= limits_.max_runs) {
    stopped_by_ = "max runs";
    return false;
  }
  if (elapsed() >= limits_.max_seconds) {
    stopped_by_ = "max seconds";
    return false;
  }
  ++progress_.runs;
  const harness::ChildOutcome child =
      harness::run_in_child([&](int) { run_(bytes); },
                            {.capture_stderr = true, .timeout_seconds = limits_.timeout_seconds});
  const bool alike =
      child.crashed &&
      harness::crash_signature(child.report, child.how, child.timed_out).id == signature_id_;
  tried_.emplace(key, alike);
  return alike;
}

bool Minimizer::simplify(Bytes& value, std::vector<Bytes> (*simpler)(std::span<const uint8_t>),
                         SplitInput& context) {
  bool changed = false;
  for (bool again = true; again;) {
    again = false;
    const Bytes was = value;
    for (Bytes& candidate : simpler(was)) {
      value = std::move(candidate);
      if (fails_alike(context)) {
        again = changed = true;
        break;
      }
      value = was;
    }
  }
  return changed;
}

std::vector<Bytes> Minimizer::remove_units(const SplitInput& input) {
  std::vector<size_t> all(input.units.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  // The units left when only `kept` stay: with their numbers adjusted where
  // the shape does that, else (or if that does not fail) as they are.
  const auto left = [&](const std::vector<size_t>& kept, bool adjusted) {
    SplitInput candidate{input.header, {}};
    if (adjusted) {
      std::vector<bool> removed(input.units.size(), true);
      for (size_t i : kept) removed[i] = false;
      candidate.units = shape_.without(input.units, removed);
    } else {
      for (size_t i : kept) candidate.units.push_back(input.units[i]);
    }
    return candidate;
  };
  std::vector<Bytes> smallest = input.units;
  ddmin(all, [&](const std::vector<size_t>& kept) {
    for (bool adjusted : {true, false}) {
      if (adjusted && shape_.without == nullptr) continue;
      SplitInput candidate = left(kept, adjusted);
      if (fails_alike(candidate)) {
        smallest = std::move(candidate.units);
        return true;
      }
    }
    return false;
  });
  return smallest;
}

bool Minimizer::merge_neighbours(SplitInput& input) {
  if (shape_.merge == nullptr) return false;
  bool changed = false;
  for (size_t i = 0; i + 1 < input.units.size();) {
    const std::optional<Bytes> merged = shape_.merge(input.units[i], input.units[i + 1]);
    if (merged) {
      SplitInput candidate = input;
      candidate.units[i] = *merged;
      candidate.units.erase(candidate.units.begin() + static_cast<ptrdiff_t>(i) + 1);
      if (fails_alike(candidate)) {
        input = std::move(candidate);
        changed = true;
        continue;  // the merged unit may merge with the next one too
      }
    }
    ++i;
  }
  return changed;
}

Result Minimizer::minimize(std::span<const uint8_t> input) {
  start_ = std::chrono::steady_clock::now();
  Result result;
  result.input.assign(input.begin(), input.end());
  SplitInput best = shape_.split(input);
  progress_.units_before = best.units.size();
  progress_.bytes_before = input.size();

  ++progress_.runs;
  const harness::ChildOutcome first =
      harness::run_in_child([&](int) { run_(input); },
                            {.capture_stderr = true, .timeout_seconds = limits_.timeout_seconds});
  if (!first.crashed) {
    result.signature = "it runs to the end without a failure";
    progress_.seconds = elapsed();
    result.progress = progress_;
    return result;
  }
  const harness::CrashSignature signature =
      harness::crash_signature(first.report, first.how, first.timed_out);
  result.fails = true;
  result.signature = signature.text;
  signature_id_ = signature.id;
  tried_.emplace(std::string(input.begin(), input.end()), true);

  // The input as its units (bytes no unit takes dropped), if that still fails.
  if (fails_alike(best)) {
    for (bool changed = true; changed && stopped_by_.empty();) {
      const size_t units = best.units.size();
      best.units = remove_units(best);
      changed = best.units.size() != units;
      report(best);
      changed |= simplify(best.header, shape_.simpler_header, best);
      for (size_t i = 0; i < best.units.size(); ++i) {
        changed |= simplify(best.units[i], shape_.simpler_unit, best);
      }
      changed |= merge_neighbours(best);
      report(best);
    }
    result.input = join(best);
  }
  progress_.units_now = shape_.split(result.input).units.size();
  progress_.bytes_now = result.input.size();
  progress_.seconds = elapsed();
  result.progress = progress_;
  result.stopped_by = stopped_by_;
  return result;
}

}  // namespace tcpfuzz::minimize
