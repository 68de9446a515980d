// The SACK blocks a receiver reports (RFC 2018 4), kept as Linux keeps
// tp->selective_acks: a short list edited as out-of-order segments arrive,
// not recomputed from the queue. Each arrival extends the block it touches
// (or starts a new one) and moves it to the front, where it merges with any
// block it now reaches; the oldest block falls off a full list; blocks that
// RCV.NXT passes are removed. So the list says what arrived most recently,
// which is what the peer's scoreboard needs first.
#pragma once

#include <array>
#include <cstddef>
#include <span>

#include "stack/header/tcp_options.h"
#include "stack/seqnum/seqnum.h"

namespace netstack::tcp {

class SackList {
 public:
  // Linux TCP_NUM_SACKS.
  static constexpr size_t kMaxBlocks = 4;

  // An out-of-order arrival, queued or found queued already (Linux
  // tcp_sack_new_ofo_skb(); into an empty list, the first block).
  void add(seqnum::Value seq, seqnum::Value end);
  // RCV.NXT moved while data is still out of order: blocks it reached go
  // (Linux tcp_sack_remove()).
  void remove_through(seqnum::Value rcv_nxt);
  void clear() { count_ = 0; }

  std::span<const header::SackBlock> blocks() const { return std::span(blocks_).first(count_); }
  bool empty() const { return count_ == 0; }
  // The right edge of the highest block (the list must not be empty).
  seqnum::Value highest_end() const;

 private:
  // Linux tcp_sack_extend(): grows `b` by [seq, end) if they touch.
  static bool extend(header::SackBlock& b, seqnum::Value seq, seqnum::Value end);
  void merge_into_front();

  std::array<header::SackBlock, kMaxBlocks> blocks_{};
  size_t count_ = 0;
};

}  // namespace netstack::tcp
