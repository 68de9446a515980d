#include "stack/link/recording_tap.h"

#include <utility>

namespace netstack {

void RecordingTap::send(View packet) {
  recorder_.record(clock_.now(), packet.bytes());
  inner_.send(std::move(packet));
}

void RecordingTap::receive(View packet) {
  recorder_.record(clock_.now(), packet.bytes());
  if (receiver_ != nullptr) receiver_->receive(std::move(packet));
}

}  // namespace netstack
