#include "stack/tcp/reassembly.h"

#include <algorithm>

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
  if (payload.empty()) return true;
  if (bytes_ + payload.size() > max_bytes_) return false;
  bytes_ += payload.size();
  queue_.emplace(start, std::move(payload));
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
    if (first && from > last) break;
    if (!first) first = from;
    last = to;
  }
  if (!first) return std::nullopt;
  return header::SackBlock{base_.add(seqnum::Size(static_cast<uint32_t>(*first))).raw(),
                           base_.add(seqnum::Size(static_cast<uint32_t>(last))).raw()};
}

void Reassembly::clear() {
  queue_.clear();
  bytes_ = 0;
}

std::optional<header::SackBlock> Reassembly::first() const {
  if (queue_.empty()) return std::nullopt;
  const auto& [offset, view] = *queue_.begin();
  const seqnum::Value start = base_.add(seqnum::Size(static_cast<uint32_t>(offset)));
  return header::SackBlock{start.raw(),
                           start.add(seqnum::Size(static_cast<uint32_t>(view.size()))).raw()};
}

}  // namespace netstack::tcp
