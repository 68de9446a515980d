#include "fuzz/scenario/script_timing.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "fuzz/scenario/socket_under_test.h"

namespace tcpfuzz::scenario {

using netstack::Instant;

namespace {

constexpr int64_t kStartUs = kScriptStartNanos / 1000;

}  // namespace

int64_t script_us(Instant t) {
  return t.nanos() / 1000 - kStartUs;
}

Instant instant_of_script_us(int64_t us) {
  return Instant::from_nanos((us + kStartUs) * 1000);
}

std::string fixed_seconds(int64_t us) {
  std::ostringstream o;
  o << std::fixed;
  o.precision(6);
  o << static_cast<double>(us) / 1e6;
  return o.str();
}

ScriptTiming::Due ScriptTiming::due(const Event& e, bool inbound, int64_t now_us) const {
  int64_t offset = 0;
  if (e.time.kind != EventTime::Kind::kAbsolute) {
    offset = (inbound && previous_inbound_) ? previous_us_ : now_us;
  }
  Due d;
  d.start_us =
      e.time.kind == EventTime::Kind::kAbsolute ? e.time.start_us : offset + e.time.start_us;
  if (e.time.end_us) {
    d.end_us = e.time.end_relative || e.time.kind == EventTime::Kind::kRelative
                   ? offset + *e.time.end_us
                   : *e.time.end_us;
  }
  return d;
}

int64_t ScriptTiming::tolerance_for(int64_t expected_us) const {
  const auto dynamic = static_cast<int64_t>(tolerance_percent_ / 100.0 *
                                            static_cast<double>(expected_us - previous_us_));
  return std::max(tolerance_us_, dynamic);
}

int64_t ScriptTiming::ts_tolerance_at(int64_t t) const {
  return std::max(tolerance_us_,
                  static_cast<int64_t>(tolerance_percent_ / 100.0 * static_cast<double>(t)));
}

std::optional<std::string> ScriptTiming::late_start(int64_t t, Instant now) const {
  if (now <= instant_of_script_us(t) + std::chrono::microseconds(tolerance_for(t))) {
    return std::nullopt;
  }
  return "timing error: expected event at " + fixed_seconds(t) + " s but it could run only at " +
         fixed_seconds(script_us(now)) + " s";
}

std::optional<std::string> ScriptTiming::wrong_return(const std::string& call, int64_t end_us,
                                                      int64_t now_us) const {
  if (std::llabs(now_us - end_us) <= tolerance_for(end_us)) return std::nullopt;
  return "timing error: expected " + call + " to return at " + fixed_seconds(end_us) +
         " s but it returned at " + fixed_seconds(now_us) + " s";
}

std::optional<std::string> ScriptTiming::wrong_send_time(int64_t t, std::optional<int64_t> t_end,
                                                         int64_t sent_us) const {
  const int64_t tolerance = tolerance_for(t);
  const int64_t latest = (t_end ? *t_end : t) + tolerance;
  if (sent_us >= t - tolerance && sent_us <= latest) return std::nullopt;
  return "timing error: expected the packet at " + fixed_seconds(t) +
         (t_end ? "~" + fixed_seconds(*t_end) : "") + " s (tolerance " + fixed_seconds(tolerance) +
         " s)";
}

}  // namespace tcpfuzz::scenario
