#include "fuzz/scenario/scenario_world.h"

namespace tcpfuzz::scenario {

using namespace netstack;

ScenarioWorld::ScenarioWorld(const Options& options)
    : wire_(options.mtu), stack_(clock_, StackOptions{options.seed}), tcp_(stack_, options.config) {
  Link* link = &wire_.side(LoopbackLink::Side::kA);
  if (options.pcap != nullptr) {
    tap_ = std::make_unique<RecordingTap>(*options.pcap, clock_, *link);
    link = tap_.get();
  }
  const NicId nic = stack_.add_nic(*link);
  stack_.add_address(nic, options.local);
  if (tap_) {
    tap_->set_receiver(&stack_.nic_receiver(nic));
    wire_.attach(LoopbackLink::Side::kA, tap_.get());
  } else {
    wire_.attach(LoopbackLink::Side::kA, &stack_.nic_receiver(nic));
  }
}

}  // namespace tcpfuzz::scenario
