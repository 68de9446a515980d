// ReceiveWindow: the receive buffer's memory accounting and the window it
// lets us offer, the way Linux computes them (tcp_select_initial_window(),
// __tcp_select_window(), tcp_grow_window(), tcp_space()). Peers and
// packetdrill scripts see these numbers on every segment, so they follow
// Linux rather than a simpler rule.
//
// Memory is counted in skb "truesize", not payload bytes: Linux charges a
// received segment for its whole buffer, so a 1000-byte segment closes more
// than 1000 bytes of window. half of SO_RCVBUF is usable for payload
// (tcp_adv_win_scale / the default scaling_ratio of 1/2).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>

#include "stack/util/block_pool.h"

namespace netstack::tcp {

class ReceiveWindow {
 public:
  // rcvbuf as Linux stores it (SO_RCVBUF doubled); `locked` when the user
  // set SO_RCVBUF, which clamps the window to the buffer.
  void configure(uint32_t rcvbuf, bool locked);

  // RFC 7323 window scale to offer: covers the larger of the buffer and
  // tcp_rmem[2] (unless locked), at most 14.
  uint8_t scale_to_offer(uint32_t rmem_max) const;

  // tcp_select_initial_window(): the window of the SYN or SYN-ACK, a whole
  // number of `mss`, and the growth threshold derived from it.
  void initialize(uint32_t mss);
  // At establishment: the clamp is what the negotiated scale can say (Linux
  // tcp_select_initial_window(), 65535 unscaled), then
  // tcp_init_buffer_space() keeps one segment of the full space in reserve
  // ("force reservation of one segment"); rcv_ssthresh stays under it.
  // `advmss` as Linux's tp->advmss (less the timestamp option on an active
  // open).
  void establish(uint32_t advmss, uint8_t wscale);
  uint32_t window_clamp() const { return window_clamp_; }
  // Linux tcp_clamp_window() when data arrives over SO_RCVBUF: the window
  // may grow again only to two segments. Returns whether memory is over.
  bool clamp_if_over_budget();
  // The window field of a SYN or SYN-ACK (never scaled).
  uint16_t syn_window() const;

  // __tcp_select_window(): the window to offer now, in bytes, given the
  // peer's segment size as we measure it (rcv_mss) and our scale. Zero when
  // less than a segment fits (receiver SWS avoidance).
  uint32_t select(uint32_t rcv_mss, uint8_t wscale, uint32_t current_window) const;

  // Accounting: a segment of `len` payload bytes queued in order or out of
  // order, bytes the application consumed, out-of-order data released.
  void queued(uint32_t len);
  void consumed(uint32_t len);
  // Out-of-order data held: `bytes` in `segments` segments.
  void set_ooo(uint32_t bytes, uint32_t segments) {
    ooo_rmem_ = segments == 0 ? 0 : segments * truesize(bytes / segments);
  }
  // tcp_rcv_space_adjust(): receive-buffer auto-tuning raised the buffer.
  // Ignored when the user locked it with SO_RCVBUF.
  void grow_buffer(uint32_t rcvbuf);
  // tcp_grow_window(): in-order data lets the threshold grow by two
  // segments. Returns whether it grew.
  bool grow(uint32_t rcv_mss);

  uint32_t full_space() const { return full_space_; }
  // Less free space than half the full space (Linux __tcp_select_window()'s
  // test that ends quickack mode).
  bool under_half_free() const { return free_space() < std::min(full_space_, window_clamp_) / 2; }
  uint32_t free_space() const;
  uint32_t rcv_wnd() const { return rcv_wnd_; }
  uint32_t rmem_alloc() const { return rmem_ + ooo_rmem_; }

  // The memory Linux charges for a received segment with `len` payload
  // bytes (calibrated against Linux 6.18 windows on a tun device).
  static uint32_t truesize(uint32_t len);

 private:
  uint32_t rcvbuf_ = 0;
  uint32_t advmss_ = 536;  // Linux tp->advmss, known at establishment
  uint32_t full_space_ = 0;
  uint32_t window_clamp_ = 0;
  bool locked_ = false;
  uint32_t rcv_wnd_ = 0;       // the initial window (Linux tp->rcv_wnd at SYN time)
  uint32_t rcv_ssthresh_ = 0;  // growth threshold
  uint32_t rmem_ = 0;          // truesize of in-order data not yet read
  uint32_t ooo_rmem_ = 0;      // truesize of out-of-order data
  struct Charged {
    uint32_t bytes;
    uint32_t truesize;
  };
  RecycledDeque<Charged> charges_;  // per queued segment, oldest first
};

}  // namespace netstack::tcp
