// Receive-buffer auto-tuning (Linux tcp_rcv_space_adjust(), "dynamic right
// sizing"): once per receiver RTT, if the application read more than in the
// interval before, the buffer grows to twice that plus room for the sender
// to speed up, up to tcp_rmem[2]. A buffer the user set with SO_RCVBUF is
// left alone.
#include <algorithm>

#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

void Endpoint::measure_receiver_rtt() {
  // Linux tcp_rcv_rtt_measure(): the time to receive one window's worth of
  // data bounds the RTT from above; the smallest such bound is kept.
  if (rcv_rtt_probe_ && rcv_nxt_.less_than(rcv_rtt_probe_->first)) return;
  if (rcv_rtt_probe_) {
    const Duration sample = now() - rcv_rtt_probe_->second;
    if (sample > Duration(0) && (rcv_rtt_ == Duration(0) || sample < rcv_rtt_)) rcv_rtt_ = sample;
  }
  // One window ahead (at least a segment, if data came beyond the window).
  const uint32_t window =
      rcv_nxt_.less_than(rcv_adv_) ? rcv_nxt_.size_to(rcv_adv_).bytes() : rcv_mss_;
  rcv_rtt_probe_.emplace(rcv_nxt_.add(seqnum::Size(std::max(window, rcv_mss_))), now());
}

void Endpoint::adjust_receive_space(size_t copied) {
  bytes_read_ += copied;
  if (!space_time_) {
    // Linux tcp_init_buffer_space(): the first interval expects IW10.
    const uint32_t mss = advertised_mss_ != 0 ? advertised_mss_ : rcv_mss_;
    space_ = std::min(rwin_.rcv_wnd(), protocol_.config().initial_cwnd * mss);
    space_time_ = now();
    space_read_mark_ = bytes_read_ - copied;
  }
  if (rcv_rtt_ == Duration(0) || now() - *space_time_ < rcv_rtt_) return;
  const uint64_t read = bytes_read_ - space_read_mark_;
  if (read > space_ && space_ > 0) {
    if (!rcvbuf_locked_) {
      // Twice what was read, sixteen segments of cushion, and twice the
      // growth again for a sender still in slow start.
      uint64_t window = 2 * read + 16 * uint64_t{advertised_mss_};
      window += 2 * (window * (read - space_) / space_);
      // The buffer holding that window: twice it, as the window is half the
      // buffer (tcp_space_from_win() with the default scaling ratio).
      const auto rcvbuf =
          static_cast<uint32_t>(std::min<uint64_t>(2 * window, protocol_.config().rmem_max));
      if (rcvbuf > rcvbuf_) {
        rcvbuf_ = rcvbuf;
        max_rcvbuf_ = std::max(max_rcvbuf_, rcvbuf_);
        rwin_.grow_buffer(rcvbuf_);
        reassembly_.set_max_bytes(rcvbuf_);
      }
    }
    space_ = static_cast<uint32_t>(std::min<uint64_t>(read, UINT32_MAX));
  }
  space_read_mark_ = bytes_read_;
  space_time_ = now();
}

}  // namespace netstack::tcp
