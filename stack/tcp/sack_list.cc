#include "stack/tcp/sack_list.h"

#include <algorithm>

namespace netstack::tcp {

bool SackList::extend(header::SackBlock& b, seqnum::Value seq, seqnum::Value end) {
  const seqnum::Value start(b.start);
  const seqnum::Value stop(b.end);
  if (seq.greater_than(stop) || start.greater_than(end)) return false;
  if (seq.less_than(start)) b.start = seq.raw();
  if (end.greater_than(stop)) b.end = end.raw();
  return true;
}

void SackList::add(seqnum::Value seq, seqnum::Value end) {
  for (size_t i = 0; i < count_; ++i) {
    if (extend(blocks_[i], seq, end)) {
      std::rotate(blocks_.begin(), blocks_.begin() + static_cast<std::ptrdiff_t>(i),
                  blocks_.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      merge_into_front();
      return;
    }
  }
  // A block of its own, in front; a full list forgets its oldest.
  count_ = std::min(count_ + 1, kMaxBlocks);
  std::move_backward(blocks_.begin(), blocks_.begin() + static_cast<std::ptrdiff_t>(count_) - 1,
                     blocks_.begin() + static_cast<std::ptrdiff_t>(count_));
  blocks_[0] = header::SackBlock{seq.raw(), end.raw()};
}

void SackList::merge_into_front() {
  // Linux tcp_sack_maybe_coalesce(): the grown front block swallows the
  // blocks it now reaches.
  size_t i = 1;
  while (i < count_) {
    if (extend(blocks_[0], seqnum::Value(blocks_[i].start), seqnum::Value(blocks_[i].end))) {
      std::move(blocks_.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                blocks_.begin() + static_cast<std::ptrdiff_t>(count_),
                blocks_.begin() + static_cast<std::ptrdiff_t>(i));
      --count_;
    } else {
      ++i;
    }
  }
}

void SackList::remove_through(seqnum::Value rcv_nxt) {
  const auto covered = [rcv_nxt](const header::SackBlock& b) {
    return !rcv_nxt.less_than(seqnum::Value(b.start));
  };
  const auto kept = std::remove_if(blocks_.begin(),
                                   blocks_.begin() + static_cast<std::ptrdiff_t>(count_), covered);
  count_ = static_cast<size_t>(kept - blocks_.begin());
}

seqnum::Value SackList::highest_end() const {
  seqnum::Value highest(blocks_[0].end);
  for (const header::SackBlock& b : blocks().subspan(1)) {
    if (seqnum::Value(b.end).greater_than(highest)) highest = seqnum::Value(b.end);
  }
  return highest;
}

}  // namespace netstack::tcp
