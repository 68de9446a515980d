#include "stack/tcp/urgent_data.h"

namespace netstack::tcp {

bool UrgentReceiver::on_segment(seqnum::Value seq, bool syn, std::optional<uint16_t> pointer,
                                std::span<const uint8_t> payload, const Stream& stream) {
  bool drop_old_byte = false;
  if (pointer) {
    // Linux tcp_check_urg(): BSD's reading, the byte before the pointer
    // (RFC 6093 3), except that a zero pointer names the segment's first.
    const seqnum::Value urgent =
        seq.add(seqnum::Size(*pointer)).sub(seqnum::Size(*pointer != 0 ? 1 : 0));
    // A byte already read or already received in order is no news, nor a
    // pointer that is not newer than the one known.
    const bool news = !urgent.less_than(stream.copied_seq) && !urgent.less_than(stream.rcv_nxt) &&
                      (state_ == State::kNone || urgent.greater_than(urgent_seq_));
    if (news) {
      // The old urgent byte, unread at the head of the stream, is skipped
      // now: later reads would otherwise return it as data.
      drop_old_byte = state_ != State::kNone && urgent_seq_ == stream.copied_seq &&
                      !stream.inline_urgent && stream.unread > 0;
      state_ = State::kNotYet;
      urgent_seq_ = urgent;
    }
  }
  if (state_ == State::kNotYet) {
    // Linux tcp_urg(): the byte is taken from whichever segment carries it.
    const seqnum::Value first = seq.add(seqnum::Size(syn ? 1 : 0));
    if (!urgent_seq_.less_than(first)) {
      const uint32_t offset = first.size_to(urgent_seq_).bytes();
      if (offset < payload.size()) {
        byte_ = payload[offset];
        state_ = State::kValid;
      }
    }
  }
  return drop_old_byte;
}

UrgentReceiver::ReadPlan UrgentReceiver::plan_read(seqnum::Value copied_seq,
                                                   bool inline_urgent) const {
  ReadPlan plan;
  if (!mark_ahead(copied_seq)) return plan;
  const uint32_t offset = distance_from(copied_seq);
  if (offset > 0) {
    plan.limit = offset;  // stop at the mark
  } else if (!inline_urgent) {
    plan.skip_urgent_byte = true;
  }
  return plan;
}

void UrgentReceiver::on_read(seqnum::Value copied_seq) {
  if (state_ != State::kNone && urgent_seq_.less_than(copied_seq)) state_ = State::kNone;
}

UrgentReceiver::OobRead UrgentReceiver::read_oob(bool peek, uint8_t* byte) {
  switch (state_) {
    case State::kValid:
      *byte = byte_;
      if (!peek) state_ = State::kRead;
      return OobRead::kByte;
    case State::kNotYet:
      return OobRead::kNotYet;
    default:
      return OobRead::kNone;
  }
}

}  // namespace netstack::tcp
