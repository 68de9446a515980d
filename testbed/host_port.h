// HostPort: a host's NIC on one link, between its Stack and the wire. What
// the stack sends goes out through the link (and its faults); what the wire
// delivers goes into the stack; both ways the host's taps and wire
// observers see the packet first.
//   outbound: Stack -> HostPort (the NIC's Link) -> [FaultyLink] -> wire
//   inbound:  wire -> HostPort (the wire's PacketReceiver) -> Stack NIC
#pragma once

#include <utility>

#include "stack/link/link.h"
#include "testbed/host.h"

namespace tcpfuzz::testbed {

class HostPort final : public netstack::Link, public netstack::PacketReceiver {
 public:
  explicit HostPort(Host& host) : host_(host) {}

  Host& host() { return host_; }
  void set_out(netstack::Link* out) { out_ = out; }
  void set_in(netstack::PacketReceiver* in) { in_ = in; }

  // Begin Link implementation.
  void send(netstack::View packet) override {
    if (host_.watched()) host_.saw_packet(Direction::kOutbound, packet.bytes());
    out_->send(std::move(packet));
  }
  uint32_t mtu() const override { return out_->mtu(); }
  // End Link implementation.

  // Begin PacketReceiver implementation.
  void receive(netstack::View packet) override {
    if (host_.watched()) host_.saw_packet(Direction::kInbound, packet.bytes());
    in_->receive(std::move(packet));
  }
  // End PacketReceiver implementation.

 private:
  Host& host_;
  netstack::Link* out_ = nullptr;
  netstack::PacketReceiver* in_ = nullptr;
};

}  // namespace tcpfuzz::testbed
