// PeerCapture: the scripted peer's receiving side. It keeps the packets of
// the socket under test as the stack sends them, with the time they left,
// for outbound lines to take in order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "fuzz/scenario/socket_under_test.h"
#include "stack/buffer/view.h"
#include "stack/header/tcp.h"
#include "stack/link/link.h"
#include "stack/time/clock.h"

namespace tcpfuzz::scenario {

// One packet the stack sent, as captured at the peer.
struct Captured {
  netstack::Instant sent_at;
  netstack::header::TcpHeader tcp;
  size_t payload = 0;
  netstack::View packet;  // keeps tcp.options' bytes alive
};

class PeerCapture final : public netstack::PacketReceiver {
 public:
  PeerCapture(const netstack::Clock& clock, const SocketUnderTest& sut)
      : clock_(clock), sut_(sut) {}

  // Begin PacketReceiver implementation.
  void receive(netstack::View packet) override;
  // End PacketReceiver implementation.

  // Sent and not yet taken, oldest first.
  std::deque<Captured> queue;
  // Sees every captured packet as it arrives (unset: nothing does).
  std::function<void(const Captured&)> on_sent;
  // Sees the TCP packets it does not capture (to another peer port than the
  // socket under test's), which packetdrill's sniffer still reads.
  std::function<void(const Captured&)> on_unseen;

 private:
  const netstack::Clock& clock_;
  const SocketUnderTest& sut_;
};

}  // namespace tcpfuzz::scenario
