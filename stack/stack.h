// Stack: the network layer and everything shared by its endpoints.
//
// Owns the NICs (each a Link out and a PacketReceiver in), their addresses,
// the TCP demux table, the stack-wide counters and the seeded RNG. It reads
// time only through the Clock it is given and never touches the OS, so the
// same code runs on a FakeClock + LoopbackLink in tests and fuzzers and on a
// RealClock + TUN link in production.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "stack/buffer/view.h"
#include "stack/header/address.h"
#include "stack/header/icmp.h"
#include "stack/link/link.h"
#include "stack/stats.h"
#include "stack/tcp_demuxer.h"
#include "stack/time/clock.h"
#include "stack/util/rng.h"

namespace netstack {

struct StackOptions {
  // Seeds the RNG (ephemeral ports, ISN key, ...): same seed, same run.
  uint64_t seed = 1;
};

class Stack {
 public:
  Stack(Clock& clock, StackOptions options = {});
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // Adds a NIC that sends through `link`. Packets arriving for it go to
  // nic_receiver(id) (attach that to the wire).
  NicId add_nic(Link& link);
  PacketReceiver& nic_receiver(NicId id);
  void add_address(NicId id, const IpAddress& address);
  bool is_local_address(const IpAddress& address) const;
  // The first address of `family` on any NIC (the source of a connect()).
  std::optional<IpAddress> first_address(IpAddress::Family family) const;
  // The NIC that owns `local`, if any.
  std::optional<NicId> nic_for(const IpAddress& local) const;
  uint32_t mtu(NicId id) const;
  // Sets the device MTU the IP layer uses on `id` (`ip link set dev X mtu N`);
  // the link itself is left as it is.
  void set_mtu(NicId id, uint32_t mtu);

  // The receive path: validates IP and TCP and hands the segment to the
  // demux target, or to the unmatched-segment handler (the TCP layer, which
  // answers with RST) when nothing matches.
  void deliver(NicId id, View packet);
  // The send path: hands a complete IP packet whose source address is one of
  // ours to the NIC owning that address. Returns false (and counts) when no
  // NIC owns it or the packet exceeds the link MTU.
  bool send(View packet, const IpAddress& src);

  TcpDemuxer& tcp_demuxer() { return demuxer_; }
  const TcpDemuxer& tcp_demuxer() const { return demuxer_; }
  void set_unmatched_segment_handler(SegmentHandler* h) { unmatched_ = h; }

  Clock& clock() { return clock_; }
  Rng& rng() { return rng_; }
  uint64_t seed() const { return options_.seed; }
  Stats& stats() { return stats_; }
  const Stats& stats() const { return stats_; }

 private:
  class Nic;
  void deliver_tcp(NicId id, View packet, std::span<const uint8_t> segment, const IpAddress& src,
                   const IpAddress& dst, uint8_t tos);
  void deliver_icmp_error(NicId id, const IpAddress& dst,
                          const std::optional<header::IcmpError>& message);

  Clock& clock_;
  StackOptions options_;
  Rng rng_;
  Stats stats_;
  std::vector<std::unique_ptr<Nic>> nics_;
  TcpDemuxer demuxer_;
  SegmentHandler* unmatched_ = nullptr;
};

}  // namespace netstack
