// Where a BinaryRunner writes the script lines of its run, as they happen.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fuzz/scenario/scenario.h"

namespace tcpfuzz::scenario {

class TranscriptSink {
 public:
  virtual ~TranscriptSink() = default;
  // A finished line: an inbound packet (before it is injected), an outbound
  // packet, or a call with its result.
  virtual void add(Event e) = 0;
  // Binary event `index` starts now; it may move the clock to `until_us`
  // (script time). Sinks that must outlive a crash use it to place the end.
  virtual void begin_event(size_t /*index*/, int64_t /*now_us*/, int64_t /*until_us*/) {}
  // A call about to be made, its result not known yet; add() follows unless
  // the run dies inside the call.
  virtual void pending(const Event& /*call*/) {}
};

// Keeps the finished lines as a Scenario.
class ScenarioRecorder final : public TranscriptSink {
 public:
  void add(Event e) override { scenario_.events.push_back(std::move(e)); }
  Scenario& scenario() { return scenario_; }
  const Scenario& scenario() const { return scenario_; }

 private:
  Scenario scenario_;
};

}  // namespace tcpfuzz::scenario
