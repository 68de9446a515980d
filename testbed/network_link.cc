#include "testbed/network_link.h"

#include <utility>

namespace tcpfuzz::testbed {

using namespace netstack;

LinkOptions LinkOptions::faulty(const FaultPlan& plan, uint32_t mtu) {
  LinkOptions o;
  o.mtu = mtu;
  o.faults_from_a = plan;
  o.faults_from_b = plan;
  o.faults_from_b->seed = plan.seed + 1;  // the two directions fail independently
  return o;
}

NetworkLink::NetworkLink(FakeClock& clock, LinkOptions options) : options_(std::move(options)) {
  build(clock);
}

void NetworkLink::tear_down() {
  for (auto& f : faults_) f.reset();  // they cancel their timers and refer to the wire
  wire_.reset();
}

void NetworkLink::build(FakeClock& clock) {
  tear_down();
  wire_.emplace(options_.mtu);
  if (options_.faults_from_a) {
    faults_[index(End::kA)].emplace(wire_->side(side(End::kA)), clock, *options_.faults_from_a);
  }
  if (options_.faults_from_b) {
    faults_[index(End::kB)].emplace(wire_->side(side(End::kB)), clock, *options_.faults_from_b);
  }
}

Link& NetworkLink::sender(End from) {
  if (auto& f = faults_[index(from)]) return *f;
  return wire_->side(side(from));
}

FaultyLink* NetworkLink::faults(End from) {
  auto& f = faults_[index(from)];
  return f ? &*f : nullptr;
}

const FaultyLink* NetworkLink::faults(End from) const {
  const auto& f = faults_[index(from)];
  return f ? &*f : nullptr;
}

size_t NetworkLink::in_flight() const {
  size_t n = 0;
  for (const auto& f : faults_) n += f ? f->in_flight() : 0;
  return n;
}

}  // namespace tcpfuzz::testbed
