#include "fuzz/scenario/peer_capture.h"

#include "stack/header/ip.h"
#include "stack/header/tcp_packet.h"

namespace tcpfuzz::scenario {

using namespace netstack;

void PeerCapture::receive(View packet) {
  std::span<const uint8_t> segment;
  if (auto v4 = header::parse_ipv4(packet.bytes())) {
    segment = v4->payload;
  } else if (auto v6 = header::parse_ipv6(packet.bytes())) {
    segment = v6->payload;
  }
  auto tcp = header::parse_tcp(segment);
  // packetdrill sees the packets of the socket under test, as it is when
  // they are sent; segments to other peer ports (extra connections a
  // script opened with explicit ports, or an earlier socket) go unseen.
  if (!tcp) return;
  Captured c;
  c.sent_at = clock_.now();
  c.tcp = tcp->header;
  c.payload = tcp->payload.size();
  if (!sut_.sees(tcp->header.dst_port)) {
    if (on_unseen) on_unseen(c);
    return;
  }
  c.packet = std::move(packet);
  if (on_sent) on_sent(c);
  queue.push_back(std::move(c));
}

}  // namespace tcpfuzz::scenario
