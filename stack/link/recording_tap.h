// RecordingTap: hands every packet that passes a NIC, both ways, to a
// PacketRecorder (a pcap file, say) with the clock's timestamps. Put it
// between a NIC and its link:
//   outbound: stack -> tap (as the NIC's Link) -> inner link
//   inbound:  wire  -> tap (as the wire's PacketReceiver) -> the NIC
#pragma once

#include "stack/link/link.h"
#include "stack/link/packet_recorder.h"
#include "stack/time/clock.h"

namespace netstack {

class RecordingTap final : public Link, public PacketReceiver {
 public:
  RecordingTap(PacketRecorder& recorder, const Clock& clock, Link& inner)
      : recorder_(recorder), clock_(clock), inner_(inner) {}

  void set_receiver(PacketReceiver* r) { receiver_ = r; }

  // Begin Link implementation.
  void send(View packet) override;
  uint32_t mtu() const override { return inner_.mtu(); }
  // End Link implementation.

  // Begin PacketReceiver implementation.
  void receive(View packet) override;
  // End PacketReceiver implementation.

 private:
  PacketRecorder& recorder_;
  const Clock& clock_;
  Link& inner_;
  PacketReceiver* receiver_ = nullptr;
};

}  // namespace netstack
