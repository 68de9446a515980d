// Urgent data as Linux receives it (RFC 9293 3.8.5 leaves what the
// application sees to the implementation; RFC 6093 describes the BSD way
// every stack took). The urgent pointer names one byte, the last before
// it (net.ipv4.tcp_stdurg off), which leaves the stream and is read with
// recv(MSG_OOB), unless SO_OOBINLINE keeps it in the stream; a read stops
// at that mark either way (tcp_check_urg(), tcp_urg(), tcp_recv_urg(),
// tcp_recvmsg_locked()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "stack/seqnum/seqnum.h"

namespace netstack::tcp {

class UrgentReceiver {
 public:
  // Where the reader stands when a segment arrives.
  struct Stream {
    seqnum::Value copied_seq;  // read up to here
    seqnum::Value rcv_nxt;     // received in order up to here (a FIN included)
    size_t unread = 0;         // data bytes between them
    bool inline_urgent = false;
  };
  // What an accepted segment tells (tcp_urg()). `pointer` is the urgent
  // pointer of a segment with URG set. True when the unread urgent byte at
  // `copied_seq` must leave the stream first, as a newer pointer replaces
  // it (tcp_check_urg()).
  bool on_segment(seqnum::Value seq, bool syn, std::optional<uint16_t> pointer,
                  std::span<const uint8_t> payload, const Stream& stream);

  // How a read from `copied_seq` meets the mark: whether it first skips
  // the urgent byte (not SO_OOBINLINE), and how many bytes it may take
  // (it stops before the mark).
  struct ReadPlan {
    bool skip_urgent_byte = false;
    size_t limit = SIZE_MAX;
  };
  ReadPlan plan_read(seqnum::Value copied_seq, bool inline_urgent) const;
  // The stream has been read up to `copied_seq`: past the mark, the urgent
  // data is forgotten.
  void on_read(seqnum::Value copied_seq);

  enum class OobRead : uint8_t { kByte, kNone, kNotYet };
  // recv(MSG_OOB): the urgent byte (`*byte`; marked read unless `peek`),
  // none to read (EINVAL), or a pointer whose byte has not arrived.
  OobRead read_oob(bool peek, uint8_t* byte);

  // The urgent byte is at or after `copied_seq`, `distance_from()` bytes on
  // (the byte itself read out of band or not).
  bool mark_ahead(seqnum::Value copied_seq) const {
    return state_ != State::kNone && !urgent_seq_.less_than(copied_seq);
  }
  uint32_t distance_from(seqnum::Value copied_seq) const {
    return copied_seq.size_to(urgent_seq_).bytes();
  }
  // SIOCATMARK: the next byte to read is the urgent one.
  bool at_mark(seqnum::Value copied_seq) const {
    return state_ != State::kNone && urgent_seq_ == copied_seq;
  }
  // EPOLLPRI: an urgent byte waits for recv(MSG_OOB).
  bool byte_waiting() const { return state_ == State::kValid; }

 private:
  // Linux's urg_data: none, a pointer whose byte has not arrived
  // (TCP_URG_NOTYET), the byte (TCP_URG_VALID), the byte already read
  // (TCP_URG_READ).
  enum class State : uint8_t { kNone, kNotYet, kValid, kRead };
  State state_ = State::kNone;
  uint8_t byte_ = 0;
  seqnum::Value urgent_seq_;  // the urgent byte's sequence number
};

}  // namespace netstack::tcp
