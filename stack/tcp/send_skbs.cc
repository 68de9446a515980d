#include "stack/tcp/send_skbs.h"

#include <algorithm>

namespace netstack::tcp {

uint32_t SendSkbs::unsent_tail(seqnum::Value snd_nxt) const {
  if (ends_.empty()) return 0;
  const seqnum::Value start = ends_.size() > 1 ? ends_[ends_.size() - 2] : first_start_;
  return start.greater_equal(snd_nxt) ? start.size_to(ends_.back()).bytes() : 0;
}

RecycledDeque<seqnum::Value>::const_iterator SendSkbs::holding(seqnum::Value seq) const {
  // The ends ascend (within one window of sequence space): a binary search,
  // as a bulk transfer keeps many skbs in flight and looks one up per burst.
  return std::ranges::partition_point(ends_,
                                      [&](seqnum::Value end) { return !seq.less_than(end); });
}

seqnum::Value SendSkbs::end_of(seqnum::Value seq) const {
  const auto it = holding(seq);
  return it == ends_.end() ? seq : *it;
}

uint32_t SendSkbs::bytes_of(seqnum::Value seq, seqnum::Value snd_una, uint32_t mss) const {
  const auto it = holding(seq);
  if (it == ends_.end()) return 0;
  const seqnum::Value start = it == ends_.begin() ? first_start_ : *(it - 1);
  const uint32_t bytes = start.size_to(*it).bytes();
  return start.less_than(snd_una) && bytes > mss ? snd_una.size_to(*it).bytes() : bytes;
}

void SendSkbs::add(seqnum::Value from, seqnum::Value to) {
  if (ends_.empty()) first_start_ = from;
  ends_.push_back(to);
}

void SendSkbs::extend_tail(seqnum::Value to) {
  ends_.back() = to;
}

void SendSkbs::split_at(seqnum::Value at) {
  const auto it = holding(at);
  if (it == ends_.end()) return;
  const seqnum::Value start = it == ends_.begin() ? first_start_ : *(it - 1);
  if (start.less_than(at)) ends_.insert(it, at);
}

void SendSkbs::move_end(seqnum::Value end, seqnum::Value to) {
  const auto it = holding(end.sub(seqnum::Size(1)));
  if (it == ends_.end() || !(*it == end)) return;
  const auto next = it + 1;
  if (next != ends_.end() && *next == to) {
    ends_.erase(it);
  } else {
    ends_[static_cast<size_t>(it - ends_.begin())] = to;
  }
}

void SendSkbs::release(seqnum::Value snd_una) {
  while (!ends_.empty() && ends_.front().less_equal(snd_una)) {
    first_start_ = ends_.front();
    ends_.pop_front();
  }
}

}  // namespace netstack::tcp
