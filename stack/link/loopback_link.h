// LoopbackLink: an in-memory wire between two sides, A and B.
//
// send() on one side only enqueues; nothing is delivered until pump(), so a
// stack is never re-entered from inside its own send path. pump() delivers
// in send order across both directions, including packets sent while it runs,
// until the wire is empty.
#pragma once

#include <cstdint>
#include <deque>

#include "stack/link/link.h"
#include "stack/util/block_pool.h"

namespace netstack {

class LoopbackLink {
 public:
  enum class Side : uint8_t { kA = 0, kB = 1 };

  explicit LoopbackLink(uint32_t mtu = 1500);
  LoopbackLink(const LoopbackLink&) = delete;
  LoopbackLink& operator=(const LoopbackLink&) = delete;

  // The Link a NIC on `side` sends through.
  Link& side(Side s) { return ends_[index(s)]; }
  // Where packets arriving at `side` go (nullptr: dropped and counted).
  void attach(Side s, PacketReceiver* r) { receivers_[index(s)] = r; }

  // Delivers queued packets until none remain or max_packets were delivered;
  // returns how many were delivered.
  size_t pump(size_t max_packets = SIZE_MAX);
  size_t queued() const { return queue_.size(); }
  uint64_t delivered() const { return delivered_; }
  uint64_t dropped_unattached() const { return dropped_unattached_; }

 private:
  class End final : public Link {
   public:
    End(LoopbackLink& wire, Side from) : wire_(wire), from_(from) {}
    void send(View packet) override;
    uint32_t mtu() const override { return wire_.mtu_; }

   private:
    LoopbackLink& wire_;
    Side from_;
  };
  struct InFlight {
    Side to;
    View packet;
  };
  static size_t index(Side s) { return static_cast<size_t>(s); }

  uint32_t mtu_;
  End ends_[2];
  PacketReceiver* receivers_[2] = {nullptr, nullptr};
  RecycledDeque<InFlight> queue_;
  uint64_t delivered_ = 0;
  uint64_t dropped_unattached_ = 0;
};

}  // namespace netstack
