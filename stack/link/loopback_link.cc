#include "stack/link/loopback_link.h"

#include <utility>

namespace netstack {

LoopbackLink::LoopbackLink(uint32_t mtu) : mtu_(mtu), ends_{{*this, Side::kA}, {*this, Side::kB}} {}

void LoopbackLink::End::send(View packet) {
  const Side to = from_ == Side::kA ? Side::kB : Side::kA;
  wire_.queue_.push_back({to, std::move(packet)});
}

size_t LoopbackLink::pump(size_t max_packets) {
  size_t n = 0;
  while (n < max_packets && !queue_.empty()) {
    InFlight f = std::move(queue_.front());
    queue_.pop_front();
    ++n;
    PacketReceiver* r = receivers_[index(f.to)];
    if (r == nullptr) {
      ++dropped_unattached_;
      continue;
    }
    ++delivered_;
    r->receive(std::move(f.packet));
  }
  return n;
}

}  // namespace netstack
