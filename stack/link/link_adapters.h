// Adapters between the two directions of a NIC, so a Link decorator such as
// FaultyLink can sit on the inbound path too, and a packet source can feed a
// Link directly:
//   tun -> LinkReceiver(FaultyLink(ReceiverLink(nic))) faults what arrives
//   tun A -> LinkReceiver(tun B) forwards from one device to another
#pragma once

#include <cstdint>
#include <utility>

#include "stack/link/link.h"

namespace netstack {

// A Link whose send() hands the packet to a PacketReceiver.
class ReceiverLink final : public Link {
 public:
  ReceiverLink(PacketReceiver& to, uint32_t mtu) : to_(to), mtu_(mtu) {}

  // Begin Link implementation.
  void send(View packet) override { to_.receive(std::move(packet)); }
  uint32_t mtu() const override { return mtu_; }
  // End Link implementation.

 private:
  PacketReceiver& to_;
  uint32_t mtu_;
};

// A PacketReceiver whose receive() sends the packet through a Link.
class LinkReceiver final : public PacketReceiver {
 public:
  explicit LinkReceiver(Link& to) : to_(to) {}

  // Begin PacketReceiver implementation.
  void receive(View packet) override { to_.send(std::move(packet)); }
  // End PacketReceiver implementation.

 private:
  Link& to_;
};

}  // namespace netstack
