#include "testbed/host.h"

#include <utility>

namespace tcpfuzz::testbed {

using namespace netstack;

Host::Host(HostId id, FakeClock& clock, HostOptions options) : id_(id), options_(options) {
  build(clock);
}

void Host::tear_down() {
  tcp_.reset();  // before the stack it registers with
  stack_.reset();
}

void Host::build(FakeClock& clock) {
  tear_down();
  stack_.emplace(clock, StackOptions{options_.seed});
  tcp_.emplace(*stack_, options_.config);
  apply_settings();
}

void Host::apply_settings() {
  tcp_->set_tracer(tracers_.target());
  tcp_->set_allocation_faults(allocation_faults_);
  if (on_invariant_failure_) tcp_->set_invariant_failure_handler(on_invariant_failure_);
}

void Host::set_allocation_faults(tcp::AllocationFaults* faults) {
  allocation_faults_ = faults;
  tcp_->set_allocation_faults(faults);
}

void Host::set_invariant_failure_handler(InvariantFailureHandler h) {
  on_invariant_failure_ = std::move(h);
  tcp_->set_invariant_failure_handler(on_invariant_failure_);
}

void Host::saw_packet(Direction d, std::span<const uint8_t> packet) {
  const Instant now = stack_->clock().now();
  for (PacketRecorder* tap : taps_) tap->record_crossing(now, d == Direction::kOutbound, packet);
  for (Observer* o : wire_observers_) o->on_packet(now, id_, d, packet);
}

}  // namespace tcpfuzz::testbed
