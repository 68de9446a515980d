#include "stack/link/faulty_link.h"

#include <utility>

namespace netstack {

FaultyLink::FaultyLink(Link& inner, Clock& clock, FaultPlan plan)
    : inner_(inner), clock_(clock), plan_(std::move(plan)), rng_(plan_.seed) {}

FaultyLink::~FaultyLink() {
  clock_.cancel(held_timer_);
  for (const auto& [key, d] : delayed_) clock_.cancel(d.timer);
}

void FaultyLink::set_plan(FaultPlan plan) {
  release_held();
  plan_ = std::move(plan);
  rng_ = Rng(plan_.seed);
}

size_t FaultyLink::in_flight() const {
  return delayed_.size() + (held_ ? 1 : 0);
}

std::optional<Fault> FaultyLink::pick_fault(uint64_t index) {
  if (auto it = plan_.scripted.find(index); it != plan_.scripted.end()) return it->second;
  if (rng_.chance_ppm(plan_.drop_ppm)) return Fault{FaultKind::kDrop};
  if (rng_.chance_ppm(plan_.duplicate_ppm)) return Fault{FaultKind::kDuplicate};
  if (rng_.chance_ppm(plan_.reorder_ppm)) return Fault{FaultKind::kReorder};
  if (rng_.chance_ppm(plan_.corrupt_ppm)) {
    return Fault{FaultKind::kCorrupt, Duration{0}, static_cast<uint32_t>(rng_.next32())};
  }
  if (rng_.chance_ppm(plan_.delay_ppm)) {
    const auto max = static_cast<uint64_t>(plan_.max_delay.count());
    return Fault{FaultKind::kDelay, Duration(static_cast<int64_t>(rng_.below(max + 1)))};
  }
  return std::nullopt;
}

void FaultyLink::send(View packet) {
  ++stats_.sent;
  const std::optional<Fault> fault = pick_fault(next_index_++);
  if (!fault) {
    inner_.send(std::move(packet));
    release_held();
    return;
  }
  switch (fault->kind) {
    case FaultKind::kDrop:
      ++stats_.dropped;
      return;
    case FaultKind::kDuplicate:
      ++stats_.duplicated;
      inner_.send(packet);
      inner_.send(std::move(packet));
      release_held();
      return;
    case FaultKind::kCorrupt: {
      ++stats_.corrupted;
      if (!packet.empty()) {
        auto bytes = packet.mutable_bytes();  // copies if shared: the sender's copy stays intact
        bytes[fault->corrupt_offset % bytes.size()] ^= 0xff;
      }
      inner_.send(std::move(packet));
      release_held();
      return;
    }
    case FaultKind::kReorder:
      ++stats_.reordered;
      release_held();  // at most one packet is held at a time
      held_ = std::move(packet);
      held_timer_ = clock_.schedule(clock_.now() + plan_.reorder_hold, [this] {
        held_timer_ = kNoTimer;
        release_held();
      });
      return;
    case FaultKind::kDelay: {
      ++stats_.delayed;
      const uint64_t key = next_delay_key_++;
      const TimerId timer = clock_.schedule(clock_.now() + fault->delay, [this, key] {
        auto it = delayed_.find(key);
        View p = std::move(it->second.packet);
        delayed_.erase(it);
        inner_.send(std::move(p));
      });
      delayed_.emplace(key, Delayed{timer, std::move(packet)});
      return;
    }
  }
}

void FaultyLink::release_held() {
  if (!held_) return;
  clock_.cancel(held_timer_);
  held_timer_ = kNoTimer;
  View p = std::move(*held_);
  held_.reset();
  inner_.send(std::move(p));
}

}  // namespace netstack
