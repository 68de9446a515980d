// The send queue cut where Linux would hold it in separate skbs, so that
// the queue is charged against SO_SNDBUF as Linux charges it: each skb's
// truesize, that is its payload plus a fixed overhead (sk_wmem_queued).
//
// Writes start a new skb or extend the unsent last one (tcp_sendmsg_locked());
// sending cuts an skb where the window or the congestion window stopped it
// (tso_fragment(), tcp_fragment() on a retransmission) and grows an skb
// about to go from the next one (tcp_grow_skb()); an acknowledgement
// frees the skbs it covers whole (tcp_clean_rtx_queue()), while a partial
// one trims the bytes but keeps the overhead (tcp_trim_head()).
#pragma once

#include <cstddef>
#include <cstdint>

#include "stack/seqnum/seqnum.h"
#include "stack/util/block_pool.h"

namespace netstack::tcp {

class SendSkbs {
 public:
  // An empty skb's truesize on x86-64 Linux: a MAX_TCP_HEADER (320) head in
  // a 1 KiB kmalloc block with its skb_shared_info, and the struct sk_buff
  // (SKB_TRUESIZE()); the payload, in page fragments, adds its own length.
  static constexpr uint32_t kOverhead = 1280;
  // The most one skb holds: Linux's GSO limit for a TCP socket on a device
  // without its own (GSO_LEGACY_MAX_SIZE).
  static constexpr uint32_t kMaxBytes = 65536;

  void clear() { ends_.clear(); }
  size_t count() const { return ends_.size(); }
  // The overhead the queue's skbs carry beyond their bytes.
  size_t overhead() const { return ends_.size() * size_t{kOverhead}; }

  // Where the last skb ends (the queue must not be empty).
  seqnum::Value end() const { return ends_.back(); }
  // Where the skb holding `seq` ends; `seq` itself when no skb holds it.
  seqnum::Value end_of(seqnum::Value seq) const;
  // Bytes of the skb holding `seq`, 0 when none does. A partial ACK up to
  // `snd_una` trims the head of an skb of more than one `mss` segment
  // (tcp_tso_acked()); a one-segment skb stays whole.
  uint32_t bytes_of(seqnum::Value seq, seqnum::Value snd_una, uint32_t mss) const;
  // Bytes in the last skb when none of it has been sent (it starts at or
  // after `snd_nxt`); 0 when there is no such skb.
  uint32_t unsent_tail(seqnum::Value snd_nxt) const;
  // A new skb for the bytes [from, to).
  void add(seqnum::Value from, seqnum::Value to);
  // The last skb grows to end at `to`.
  void extend_tail(seqnum::Value to);
  // The skb that holds `at` strictly inside becomes two.
  void split_at(seqnum::Value at);
  // The skb ending at `end` grows to end at `to`, taking bytes from the
  // next one, which it swallows when `to` is the next one's end
  // (tcp_grow_skb()).
  void move_end(seqnum::Value end, seqnum::Value to);
  // The skbs that end at or before `snd_una` are freed.
  void release(seqnum::Value snd_una);

 private:
  // The first skb that ends after `seq` (end() if none).
  RecycledDeque<seqnum::Value>::const_iterator holding(seqnum::Value seq) const;

  seqnum::Value first_start_;  // where the first skb begins (before any partial ACK)
  RecycledDeque<seqnum::Value> ends_;
};

}  // namespace netstack::tcp
