#include "fuzz/serve/tun_host.h"

#include <sstream>

namespace tcpfuzz::serve {

using netstack::FaultPlan;
using netstack::FaultyLink;

namespace {

std::unique_ptr<FaultyLink> faulty(netstack::Link& inner, netstack::Clock& clock,
                                   const std::optional<FaultPlan>& plan, uint64_t seed_offset) {
  if (!plan) return nullptr;
  FaultPlan p = *plan;
  p.seed += seed_offset;
  return std::make_unique<FaultyLink>(inner, clock, p);
}

void print_faults(std::ostream& out, const char* direction, const FaultyLink& link) {
  const netstack::FaultStats& s = link.stats();
  out << " " << direction << ": packets=" << s.sent << " dropped=" << s.dropped
      << " duplicated=" << s.duplicated << " reordered=" << s.reordered << " delayed=" << s.delayed
      << " corrupted=" << s.corrupted;
}

}  // namespace

netstack::Expected<std::unique_ptr<TunHost>, std::string> TunHost::open(
    const std::string& tun, const netstack::IpAddress& address, netstack::tcp::Config config,
    const std::optional<FaultPlan>& faults, uint64_t seed) {
  auto link = netstack::TunLink::open(tun);
  if (!link) return netstack::Unexpected{link.error()};
  return std::unique_ptr<TunHost>(new TunHost(std::move(*link), address, config, faults, seed));
}

TunHost::TunHost(std::unique_ptr<netstack::TunLink> tun, const netstack::IpAddress& address,
                 netstack::tcp::Config config, const std::optional<FaultPlan>& faults,
                 uint64_t seed)
    : tun_(std::move(tun)),
      out_faults_(faulty(*tun_, clock_, faults, 0)),
      stack_(clock_, netstack::StackOptions{seed}),
      protocol_(stack_, config),
      nic_(stack_.add_nic(outbound())),
      to_stack_(stack_.nic_receiver(nic_), tun_->mtu()),
      in_faults_(faulty(to_stack_, clock_, faults, 1)),
      from_tun_(inbound()),
      loop_(clock_, *tun_, from_tun_) {
  stack_.add_address(nic_, address);
}

netstack::Link& TunHost::outbound() {
  if (out_faults_) return *out_faults_;
  return *tun_;
}

netstack::Link& TunHost::inbound() {
  if (in_faults_) return *in_faults_;
  return to_stack_;
}

std::string TunHost::link_summary() const {
  std::ostringstream out;
  if (out_faults_) {
    out << "faults";
    print_faults(out, "out", *out_faults_);
    print_faults(out, "in", *in_faults_);
    out << "\n";
  }
  const netstack::TunStats& t = tun_->stats();
  out << "tun " << tun_->name() << ": sent=" << t.sent << " send_errors=" << t.send_errors
      << " received=" << t.received << "\nstack:";
  const auto nonzero = [&out](std::string_view name, uint64_t value) {
    if (value != 0) out << " " << name << "=" << value;
  };
  stack_.stats().for_each(nonzero);
  protocol_.stats().for_each(nonzero);
  return out.str();
}

}  // namespace tcpfuzz::serve
