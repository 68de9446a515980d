#include "testbed/testbed.h"

#include <algorithm>
#include <utility>

namespace tcpfuzz::testbed {

using namespace netstack;

Testbed::Testbed(TestbedOptions options) : options_(options) {
  clock_.emplace(options_.start);
  // Room for the usual worlds (two hosts, one link), so building one grows
  // no vector twice: fuzz targets build a world per input.
  hosts_.reserve(2);
  nics_.reserve(2);
}

Testbed::~Testbed() {
  // Stacks first (their endpoints cancel timers and may still send), then
  // the links they send through; the clock goes last.
  hosts_.clear();
  nics_.clear();
  peers_.clear();
  links_.clear();
}

HostId Testbed::add_host(HostOptions options) {
  const auto id = static_cast<HostId>(hosts_.size());
  hosts_.push_back(std::make_unique<Host>(id, *clock_, options));
  refresh_observers(*hosts_.back());
  return id;
}

LinkId Testbed::add_link(HostEnd a, HostEnd b, LinkOptions options) {
  const auto id = static_cast<LinkId>(links_.size());
  links_.push_back(std::make_unique<NetworkLink>(*clock_, std::move(options)));
  sole_wire_ = links_.size() == 1 ? &links_.front()->wire() : nullptr;
  for (const auto& [end, at] : {std::pair{End::kA, a}, std::pair{End::kB, b}}) {
    Host& h = host(at.host);
    h.addresses_.push_back(at.address);
    nics_.push_back(Nic{at.host, id, end, at.address, std::make_unique<HostPort>(h)});
    wire_nic(nics_.back());
  }
  return id;
}

ScriptedPeer& Testbed::add_peer(HostEnd at, LinkOptions options) {
  const auto id = static_cast<LinkId>(links_.size());
  links_.push_back(std::make_unique<NetworkLink>(*clock_, std::move(options)));
  sole_wire_ = links_.size() == 1 ? &links_.front()->wire() : nullptr;
  Host& h = host(at.host);
  h.addresses_.push_back(at.address);
  nics_.push_back(Nic{at.host, id, End::kA, at.address, std::make_unique<HostPort>(h)});
  wire_nic(nics_.back());
  peers_.push_back(std::make_unique<ScriptedPeer>(id, at.host));
  wire_peer(*peers_.back());
  return *peers_.back();
}

void Testbed::wire_nic(Nic& nic) {
  Host& h = host(nic.host);
  NetworkLink& l = link(nic.link);
  nic.port->set_out(&l.sender(nic.end));
  const NicId id = h.stack().add_nic(*nic.port);
  h.stack().add_address(id, nic.address);
  nic.port->set_in(&h.stack().nic_receiver(id));
  l.attach(nic.end, nic.port.get());
}

void Testbed::wire_peer(ScriptedPeer& peer) {
  peer.plug_into(link(peer.link()));
}

void Testbed::add_tap(HostId id, PacketRecorder& recorder) {
  host(id).taps_.push_back(&recorder);
}

void Testbed::attach(Observer& o) {
  attachments_.push_back({&o, &o, std::nullopt});
  clock_observers_.push_back(&o);
  for (auto& h : hosts_) refresh_observers(*h);
}

void Testbed::attach(Observer& o, HostId id) {
  attachments_.push_back({&o, &o, id});
  clock_observers_.push_back(&o);
  refresh_observers(host(id));
}

void Testbed::attach(tcp::Tracer& t) {
  attachments_.push_back({&t, nullptr, std::nullopt});
  for (auto& h : hosts_) refresh_observers(*h);
}

void Testbed::attach(tcp::Tracer& t, HostId id) {
  attachments_.push_back({&t, nullptr, id});
  refresh_observers(host(id));
}

void Testbed::detach(const tcp::Tracer& t) {
  std::erase_if(attachments_, [&](const Attachment& a) { return a.tracer == &t; });
  std::erase_if(clock_observers_,
                [&](const Observer* o) { return static_cast<const tcp::Tracer*>(o) == &t; });
  for (auto& h : hosts_) refresh_observers(*h);
}

void Testbed::refresh_observers(Host& h) {
  h.tracers_.clear();
  h.wire_observers_.clear();
  for (const Attachment& a : attachments_) {
    if (a.host && *a.host != h.id()) continue;
    h.tracers_.add(*a.tracer);
    if (a.observer != nullptr) h.wire_observers_.push_back(a.observer);
  }
  h.tcp().set_tracer(h.tracers_.target());
}

size_t Testbed::pump_links() {
  size_t delivered = 0;
  // A delivery may send on another link.
  while (true) {
    size_t round = 0;
    for (auto& l : links_) round += l->pump();
    if (round == 0) return delivered;
    delivered += round;
  }
}

size_t Testbed::queued() const {
  size_t n = 0;
  for (const auto& l : links_) n += l->queued();
  return n;
}

void Testbed::reset() {
  // Tear down in the destructor's order, then build in the constructor's.
  for (auto& h : hosts_) h->tear_down();
  for (auto& l : links_) l->tear_down();
  for (auto& p : peers_) p->received_.clear();
  clock_.reset();
  clock_.emplace(options_.start);
  for (auto& l : links_) l->build(*clock_);
  for (auto& h : hosts_) h->build(*clock_);
  for (Nic& nic : nics_) wire_nic(nic);
  for (auto& p : peers_) wire_peer(*p);
}

}  // namespace tcpfuzz::testbed
