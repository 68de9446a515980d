#include "stack/tcp/receive_window.h"

#include <algorithm>

#include "stack/header/tcp_options.h"

namespace netstack::tcp {

namespace {
constexpr uint32_t kMaxScaledWindow = uint32_t{65535} << header::kMaxWindowScale;
uint32_t align_up(uint32_t v, uint32_t unit) {
  return (v + unit - 1) / unit * unit;
}
}  // namespace

uint32_t ReceiveWindow::truesize(uint32_t len) {
  // Fitted to the windows Linux 6.18 advertises after receiving segments of
  // 50, 100 and 1000 bytes on a tun device: a fixed sk_buff/shared-info
  // overhead plus data in 512-byte steps.
  return 1792u + (std::max(len, 1u) + 511u) / 512u * 512u;
}

void ReceiveWindow::configure(uint32_t rcvbuf, bool locked) {
  rcvbuf_ = rcvbuf;
  locked_ = locked;
  full_space_ = rcvbuf / 2;
  window_clamp_ = locked ? full_space_ : kMaxScaledWindow;
}

uint8_t ReceiveWindow::scale_to_offer(uint32_t rmem_max) const {
  uint32_t space = std::min(std::max(full_space_, locked_ ? 0u : rmem_max), window_clamp_);
  uint8_t s = 0;
  // ilog2(space) - 15, clamped to [0, 14].
  while (s < header::kMaxWindowScale && space >= (uint32_t{1} << (s + 16))) ++s;
  return s;
}

void ReceiveWindow::initialize(uint32_t mss) {
  uint32_t space = std::min(full_space_, window_clamp_);
  if (space > mss) space = space / mss * mss;
  rcv_wnd_ = space;
  rcv_ssthresh_ = space;
}

uint16_t ReceiveWindow::syn_window() const {
  return static_cast<uint16_t>(std::min<uint32_t>(rcv_wnd_, 65535));
}

uint32_t ReceiveWindow::free_space() const {
  const uint32_t used = rmem_alloc();
  return used >= rcvbuf_ ? 0 : (rcvbuf_ - used) / 2;
}

uint32_t ReceiveWindow::select(uint32_t rcv_mss, uint8_t wscale, uint32_t current_window) const {
  const uint32_t full = std::min(full_space_, window_clamp_);
  const uint32_t unit = uint32_t{1} << wscale;
  uint32_t free = free_space() / unit * unit;
  if (free < full / 2 && free < rcv_mss) return 0;
  free = std::min(free, rcv_ssthresh_);
  if (wscale > 0) return align_up(free, unit);
  // Unscaled: keep the current offer if it is within a segment of the free
  // space, else round the free space down to whole segments.
  uint32_t window = current_window;
  if (window + rcv_mss <= free || window > free)
    window = free / rcv_mss * rcv_mss;
  else if (rcv_mss == full && free > window + full / 2)
    window = free;
  return window;
}

void ReceiveWindow::queued(uint32_t len) {
  if (len == 0) return;
  const uint32_t t = truesize(len);
  charges_.push_back({len, t});
  rmem_ += t;
}

void ReceiveWindow::consumed(uint32_t len) {
  while (len > 0 && !charges_.empty()) {
    Charged& c = charges_.front();
    const uint32_t n = std::min(len, c.bytes);
    c.bytes -= n;
    len -= n;
    if (c.bytes == 0) {
      rmem_ -= c.truesize;  // Linux frees the skb when it is fully read
      charges_.pop_front();
    }
  }
}

void ReceiveWindow::establish(uint32_t advmss, uint8_t wscale) {
  advmss_ = advmss;
  window_clamp_ = std::min({window_clamp_, uint32_t{65535} << wscale, full_space_});
  if (window_clamp_ > 2 * advmss && window_clamp_ + advmss > full_space_) {
    window_clamp_ = std::max(2 * advmss, full_space_ - advmss);
  }
  rcv_ssthresh_ = std::min(rcv_ssthresh_, window_clamp_);
}

bool ReceiveWindow::clamp_if_over_budget() {
  if (rmem_alloc() <= rcvbuf_) return false;
  rcv_ssthresh_ = std::min(window_clamp_, 2 * advmss_);
  return true;
}

void ReceiveWindow::grow_buffer(uint32_t rcvbuf) {
  if (locked_ || rcvbuf <= rcvbuf_) return;
  rcvbuf_ = rcvbuf;
  full_space_ = rcvbuf / 2;
  window_clamp_ =
      std::max(window_clamp_, full_space_);  // the clamp follows (tcp_rcv_space_adjust())
}

bool ReceiveWindow::grow(uint32_t rcv_mss) {
  if (rcv_ssthresh_ >= window_clamp_ || free_space() <= rcv_ssthresh_) return false;
  rcv_ssthresh_ = std::min(rcv_ssthresh_ + 2 * rcv_mss, window_clamp_);
  return true;
}

}  // namespace netstack::tcp
