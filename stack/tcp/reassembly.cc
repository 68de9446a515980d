#include "stack/tcp/reassembly.h"

#include <algorithm>
#include <vector>

namespace netstack::tcp {

bool Reassembly::insert(seqnum::Value rcv_nxt, seqnum::Value seq, View payload) {
  if (payload.empty()) return true;
  if (queue_.empty()) base_ = rcv_nxt;
  uint64_t start = base_.size_to(seq).bytes();
  uint64_t end = start + payload.size();

  // Trim the front against the segment before it.
  auto next = queue_.upper_bound(start);
  if (next != queue_.begin()) {
    auto prev = std::prev(next);
    const uint64_t prev_end = prev->first + prev->second.size();
    if (prev_end >= end) {
      remember_recent(seq);
      return true;  // nothing new
    }
    if (prev_end > start) {
      payload.remove_prefix(prev_end - start);
      start = prev_end;
    }
  }
  // Segments the new one covers entirely are replaced; a partly covered one
  // cuts the new segment short.
  size_t freed = 0;
  while (next != queue_.end() && next->first < end) {
    const uint64_t next_end = next->first + next->second.size();
    if (next_end > end) {
      payload.truncate(next->first - start);
      end = next->first;
      break;
    }
    freed += next->second.size();
    next = queue_.erase(next);
  }
  bytes_ -= freed;
  if (payload.empty()) {
    remember_recent(seq);
    return true;
  }
  if (bytes_ + payload.size() > max_bytes_) return false;
  bytes_ += payload.size();
  queue_.emplace(start, std::move(payload));
  remember_recent(base_.add(seqnum::Size(static_cast<uint32_t>(start))));
  return true;
}

std::optional<header::SackBlock> Reassembly::overlap(seqnum::Value seq, uint32_t length) const {
  if (queue_.empty() || length == 0) return std::nullopt;
  const uint64_t start = base_.size_to(seq).bytes();
  const uint64_t end = start + length;
  std::optional<uint64_t> first;
  uint64_t last = 0;
  auto it = queue_.upper_bound(start);
  if (it != queue_.begin()) --it;
  for (; it != queue_.end() && it->first < end; ++it) {
    const uint64_t from = std::max(start, it->first);
    const uint64_t to = std::min(end, it->first + it->second.size());
    if (from >= to) continue;
    if (!first) first = from;
    last = to;
  }
  if (!first) return std::nullopt;
  return header::SackBlock{base_.add(seqnum::Size(static_cast<uint32_t>(*first))).raw(),
                           base_.add(seqnum::Size(static_cast<uint32_t>(last))).raw()};
}

void Reassembly::remember_recent(seqnum::Value start) {
  // Move-to-front list of the most recent arrivals.
  size_t i = 0;
  while (i < recent_count_ && !(recent_[i] == start)) ++i;
  if (i == recent_count_) {
    if (recent_count_ < recent_.size()) ++recent_count_;
    i = recent_count_ - 1;
  }
  for (; i > 0; --i) recent_[i] = recent_[i - 1];
  recent_[0] = start;
}

size_t Reassembly::sack_blocks(std::span<header::SackBlock> out,
                               std::optional<seqnum::Value> fin) const {
  // Contiguous runs of queued data, in sequence order.
  std::vector<header::SackBlock> runs;
  for (const auto& [off, v] : queue_) {
    const uint32_t s = base_.add(seqnum::Size(static_cast<uint32_t>(off))).raw();
    const uint32_t e = s + static_cast<uint32_t>(v.size());
    if (!runs.empty() && runs.back().end == s) {
      runs.back().end = e;
    } else {
      runs.push_back({s, e});
    }
  }
  if (fin) {
    auto ends_at_fin = std::ranges::find(runs, fin->raw(), &header::SackBlock::end);
    if (ends_at_fin != runs.end()) {
      ++ends_at_fin->end;
    } else {
      runs.push_back({fin->raw(), fin->raw() + 1});
    }
  }
  size_t n = 0;
  auto contains = [](const header::SackBlock& b, seqnum::Value v) {
    return v.in_range(seqnum::Value(b.start), seqnum::Value(b.end));
  };
  auto emit = [&](const header::SackBlock& b) {
    for (size_t i = 0; i < n; ++i) {
      if (out[i] == b) return;
    }
    if (n < out.size()) out[n++] = b;
  };
  for (size_t r = 0; r < recent_count_; ++r) {
    for (const auto& run : runs) {
      if (contains(run, recent_[r])) emit(run);
    }
  }
  // Then the highest runs (most likely to still be unknown to the sender).
  for (auto it = runs.rbegin(); it != runs.rend(); ++it) emit(*it);
  return n;
}

void Reassembly::clear() {
  queue_.clear();
  bytes_ = 0;
  recent_count_ = 0;
}

}  // namespace netstack::tcp
