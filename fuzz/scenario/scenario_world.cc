#include "fuzz/scenario/scenario_world.h"

#include "fuzz/scenario/socket_under_test.h"

namespace tcpfuzz::scenario {

namespace {

testbed::LinkOptions link_with_mtu(uint32_t mtu) {
  testbed::LinkOptions link;
  link.mtu = mtu;
  return link;
}

testbed::HostId add_stack(testbed::Testbed& bed, const ScenarioWorld::Options& options) {
  const testbed::HostId id = bed.add_host({.seed = options.seed, .config = options.config});
  if (options.pcap != nullptr) bed.add_tap(id, *options.pcap);
  return id;
}

}  // namespace

ScenarioWorld::ScenarioWorld(const Options& options)
    : testbed_(testbed::TestbedOptions{.start = netstack::Instant::from_nanos(kScriptStartNanos)}),
      host_(testbed_.host(add_stack(testbed_, options))),
      peer_(testbed_.add_peer({host_.id(), options.local}, link_with_mtu(options.mtu))) {}

}  // namespace tcpfuzz::scenario
