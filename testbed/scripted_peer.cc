#include "testbed/scripted_peer.h"

namespace tcpfuzz::testbed {

using namespace netstack;

std::optional<View> ScriptedPeer::take() {
  if (received_.empty()) return std::nullopt;
  View p = std::move(received_.front());
  received_.pop_front();
  return p;
}

void ScriptedPeer::receive(View packet) {
  if (receiver_ != nullptr) {
    receiver_->receive(std::move(packet));
  } else {
    received_.push_back(std::move(packet));
  }
}

}  // namespace tcpfuzz::testbed
