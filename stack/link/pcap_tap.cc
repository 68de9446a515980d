#include "stack/link/pcap_tap.h"

#include <utility>

namespace netstack {

void PcapTap::send(View packet) {
  writer_.write(clock_.now(), packet.bytes());
  inner_.send(std::move(packet));
}

void PcapTap::receive(View packet) {
  writer_.write(clock_.now(), packet.bytes());
  if (receiver_ != nullptr) receiver_->receive(std::move(packet));
}

}  // namespace netstack
