// Test doubles for both directions of a NIC: a Link and a PacketReceiver that
// keep what passes through them, in order.
#pragma once

#include <cstdint>
#include <vector>

#include "stack/buffer/view.h"
#include "stack/link/link.h"

namespace netstack::testing {

class RecordingLink final : public Link {
 public:
  explicit RecordingLink(uint32_t mtu = 1500) : mtu_(mtu) {}
  void send(View packet) override { sent.push_back(std::move(packet)); }
  uint32_t mtu() const override { return mtu_; }

  std::vector<View> sent;

 private:
  uint32_t mtu_;
};

class RecordingReceiver final : public PacketReceiver {
 public:
  void receive(View packet) override { received.push_back(std::move(packet)); }

  std::vector<View> received;
};

}  // namespace netstack::testing
