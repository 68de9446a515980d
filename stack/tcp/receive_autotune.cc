#include "stack/tcp/receive_autotune.h"

#include <algorithm>

namespace netstack::tcp {

void ReceiveAutotune::measure_rtt(Instant now, seqnum::Value rcv_nxt, seqnum::Value rcv_adv,
                                  uint32_t rcv_mss) {
  if (rtt_probe_ && rcv_nxt.less_than(rtt_probe_->first)) return;
  if (rtt_probe_) {
    const Duration sample = now - rtt_probe_->second;
    if (sample > Duration(0) && (rtt_ == Duration(0) || sample < rtt_)) rtt_ = sample;
  }
  // One window ahead (at least a segment, if data came beyond the window).
  const uint32_t window = rcv_nxt.less_than(rcv_adv) ? rcv_nxt.size_to(rcv_adv).bytes() : rcv_mss;
  rtt_probe_.emplace(rcv_nxt.add(seqnum::Size(std::max(window, rcv_mss))), now);
}

std::optional<uint32_t> ReceiveAutotune::on_read(size_t copied, Instant now, const ReadContext& c) {
  bytes_read_ += copied;
  if (!space_time_) {
    // Linux tcp_init_buffer_space(): the first interval expects IW10.
    space_ = c.initial_space;
    space_time_ = now;
    space_read_mark_ = bytes_read_ - copied;
  }
  if (rtt_ == Duration(0) || now - *space_time_ < rtt_) return std::nullopt;
  const uint64_t read = bytes_read_ - space_read_mark_;
  std::optional<uint32_t> buffer;
  if (read > space_ && space_ > 0) {
    if (c.may_grow) {
      // Twice what was read, sixteen segments of cushion, and twice the
      // growth again for a sender still in slow start.
      uint64_t window = 2 * read + 16 * uint64_t{c.advertised_mss};
      window += 2 * (window * (read - space_) / space_);
      // The buffer holding that window: twice it, as the window is half the
      // buffer (tcp_space_from_win() with the default scaling ratio).
      buffer = static_cast<uint32_t>(std::min<uint64_t>(2 * window, c.rmem_max));
    }
    space_ = static_cast<uint32_t>(std::min<uint64_t>(read, UINT32_MAX));
  }
  space_read_mark_ = bytes_read_;
  space_time_ = now;
  return buffer;
}

}  // namespace netstack::tcp
