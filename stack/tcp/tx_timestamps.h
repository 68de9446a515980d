// SO_TIMESTAMPING TX timestamps of a TCP socket, as Linux takes them: a
// write with a TX record flag on marks its last byte (tcp_tx_timestamp());
// each transmission of the segment holding a marked byte takes a
// SCM_TSTAMP_SCHED (qdisc) and a SCM_TSTAMP_SND (driver) timestamp, and the
// cumulative ACK that covers it a SCM_TSTAMP_ACK one (tcp_ack_tstamp()).
// Each lands on the error queue with the byte's key: its offset from the
// sequence number SOF_TIMESTAMPING_OPT_ID was set at.
#pragma once

#include <cstdint>
#include <deque>

#include "stack/seqnum/seqnum.h"
#include "stack/tcp/error_queue.h"
#include "stack/tcp/send_skbs.h"

namespace netstack::tcp {

// SOF_TIMESTAMPING_* bits (include/uapi/linux/net_tstamp.h).
namespace timestamping {
inline constexpr uint32_t kTxSoftware = 1u << 1;
inline constexpr uint32_t kOptId = 1u << 7;
inline constexpr uint32_t kTxSched = 1u << 8;
inline constexpr uint32_t kTxAck = 1u << 9;
inline constexpr uint32_t kOptTsonly = 1u << 11;
inline constexpr uint32_t kOptStats = 1u << 12;
inline constexpr uint32_t kBindPhc = 1u << 15;
inline constexpr uint32_t kOptIdTcp = 1u << 16;
inline constexpr uint32_t kMask = (1u << 19) - 1;  // through SOF_TIMESTAMPING_TX_COMPLETION
// The flags that make a write ask for timestamps (SOF_TIMESTAMPING_TX_RECORD_MASK,
// hardware included: the stack has none, so it never takes those).
inline constexpr uint32_t kTxRecordMask = (1u << 0) | kTxSoftware | kTxSched | kTxAck;
}  // namespace timestamping

class TxTimestamps {
 public:
  // setsockopt(SO_TIMESTAMPING) on a socket whose send sequence is at
  // `snd_una` acknowledged and `write_seq` written; `connected` is false in
  // CLOSED and LISTEN. EINVAL where Linux's sock_set_timestamping() says so.
  int configure(uint32_t flags, bool connected, seqnum::Value snd_una, seqnum::Value write_seq);
  uint32_t flags() const { return flags_; }
  // A write queued data up to `write_seq`: its last byte is marked.
  void on_write(seqnum::Value write_seq);
  // The segment [seq, seq + len) was transmitted at `now` in an IP packet
  // of `packet_length` bytes (what SCHED and SND clone: the device sees the
  // whole packet).
  void on_transmit(seqnum::Value seq, uint32_t len, uint32_t packet_length, Instant now,
                   ErrorQueue& queue) const;
  // The peer acknowledged everything below `snd_una` (from `prior_snd_una`)
  // at `now`; `skbs` is the send queue (of `mss` segments) before the ACK
  // frees it: the ACK timestamp clones the skb holding the marked byte
  // (tcp_ack_tstamp()).
  void on_acked(seqnum::Value prior_snd_una, seqnum::Value snd_una, const SendSkbs& skbs,
                uint32_t mss, Instant now, ErrorQueue& queue);

 private:
  // A marked byte with the record flags of the write that marked it.
  struct Marked {
    seqnum::Value byte;
    uint32_t flags;
  };
  void report(const Marked& m, TxStampKind kind, Instant now, uint32_t length,
              ErrorQueue& queue) const;

  uint32_t flags_ = 0;
  seqnum::Value key_base_;  // Linux sk_tskey for TCP
  std::deque<Marked> marked_;
};

}  // namespace netstack::tcp
