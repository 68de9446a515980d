// TunHost: a Stack with one NIC on a TUN device, the real clock and the
// event loop, optionally with a FaultyLink on each direction:
//   stack -> FaultyLink(out) -> TunLink -> kernel
//   kernel -> TunLink -> FaultyLink(in) -> stack
// A capture on the device sees what our stack sent after the outbound
// faults and what the kernel sent before the inbound ones.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "stack/link/faulty_link.h"
#include "stack/link/link_adapters.h"
#include "stack/link/tun_event_loop.h"
#include "stack/link/tun_link.h"
#include "stack/stack.h"
#include "stack/tcp/protocol.h"
#include "stack/time/real_clock.h"
#include "stack/util/expected.h"

namespace tcpfuzz::serve {

class TunHost {
 public:
  static netstack::Expected<std::unique_ptr<TunHost>, std::string> open(
      const std::string& tun, const netstack::IpAddress& address, netstack::tcp::Config config,
      const std::optional<netstack::FaultPlan>& faults, uint64_t seed);

  netstack::tcp::Protocol& tcp() { return protocol_; }
  netstack::RealClock& clock() { return clock_; }
  // One event loop turn (see TunEventLoop::turn).
  std::optional<std::string> turn(netstack::Duration max_wait) { return loop_.turn(max_wait); }
  // "faults out: dropped=... in: ..." (empty without faults), the device's
  // counters, then the stack's and TCP's counters that are not zero.
  std::string link_summary() const;

 private:
  TunHost(std::unique_ptr<netstack::TunLink> tun, const netstack::IpAddress& address,
          netstack::tcp::Config config, const std::optional<netstack::FaultPlan>& faults,
          uint64_t seed);
  // Where the stack sends, and where packets from the device go.
  netstack::Link& outbound();
  netstack::Link& inbound();

  netstack::RealClock clock_;
  std::unique_ptr<netstack::TunLink> tun_;
  std::unique_ptr<netstack::FaultyLink> out_faults_;
  netstack::Stack stack_;
  netstack::tcp::Protocol protocol_;
  netstack::NicId nic_;
  netstack::ReceiverLink to_stack_;
  std::unique_ptr<netstack::FaultyLink> in_faults_;
  netstack::LinkReceiver from_tun_;
  netstack::TunEventLoop loop_;
};

}  // namespace tcpfuzz::serve
