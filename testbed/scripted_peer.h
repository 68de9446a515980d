// ScriptedPeer: the far end of a link whose near end is a host, played by
// the test, fuzz harness or script runner itself: it puts packets on the
// wire toward the host and gets what the host sends, either handed to a
// receiver of its own or kept in order for the caller to take.
#pragma once

#include <deque>
#include <optional>
#include <utility>

#include "stack/buffer/view.h"
#include "stack/link/link.h"
#include "stack/util/block_pool.h"
#include "testbed/network_link.h"
#include "testbed/observer.h"

namespace tcpfuzz::testbed {

using LinkId = uint32_t;

class ScriptedPeer final : public netstack::PacketReceiver {
 public:
  ScriptedPeer(LinkId link, HostId host) : link_(link), host_(host) {}
  ScriptedPeer(const ScriptedPeer&) = delete;
  ScriptedPeer& operator=(const ScriptedPeer&) = delete;

  LinkId link() const { return link_; }
  // The host at the other end.
  HostId host() const { return host_; }

  // Puts one IP packet on the wire toward the host (through the link's
  // faults on the peer's side, if any); the testbed's next pump delivers it.
  void send(netstack::View packet) { out_->send(std::move(packet)); }

  // Where what the host sends goes; nullptr (the default): kept in order
  // for take(). Kept across the testbed's reset(). The wire hands packets
  // to it directly, not through the peer.
  void set_receiver(netstack::PacketReceiver* r);
  // The oldest packet the host sent that nobody took yet.
  std::optional<netstack::View> take();
  size_t pending() const { return received_.size(); }

  // Begin PacketReceiver implementation.
  void receive(netstack::View packet) override;
  // End PacketReceiver implementation.

 private:
  friend class Testbed;

  LinkId link_;
  HostId host_;
  // Where the peer ends its link: what it sends through and what receives
  // for it (set by the testbed, and again on reset).
  void plug_into(NetworkLink& link);

  netstack::Link* out_ = nullptr;
  NetworkLink* wire_ = nullptr;
  netstack::PacketReceiver* receiver_ = nullptr;
  netstack::RecycledDeque<netstack::View> received_;
};

}  // namespace tcpfuzz::testbed
