// Reassembly: out-of-order segments held until the gap before them fills,
// and the SACK blocks that describe them (RFC 2018).
//
// Sequence numbers are unwrapped to 64 bits relative to RCV.NXT, so the
// queue orders correctly across the 2^32 wrap. Memory is bounded by a byte
// limit from the configuration: a segment that does not fit is dropped (the
// peer retransmits it), never queued.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "stack/buffer/view.h"
#include "stack/header/tcp_options.h"
#include "stack/seqnum/seqnum.h"

namespace netstack::tcp {

class Reassembly {
 public:
  explicit Reassembly(size_t max_bytes) : max_bytes_(max_bytes) {}

  // Queues payload starting at `seq` (which must be after rcv_nxt). Returns
  // false when it was dropped for lack of room. Overlaps keep the bytes
  // already queued.
  bool insert(seqnum::Value rcv_nxt, seqnum::Value seq, View payload);
  // The first run of the `length` bytes at `seq` that are queued already
  // (nullopt: none are). Linux tcp_dsack_extend() grows a D-SACK block
  // only by what touches it.
  std::optional<header::SackBlock> overlap(seqnum::Value seq, uint32_t length) const;
  // Removes and returns, in order, the data that became contiguous with
  // rcv_nxt, up to `stop` (a FIN's sequence number: Linux stops taking
  // from its queue at the FIN), via fn(View); returns the new rcv_nxt.
  template <class Fn>
  seqnum::Value drain(seqnum::Value rcv_nxt, std::optional<seqnum::Value> stop, Fn&& fn);

  // The lowest queued run [start, end) (nullopt: nothing is queued).
  std::optional<header::SackBlock> first() const;

  size_t bytes() const { return bytes_; }
  size_t segments() const { return queue_.size(); }
  bool empty() const { return queue_.empty(); }
  void clear();
  void set_max_bytes(size_t n) { max_bytes_ = n; }

 private:
  size_t max_bytes_;
  size_t bytes_ = 0;
  // Keyed by absolute sequence number offset from the base at insert time;
  // rebased on drain so keys stay relative to the current rcv_nxt.
  std::map<uint64_t, View> queue_;
  seqnum::Value base_;
};

template <class Fn>
seqnum::Value Reassembly::drain(seqnum::Value rcv_nxt, std::optional<seqnum::Value> stop, Fn&& fn) {
  while (!queue_.empty()) {
    auto it = queue_.begin();
    const seqnum::Value start = base_.add(seqnum::Size(static_cast<uint32_t>(it->first)));
    seqnum::Value end = start.add(seqnum::Size(static_cast<uint32_t>(it->second.size())));
    if (rcv_nxt.less_than(start) || (stop && !start.less_than(*stop))) break;
    View v = std::move(it->second);
    bytes_ -= v.size();
    queue_.erase(it);
    if (stop && stop->less_than(end)) {
      v.truncate(start.size_to(*stop).bytes());
      end = *stop;
    }
    if (rcv_nxt.less_than(end)) {
      v.remove_prefix(start.size_to(rcv_nxt).bytes());
      rcv_nxt = end;
      fn(std::move(v));
    }
  }
  return rcv_nxt;
}

}  // namespace netstack::tcp
