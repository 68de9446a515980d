// SentSegments: the sender's scoreboard. One entry per segment sent and not
// yet cumulatively acknowledged, in sequence order, with what the peer's
// SACK blocks said about it, whether it is deemed lost and when it last
// went out. RFC 6675's scoreboard and the per-segment state RACK (RFC 8985)
// reasons over; gVisor keeps the same in its writeList segments, Linux in
// the retransmission queue's skb flags.
//
// Counts are in segments, as Linux counts them (packets_out, sacked_out,
// lost_out, retrans_out), so the congestion window is in segments too.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "stack/seqnum/seqnum.h"
#include "stack/time/clock.h"
#include "stack/util/block_pool.h"

namespace netstack::tcp {

struct SentSegment {
  seqnum::Value start;
  seqnum::Value end;  // FIN included
  Instant sent_at;    // the latest transmission
  bool fin = false;
  bool sacked = false;
  bool lost = false;
  bool retrans = false;             // a retransmission of it is in flight
  bool ever_retransmitted = false;  // for Karn and RACK's ambiguity rule
};

// What one ACK delivered (cumulatively or by SACK), for RACK, reordering
// detection and the congestion window.
struct Delivery {
  uint32_t segments = 0;  // newly acknowledged or SACKed
  uint32_t lost_delivered = 0;
  // The most recently sent of the delivered segments (RACK.xmit_ts / end).
  std::optional<SentSegment> newest;
  // The last one delivered in processing order (SACK blocks, then the
  // cumulative ACK in sequence order): Linux takes RACK's RTT from it.
  std::optional<SentSegment> last;
  // The lowest delivered segment, never retransmitted, that lay below the
  // highest SACKed one when it arrived: the network reordered (Linux
  // tcp_sacktag_one(), tcp_clean_rtx_queue()).
  std::optional<seqnum::Value> reordered_low;
  // The lowest end among delivered segments never retransmitted: the
  // originals got through (F-RTO's test, Linux FLAG_ORIG_SACK_ACKED).
  std::optional<seqnum::Value> original_end;
  uint32_t sacked = 0;  // of `segments`, those delivered by SACK blocks
};

class SentSegments {
 public:
  // A new segment at the tail (start must be the end of the last entry).
  void on_transmit(seqnum::Value start, seqnum::Value end, bool fin, Instant now);
  // A retransmission covering [start, end): entries are split to match and
  // marked as retransmitted, sent now.
  void on_retransmit(seqnum::Value start, seqnum::Value end, Instant now);
  // Cumulative acknowledgement up to `una`: entries below are removed.
  void acknowledge(seqnum::Value una, Delivery& d);
  // One SACK block (already validated against SND.UNA..SND.MAX): marks the
  // segments it covers whole.
  void sack(seqnum::Value start, seqnum::Value end, Delivery& d);

  void mark_lost(SentSegment& s);
  // Retransmission timeout (Linux tcp_timeout_mark_lost()): everything not
  // SACKed is lost, and earlier retransmissions no longer count as in
  // flight; but for the first segment, those sent less than RACK's RTT ago
  // may still be on their way and stay in flight.
  void mark_timed_out(Instant now, Duration rack_rtt);
  // Non-SACK loss marking (Linux tcp_mark_head_lost()): the first segment.
  void mark_head_lost();
  // A peer that reneged on its SACKs: forget the marks (Linux
  // tcp_timeout_mark_lost()).
  void clear_sacks();
  // An undone timeout: nothing is lost after all.
  void unmark_lost();
  void clear();

  // The first segment to retransmit: lost and not yet retransmitted.
  SentSegment* next_lost();
  // The last segment sent, for a tail loss probe.
  SentSegment* last();

  RecycledDeque<SentSegment>& entries() { return entries_; }
  const RecycledDeque<SentSegment>& entries() const { return entries_; }
  uint32_t packets_out() const { return static_cast<uint32_t>(entries_.size()); }
  uint32_t sacked_out() const { return sacked_out_; }
  uint32_t lost_out() const { return lost_out_; }
  uint32_t retrans_out() const { return retrans_out_; }
  // RFC 6675's pipe as Linux computes it (tcp_packets_in_flight()).
  uint32_t in_flight() const { return packets_out() - (sacked_out_ + lost_out_) + retrans_out_; }
  // The end of the highest SACKed segment (Linux tcp_highest_sack_seq()).
  std::optional<seqnum::Value> highest_sacked() const { return highest_sacked_; }
  bool empty() const { return entries_.empty(); }

 private:
  // Index of the first entry whose end is after seq.
  size_t lower_bound(seqnum::Value seq) const;
  // Splits the entry at `index` in two at `at`, if `at` falls inside it.
  void split(size_t index, seqnum::Value at);
  void deliver(SentSegment& s, Delivery& d);

  RecycledDeque<SentSegment> entries_;
  uint32_t sacked_out_ = 0;
  uint32_t lost_out_ = 0;
  uint32_t retrans_out_ = 0;
  std::optional<seqnum::Value> highest_sacked_;
  size_t lost_hint_ = 0;  // no lost, unretransmitted entry before this index
};

}  // namespace netstack::tcp
