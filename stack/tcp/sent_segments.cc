#include "stack/tcp/sent_segments.h"

#include <algorithm>

namespace netstack::tcp {

void SentSegments::on_transmit(seqnum::Value start, seqnum::Value end, bool fin, Instant now) {
  SentSegment s;
  s.start = start;
  s.end = end;
  s.fin = fin;
  s.sent_at = now;
  entries_.push_back(s);
}

size_t SentSegments::lower_bound(seqnum::Value seq) const {
  const auto it = std::partition_point(entries_.begin(), entries_.end(),
                                       [&](const SentSegment& s) { return s.end.less_equal(seq); });
  return static_cast<size_t>(it - entries_.begin());
}

void SentSegments::split(size_t index, seqnum::Value at) {
  SentSegment& s = entries_[index];
  if (!at.greater_than(s.start) || !at.less_than(s.end)) return;
  SentSegment tail = s;
  s.end = at;
  s.fin = false;
  tail.start = at;
  // Both halves keep the flags, so the counts gain one of each.
  if (s.sacked) ++sacked_out_;
  if (s.lost) ++lost_out_;
  if (s.retrans) ++retrans_out_;
  entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(index) + 1, tail);
}

void SentSegments::on_retransmit(seqnum::Value start, seqnum::Value end, Instant now) {
  size_t i = lower_bound(start);
  if (i == entries_.size()) return;
  split(i, start);
  if (entries_[i].end.less_equal(start)) ++i;
  for (; i < entries_.size() && entries_[i].start.less_than(end); ++i) {
    split(i, end);
    SentSegment& s = entries_[i];
    s.sent_at = now;
    s.ever_retransmitted = true;
    if (!s.retrans && !s.sacked) {
      s.retrans = true;
      ++retrans_out_;
    }
  }
}

void SentSegments::deliver(SentSegment& s, Delivery& d) {
  ++d.segments;
  if (s.lost) ++d.lost_delivered;
  if (!s.ever_retransmitted && (!d.original_end || s.end.less_than(*d.original_end))) {
    d.original_end = s.end;
  }
  if (!s.ever_retransmitted && highest_sacked_ && s.start.less_than(*highest_sacked_) &&
      (!d.reordered_low || s.start.less_than(*d.reordered_low))) {
    d.reordered_low = s.start;
  }
  const bool newer = !d.newest || s.sent_at > d.newest->sent_at ||
                     (s.sent_at == d.newest->sent_at && s.end.greater_than(d.newest->end));
  if (newer) d.newest = s;
  d.last = s;
}

void SentSegments::acknowledge(seqnum::Value una, Delivery& d) {
  size_t removed = 0;
  while (!entries_.empty() && entries_.front().start.less_than(una)) {
    SentSegment& s = entries_.front();
    if (s.end.greater_than(una)) {
      // Partly acknowledged: the rest stays as a segment of its own.
      s.start = una;
      break;
    }
    if (!s.sacked) deliver(s, d);
    if (s.sacked) --sacked_out_;
    if (s.lost) --lost_out_;
    if (s.retrans) --retrans_out_;
    entries_.pop_front();
    ++removed;
  }
  lost_hint_ = lost_hint_ > removed ? lost_hint_ - removed : 0;
  if (entries_.empty() || (highest_sacked_ && highest_sacked_->less_equal(una))) {
    highest_sacked_.reset();
  }
}

void SentSegments::sack(seqnum::Value start, seqnum::Value end, Delivery& d) {
  // Only segments the block covers whole are SACKed: Linux rounds a block
  // to whole segments (tcp_match_skb_to_sack()), so a block covering part of
  // one segment says nothing about it.
  for (size_t i = lower_bound(start); i < entries_.size() && entries_[i].start.less_than(end);
       ++i) {
    SentSegment& s = entries_[i];
    if (s.sacked || s.start.less_than(start) || s.end.greater_than(end)) continue;
    deliver(s, d);
    ++d.sacked;
    s.sacked = true;
    ++sacked_out_;
    if (s.lost) {
      s.lost = false;
      --lost_out_;
    }
    if (s.retrans) {
      s.retrans = false;
      --retrans_out_;
    }
    if (!highest_sacked_ || s.end.greater_than(*highest_sacked_)) highest_sacked_ = s.end;
  }
}

void SentSegments::mark_lost(SentSegment& s) {
  if (s.sacked) return;
  if (s.retrans) {
    // The retransmission is lost too: it may go again.
    s.retrans = false;
    --retrans_out_;
    lost_hint_ = 0;
  }
  if (!s.lost) {
    s.lost = true;
    ++lost_out_;
    lost_hint_ = 0;
  }
}

void SentSegments::mark_timed_out(Instant now, Duration rack_rtt) {
  for (SentSegment& s : entries_) {
    if (s.sacked) continue;
    if (&s != &entries_.front() && now - s.sent_at < rack_rtt) continue;
    if (s.retrans) {
      s.retrans = false;
      --retrans_out_;
    }
    if (!s.lost) {
      s.lost = true;
      ++lost_out_;
    }
  }
  lost_hint_ = 0;
}

void SentSegments::mark_head_lost() {
  if (!entries_.empty()) mark_lost(entries_.front());
}

void SentSegments::clear_sacks() {
  for (SentSegment& s : entries_) s.sacked = false;
  sacked_out_ = 0;
  highest_sacked_.reset();
}

void SentSegments::unmark_lost() {
  for (SentSegment& s : entries_) s.lost = false;
  lost_out_ = 0;
}

void SentSegments::clear() {
  entries_.clear();
  sacked_out_ = lost_out_ = retrans_out_ = 0;
  highest_sacked_.reset();
  lost_hint_ = 0;
}

SentSegment* SentSegments::next_lost() {
  for (; lost_hint_ < entries_.size(); ++lost_hint_) {
    SentSegment& s = entries_[lost_hint_];
    if (s.lost && !s.retrans) return &s;
  }
  return nullptr;
}

SentSegment* SentSegments::last() {
  return entries_.empty() ? nullptr : &entries_.back();
}

}  // namespace netstack::tcp
