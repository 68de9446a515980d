// NetworkLink: the wire between two ends, A and B (each a host's NIC or a
// scripted peer), with an optional fault plan per direction. Packets wait
// on the wire until the testbed pumps it; a FaultyLink on the sending side
// drops, duplicates, corrupts, reorders or delays what that end sends, on
// the testbed's clock.
#pragma once

#include <cstdint>
#include <optional>

#include "stack/link/faulty_link.h"
#include "stack/link/link.h"
#include "stack/link/loopback_link.h"
#include "stack/time/fake_clock.h"

namespace tcpfuzz::testbed {

enum class End : uint8_t { kA = 0, kB = 1 };

struct LinkOptions {
  uint32_t mtu = 1500;
  // Faults on what each end sends (nullopt: that direction is clean).
  std::optional<netstack::FaultPlan> faults_from_a;
  std::optional<netstack::FaultPlan> faults_from_b;

  // The same plan both ways, drawn independently: B's copy is seeded with
  // plan.seed + 1. The one way every harness makes a symmetric faulty link.
  static LinkOptions faulty(const netstack::FaultPlan& plan, uint32_t mtu = 1500);
};

class NetworkLink {
 public:
  NetworkLink(netstack::FakeClock& clock, LinkOptions options);
  NetworkLink(const NetworkLink&) = delete;
  NetworkLink& operator=(const NetworkLink&) = delete;

  const LinkOptions& options() const { return options_; }
  // What `from` sends through: its FaultyLink, or the bare wire.
  netstack::Link& sender(End from);
  // Where packets arriving at `to` go.
  void attach(End to, netstack::PacketReceiver* r) { wire_->attach(side(to), r); }
  // The FaultyLink on what `from` sends (nullptr: that direction is clean).
  netstack::FaultyLink* faults(End from);
  const netstack::FaultyLink* faults(End from) const;
  size_t pump() { return wire_->pump(); }
  // The wire itself: it stays at this address across tear_down() and
  // build().
  netstack::LoopbackLink& wire() { return *wire_; }
  size_t queued() const { return wire_->queued(); }
  // Packets the faults still hold (delayed or reordered), both directions.
  size_t in_flight() const;

  // Drops the wire and the faults (before the clock they hold timers on
  // goes), then builds them again: an empty wire, faults from their plans.
  void tear_down();
  void build(netstack::FakeClock& clock);

 private:
  static netstack::LoopbackLink::Side side(End e) {
    return e == End::kA ? netstack::LoopbackLink::Side::kA : netstack::LoopbackLink::Side::kB;
  }
  static size_t index(End e) { return static_cast<size_t>(e); }

  LinkOptions options_;
  std::optional<netstack::LoopbackLink> wire_;
  std::optional<netstack::FaultyLink> faults_[2];  // by sending end
};

}  // namespace tcpfuzz::testbed
