// TCP_NOTSENT_LOWAT and net.ipv4.tcp_notsent_lowat: how much written data
// may wait unsent before a socket stops taking more and stops being
// writable (Linux tcp_stream_memory_free(), sk_stream_is_writeable()).
//
// Linux checks the limit only where tcp_sendmsg_locked() starts a new skb
// of the TSO size goal, so a write may queue well past the limit: what an
// skb started below it can hold. The send queue here is one byte stream,
// so the skbs are counted beside it: the last unsent one is the tail of
// the unsent bytes, never longer than they are (sending splits an skb, and
// what is left of it stays the tail).
#include <algorithm>

#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

namespace {

// Linux's GSO limit for a TCP socket on a device without its own
// (GSO_LEGACY_MAX_SIZE).
constexpr uint32_t kGsoMaxSize = 65536;

}  // namespace

uint32_t Endpoint::notsent_lowat() const {
  // Linux tcp_notsent_lowat(): the option, else the sysctl.
  return notsent_lowat_ != 0 ? notsent_lowat_ : protocol_.config().notsent_lowat;
}

size_t Endpoint::notsent_bytes() const {
  const size_t sent = std::min<size_t>(snd_una_.size_to(snd_max_).bytes(), send_queue_.size());
  return send_queue_.size() - sent;
}

bool Endpoint::stream_memory_free(bool wake) const {
  return (uint64_t{notsent_bytes()} << (wake ? 1 : 0)) < notsent_lowat();
}

uint32_t Endpoint::size_goal() const {
  // Linux tcp_bound_to_half_wnd(): at most half the largest window the peer
  // offered (once it exceeds the default MSS), in whole segments, and no
  // more segments than the link's gso_max_segs.
  uint32_t goal = kGsoMaxSize;
  if (max_snd_wnd_ > 536) goal = std::min(goal, max_snd_wnd_ / 2);
  const uint32_t segments = std::min(goal / snd_mss_, protocol_.config().gso_max_segs);
  return std::max(segments * snd_mss_, snd_mss_);
}

size_t Endpoint::queue_write_by_skbs(std::span<const uint8_t> data, bool more, bool eor) {
  const uint32_t goal = size_goal();
  size_t copied = 0;
  while (copied < data.size()) {
    tail_skb_len_ = static_cast<uint32_t>(std::min<size_t>(tail_skb_len_, notsent_bytes()));
    if (tail_skb_len_ == 0 || tail_skb_len_ >= goal) {
      // Linux: a new skb only while sk_stream_memory_free().
      if (!stream_memory_free(/*wake=*/false)) break;
      tail_skb_len_ = 0;
    }
    const size_t copy = std::min<size_t>(goal - tail_skb_len_, data.size() - copied);
    const bool last = copied + copy == data.size();
    queue_write(data.subspan(copied, copy), more || !last, eor && last);
    tail_skb_len_ += static_cast<uint32_t>(copy);
    copied += copy;
    if (!last) {
      // Linux tcp_push_one(): a full skb at the head of the queue goes out
      // while the write goes on.
      hold_for_more_ = true;
      send_data();
      hold_for_more_ = false;
    }
  }
  // Linux: a write the limit cut short pushes what it queued, marked PSH
  // (tcp_push() without MSG_MORE).
  if (copied > 0 && copied < data.size()) {
    mark_push(snd_una_.add(seqnum::Size(static_cast<uint32_t>(send_queue_.size()))));
  }
  return copied;
}

}  // namespace netstack::tcp
