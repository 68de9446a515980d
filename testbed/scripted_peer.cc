#include "testbed/scripted_peer.h"

namespace tcpfuzz::testbed {

using namespace netstack;

std::optional<View> ScriptedPeer::take() {
  if (received_.empty()) return std::nullopt;
  View p = std::move(received_.front());
  received_.pop_front();
  return p;
}

void ScriptedPeer::set_receiver(PacketReceiver* r) {
  receiver_ = r;
  if (wire_ != nullptr) plug_into(*wire_);
}

void ScriptedPeer::plug_into(NetworkLink& link) {
  wire_ = &link;
  out_ = &link.sender(End::kB);
  link.attach(End::kB, receiver_ != nullptr ? receiver_ : this);
}

void ScriptedPeer::receive(View packet) {
  received_.push_back(std::move(packet));
}

}  // namespace tcpfuzz::testbed
