// Receive-buffer auto-tuning: a peer that fills every window it is offered,
// an application that reads everything, an RTT of 50 ms. The buffer and the
// window grow round after round (Linux tcp_rcv_space_adjust()); a buffer
// set with SO_RCVBUF does not.
#include "tests/tcp/tcp_harness.h"

namespace netstack::tcp::testing {
namespace {

constexpr uint32_t kPeerIss = 1000;
constexpr uint32_t kSegment = 1460;

struct Autotune : EstablishedFixture {
  Autotune() {
    syn_options.window_scale = 7;
    syn_options.sack_permitted = true;
  }
  // One RTT: the peer sends the whole window offered, the application reads
  // it all; returns the window offered at the end.
  uint32_t round() {
    const uint32_t window = ep->info().rcv_wnd;
    for (uint32_t sent = 0; sent + kSegment <= window; sent += kSegment) {
      h.in(Seg{.flags = kAck,
               .seq = next_seq,
               .ack = iss + 1,
               .payload = std::vector<uint8_t>(kSegment, 0x11)});
      next_seq += kSegment;
    }
    std::vector<uint8_t> buf(1 << 20);
    while (ep->read(buf).value_or(0) > 0) {
    }
    h.advance(std::chrono::milliseconds(50));
    while (h.pending_out() > 0) h.out();
    return ep->info().rcv_wnd;
  }
  uint32_t next_seq = kPeerIss + 1;
};

TEST_F(Autotune, TheBufferAndTheWindowGrowWithWhatTheApplicationReads) {
  const int before = ep->get_option(SockOpt::kRcvBuf).value();
  const uint32_t first_window = round();
  uint32_t window = first_window;
  for (int i = 0; i < 12; ++i) window = round();
  EXPECT_GT(ep->get_option(SockOpt::kRcvBuf).value(), 4 * before);
  EXPECT_GT(window, 4 * first_window);
  EXPECT_LE(static_cast<uint32_t>(ep->get_option(SockOpt::kRcvBuf).value()),
            h.tcp.config().rmem_max)
      << "tcp_rmem[2] bounds it";
}

TEST_F(Autotune, ABufferSetWithSoRcvbufNeverGrows) {
  ASSERT_EQ(ep->set_option(SockOpt::kRcvBuf, 65536), 0);
  const int locked = ep->get_option(SockOpt::kRcvBuf).value();
  for (int i = 0; i < 12; ++i) round();
  EXPECT_EQ(ep->get_option(SockOpt::kRcvBuf).value(), locked);
}

}  // namespace
}  // namespace netstack::tcp::testing
