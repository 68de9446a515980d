// The send buffer: how much a write may queue, when the socket is writable,
// and how the buffer grows (Linux tcp_sendmsg_locked(), sk_stream_memory_free(),
// sk_stream_is_writeable(), tcp_sndbuf_expand()).
//
// The queue is charged as Linux charges sk_wmem_queued: bytes plus each
// skb's overhead (SendSkbs). Linux checks SO_SNDBUF and TCP_NOTSENT_LOWAT
// only where a write starts a new skb of the TSO size goal, so a write may
// queue past both: what an skb started below them can hold.
#include <algorithm>
#include <bit>

#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

namespace {

// Linux MAX_TCP_HEADER, SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) and
// SKB_DATA_ALIGN(sizeof(struct sk_buff)) on x86-64: what tcp_sndbuf_expand()
// reckons one segment's skb costs beside its payload.
constexpr uint32_t kMaxTcpHeader = 320;
constexpr uint32_t kSharedInfo = 320;
constexpr uint32_t kSkBuff = 256;
// Linux TCP_INIT_CWND.
constexpr uint32_t kInitCwnd = 10;

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

size_t Endpoint::wmem_queued() const {
  return send_queue_.size() + send_skbs_.overhead();
}

bool Endpoint::send_memory_free(bool wake) const {
  return wmem_queued() < sndbuf_ && stream_memory_free(wake);
}

bool Endpoint::send_buffer_writeable() const {
  // Linux __sk_stream_is_writeable(sk, 1): a third of the buffer free.
  const size_t queued = wmem_queued();
  const size_t free_space = sndbuf_ - std::min<size_t>(sndbuf_, queued);
  return free_space >= queued / 2 && send_memory_free(/*wake=*/true);
}

void Endpoint::expand_sndbuf() {
  // Linux tcp_sndbuf_expand(): room for windows of full skbs, each costed
  // at its power-of-two allocation, for the larger of the initial and the
  // current congestion window; never past tcp_wmem[2]. Two windows for
  // CUBIC and Reno, which have no sndbuf_expand hook (BBR asks for three):
  // socket/sndbuf-expands-at-handshake.pkt.
  // (The larger of the MSS in use and the peer's, clamped by TCP_MAXSEG:
  // Linux's mss_cache and rx_opt.mss_clamp.)
  const uint32_t clamp = user_mss_ != 0 ? std::min<uint32_t>(peer_mss_, user_mss_) : peer_mss_;
  const uint32_t mss = std::max(snd_mss_, clamp);
  const uint32_t per_mss = std::bit_ceil(mss + kMaxTcpHeader + kSharedInfo) + kSkBuff;
  const uint32_t segments =
      std::max({kInitCwnd, recovery_.window().cwnd, recovery_.reordering() + 1});
  const uint64_t wanted = uint64_t{2} * segments * per_mss;
  if (sndbuf_ < wanted) {
    sndbuf_ = static_cast<uint32_t>(std::min<uint64_t>(wanted, protocol_.config().wmem_max));
    max_sndbuf_ = std::max(max_sndbuf_, sndbuf_);
  }
}

void Endpoint::on_send_space_freed() {
  if (!write_space_wanted_) return;
  // Linux tcp_new_space(): a writer waits, so the buffer may grow unless
  // SO_SNDBUF fixed it or the congestion window is full
  // (tcp_should_expand_sndbuf()); then the writer wakes once a third of the
  // buffer is free (sk_stream_write_space()).
  if (!sndbuf_locked_ && recovery_.can_send()) expand_sndbuf();
  if (send_buffer_writeable()) {
    write_space_wanted_ = false;
    ++wakeups_.writable;
  }
}

uint32_t Endpoint::size_goal() const {
  // Linux tcp_bound_to_half_wnd(): at most half the largest window the peer
  // offered (once it exceeds the default MSS), in whole segments, and no
  // more segments than the link's gso_max_segs.
  // Segments are counted in tcp_current_mss(): what fits beside the
  // options (SACK blocks too) the next segment carries.
  const uint32_t mss = current_mss();
  uint32_t goal = SendSkbs::kMaxBytes;
  if (max_snd_wnd_ > 536) goal = std::min(goal, max_snd_wnd_ / 2);
  const uint32_t segments = std::min(goal / mss, protocol_.config().gso_max_segs);
  return std::max(segments * mss, mss);
}

size_t Endpoint::queue_write_by_skbs(std::span<const uint8_t> data, SendFlags flags) {
  const uint32_t goal = flags.oob ? current_mss() : size_goal();
  size_t copied = 0;
  while (copied < data.size()) {
    const seqnum::Value write_seq =
        snd_una_.add(seqnum::Size(static_cast<uint32_t>(send_queue_.size())));
    // Linux tcp_skb_can_collapse_to(): an skb that ends a record takes no more.
    const bool record_end = !eor_marks_.empty() && eor_marks_.back() == write_seq;
    uint32_t tail = record_end ? 0 : send_skbs_.unsent_tail(snd_max_);
    const bool fresh = tail == 0 || tail >= goal;
    if (fresh) {
      // Linux: a new skb only while sk_stream_memory_free().
      if (!send_memory_free(/*wake=*/false)) break;
      tail = 0;
    }
    const size_t copy = std::min<size_t>(goal - tail, data.size() - copied);
    const seqnum::Value end = write_seq.add(seqnum::Size(static_cast<uint32_t>(copy)));
    if (fresh) {
      send_skbs_.add(write_seq, end);
    } else {
      // Linux tcp_sendmsg_locked(): the unsent skb a write first adds to
      // loses its PSH; the write marks its own end instead.
      if (copied == 0) clear_push_mark(write_seq);
      send_skbs_.extend_tail(end);
    }
    const bool last = copied + copy == data.size();
    // Linux tcp_push() at the write's end may force a push, also for MSG_OOB.
    queue_write(data.subspan(copied, copy), flags.more || !last, flags.eor && last,
                /*forced_pushes=*/!flags.oob || last);
    copied += copy;
    if (!last && !flags.oob) {
      // Linux tcp_push_one(): a full skb at the head of the queue goes out
      // while the write goes on.
      hold_for_more_ = true;
      send_data();
      hold_for_more_ = false;
    }
  }
  // Linux: a write the limit cut short pushes what it queued, marked PSH
  // (tcp_push() without MSG_MORE).
  const seqnum::Value write_end =
      snd_una_.add(seqnum::Size(static_cast<uint32_t>(send_queue_.size())));
  if (copied > 0 && copied < data.size()) mark_push(write_end);
  // Linux tcp_mark_urg(): the urgent pointer follows what the write queued.
  if (copied > 0 && flags.oob) snd_up_ = write_end;
  return copied;
}

}  // namespace netstack::tcp
