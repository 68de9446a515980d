// The two directions of a network interface.
//
// Link is a NIC's way out: the stack hands it whole IP packets. A
// PacketReceiver is the way in: whatever carries packets (a LoopbackLink, a
// TUN reader, a test's scripted peer) calls receive() with one IP packet.
// Decorators (FaultyLink, RecordingTap) implement one or both and forward.
#pragma once

#include <cstdint>

#include "stack/buffer/view.h"

namespace netstack {

class Link {
 public:
  virtual ~Link() = default;
  virtual void send(View packet) = 0;
  // Largest IP packet the link carries.
  virtual uint32_t mtu() const = 0;
};

class PacketReceiver {
 public:
  virtual ~PacketReceiver() = default;
  virtual void receive(View packet) = 0;
};

}  // namespace netstack
