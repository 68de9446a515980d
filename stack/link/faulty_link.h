// FaultyLink: wraps a Link and applies a fault plan to what is sent through
// it. The plan is data, so a test or fuzz input can state it exactly:
// scripted faults hit the Nth packet; random faults are drawn from the plan's
// own seeded RNG. Delays and reorder holds run on the Clock, so fake time
// decides when a held packet leaves and nothing is lost for good except what
// the plan drops.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "stack/link/link.h"
#include "stack/time/clock.h"
#include "stack/util/rng.h"

namespace netstack {

enum class FaultKind : uint8_t {
  kDrop,       // the packet is gone
  kDuplicate,  // sent twice, back to back
  kReorder,    // held until the next packet has gone (or reorder_hold passes)
  kCorrupt,    // one byte flipped (at corrupt_offset modulo the length)
  kDelay,      // sent after `delay` of clock time
};

struct Fault {
  FaultKind kind = FaultKind::kDrop;
  Duration delay{0};
  uint32_t corrupt_offset = 0;
};

struct FaultPlan {
  // Faults for specific packets, by 0-based index of the packet sent through
  // the link. They take precedence over the random ones.
  std::map<uint64_t, Fault> scripted;
  // Random faults, each in parts per million of packets.
  uint32_t drop_ppm = 0;
  uint32_t duplicate_ppm = 0;
  uint32_t reorder_ppm = 0;
  uint32_t corrupt_ppm = 0;
  uint32_t delay_ppm = 0;
  Duration max_delay = std::chrono::milliseconds(50);
  // How long a reordered packet waits for a successor before it goes anyway.
  Duration reorder_hold = std::chrono::milliseconds(10);
  uint64_t seed = 1;

  bool is_clean() const {
    return scripted.empty() && drop_ppm == 0 && duplicate_ppm == 0 && reorder_ppm == 0 &&
           corrupt_ppm == 0 && delay_ppm == 0;
  }
};

struct FaultStats {
  uint64_t sent = 0;  // packets offered to the link
  uint64_t dropped = 0;
  uint64_t duplicated = 0;
  uint64_t reordered = 0;
  uint64_t corrupted = 0;
  uint64_t delayed = 0;
};

class FaultyLink final : public Link {
 public:
  FaultyLink(Link& inner, Clock& clock, FaultPlan plan = {});
  ~FaultyLink() override;
  FaultyLink(const FaultyLink&) = delete;
  FaultyLink& operator=(const FaultyLink&) = delete;

  // Begin Link implementation.
  void send(View packet) override;
  uint32_t mtu() const override { return inner_.mtu(); }
  // End Link implementation.

  // Replaces the plan from the next packet on; packet indices keep counting.
  // A held (reordered) packet is released first.
  void set_plan(FaultPlan plan);
  const FaultStats& stats() const { return stats_; }
  // Packets waiting on a delay or reorder hold.
  size_t in_flight() const;

 private:
  std::optional<Fault> pick_fault(uint64_t index);
  void release_held();

  Link& inner_;
  Clock& clock_;
  FaultPlan plan_;
  Rng rng_;
  FaultStats stats_;
  uint64_t next_index_ = 0;
  std::optional<View> held_;
  TimerId held_timer_ = kNoTimer;
  struct Delayed {
    TimerId timer;
    View packet;
  };
  std::map<uint64_t, Delayed> delayed_;  // by a per-link sequence key
  uint64_t next_delay_key_ = 0;
};

}  // namespace netstack
