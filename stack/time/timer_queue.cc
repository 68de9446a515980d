#include "stack/time/timer_queue.h"

#include <utility>

namespace netstack {

namespace {
constexpr uint32_t slot_of(TimerId id) {
  return static_cast<uint32_t>(id & 0xffffffffu) - 1;
}
constexpr uint32_t generation_of(TimerId id) {
  return static_cast<uint32_t>(id >> 32);
}
}  // namespace

TimerId TimerQueue::schedule(Instant deadline, Clock::Callback fn) {
  uint32_t slot;
  if (free_.empty()) {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_.back();
    free_.pop_back();
  }
  Slot& s = slots_[slot];
  s.deadline = deadline;
  s.order = next_order_++;
  s.fn = std::move(fn);
  heap_.push_back(slot);
  s.heap_index = static_cast<uint32_t>(heap_.size() - 1);
  sift_up(heap_.size() - 1);
  return TimerId{s.generation} << 32 | (slot + 1);
}

bool TimerQueue::cancel(TimerId id) {
  if (id == kNoTimer) return false;
  const uint32_t slot = slot_of(id);
  if (slot >= slots_.size()) return false;
  Slot& s = slots_[slot];
  if (s.generation != generation_of(id) || !s.fn) return false;
  remove_at(s.heap_index);
  return true;
}

std::optional<Instant> TimerQueue::next_deadline() const {
  if (heap_.empty()) return std::nullopt;
  return slots_[heap_.front()].deadline;
}

std::optional<Clock::Callback> TimerQueue::pop_due(Instant t, Instant* deadline) {
  if (heap_.empty() || slots_[heap_.front()].deadline > t) return std::nullopt;
  const uint32_t slot = heap_.front();
  *deadline = slots_[slot].deadline;
  Clock::Callback fn = std::move(slots_[slot].fn);
  remove_at(0);
  return fn;
}

bool TimerQueue::before(uint32_t a, uint32_t b) const {
  const Slot& x = slots_[a];
  const Slot& y = slots_[b];
  if (x.deadline != y.deadline) return x.deadline < y.deadline;
  return x.order < y.order;
}

void TimerQueue::place(size_t heap_pos, uint32_t slot) {
  heap_[heap_pos] = slot;
  slots_[slot].heap_index = static_cast<uint32_t>(heap_pos);
}

void TimerQueue::sift_up(size_t pos) {
  const uint32_t slot = heap_[pos];
  while (pos > 0) {
    const size_t parent = (pos - 1) / 2;
    if (!before(slot, heap_[parent])) break;
    place(pos, heap_[parent]);
    pos = parent;
  }
  place(pos, slot);
}

void TimerQueue::sift_down(size_t pos) {
  const uint32_t slot = heap_[pos];
  const size_t n = heap_.size();
  while (true) {
    size_t child = 2 * pos + 1;
    if (child >= n) break;
    if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
    if (!before(heap_[child], slot)) break;
    place(pos, heap_[child]);
    pos = child;
  }
  place(pos, slot);
}

void TimerQueue::remove_at(size_t pos) {
  const uint32_t slot = heap_[pos];
  Slot& s = slots_[slot];
  s.fn = nullptr;
  ++s.generation;
  free_.push_back(slot);
  const uint32_t last = heap_.back();
  heap_.pop_back();
  if (pos == heap_.size()) return;
  place(pos, last);
  if (pos > 0 && before(last, heap_[(pos - 1) / 2])) {
    sift_up(pos);
  } else {
    sift_down(pos);
  }
}

}  // namespace netstack
