#include "stack/tcp/tx_timestamps.h"

#include <cerrno>

namespace netstack::tcp {

using namespace timestamping;

int TxTimestamps::configure(uint32_t flags, bool connected, seqnum::Value snd_una,
                            seqnum::Value write_seq) {
  // Linux sock_set_timestamping(), in its order: unknown bits, OPT_ID_TCP
  // without OPT_ID, OPT_ID newly on while not connected (it fixes the key
  // base) and OPT_STATS without OPT_TSONLY are EINVAL; a PHC binding needs a
  // socket bound to a device (sock_timestamping_bind_phc()), which no
  // socket here is: EOPNOTSUPP.
  if ((flags & ~kMask) != 0) return EINVAL;
  if ((flags & kOptIdTcp) != 0 && (flags & kOptId) == 0) return EINVAL;
  const bool new_id = (flags & kOptId) != 0 && (flags_ & kOptId) == 0;
  if (new_id && !connected) return EINVAL;
  if ((flags & kOptStats) != 0 && (flags & kOptTsonly) == 0) return EINVAL;
  if ((flags & kBindPhc) != 0) return EOPNOTSUPP;
  if (new_id) key_base_ = (flags & kOptIdTcp) != 0 ? write_seq : snd_una;
  flags_ = flags;
  return 0;
}

void TxTimestamps::on_write(seqnum::Value write_seq) {
  const uint32_t record = flags_ & kTxRecordMask;
  if (record != 0) marked_.push_back(Marked{write_seq.sub(seqnum::Size(1)), record});
}

void TxTimestamps::on_transmit(seqnum::Value seq, uint32_t len, uint32_t packet_length, Instant now,
                               ErrorQueue& queue) const {
  // Linux: the skb keeps its tx_flags, so every transmission of it, the
  // retransmissions too, passes the qdisc (SCHED) and the driver (SND).
  const seqnum::Value end = seq.add(seqnum::Size(len));
  for (const Marked& m : marked_) {
    if (!m.byte.greater_equal(seq) || !m.byte.less_than(end)) continue;
    if ((m.flags & kTxSched) != 0) report(m, TxStampKind::kSched, now, packet_length, queue);
    if ((m.flags & kTxSoftware) != 0) report(m, TxStampKind::kSnd, now, packet_length, queue);
  }
}

void TxTimestamps::on_acked(seqnum::Value prior_snd_una, seqnum::Value snd_una,
                            const SendSkbs& skbs, uint32_t mss, Instant now, ErrorQueue& queue) {
  while (!marked_.empty() && marked_.front().byte.less_than(snd_una)) {
    const Marked m = marked_.front();
    marked_.pop_front();
    if ((m.flags & kTxAck) != 0) {
      report(m, TxStampKind::kAck, now, skbs.bytes_of(m.byte, prior_snd_una, mss), queue);
    }
  }
}

void TxTimestamps::report(const Marked& m, TxStampKind kind, Instant now, uint32_t length,
                          ErrorQueue& queue) const {
  // Linux __skb_complete_tx_timestamp(): ee_data is the key only with OPT_ID.
  const uint32_t key = (flags_ & kOptId) != 0 ? key_base_.size_to(m.byte).bytes() : 0;
  queue.push(ErrorQueueEntry{.origin = ErrorQueueEntry::Origin::kTimestamping,
                             .info = static_cast<uint32_t>(kind),
                             .data = key,
                             .stamp = now,
                             .length = (flags_ & kOptTsonly) != 0 ? 0 : length});
}

}  // namespace netstack::tcp
