// Observer: what watches a testbed. It is a tcp::Tracer, so it sees every
// event of a host's TCP layer (each segment in with its verdict, each
// segment out, each state transition, timer firing and socket call with its
// result, all stamped with the fake clock), plus the two things the TCP
// layer cannot see: whole IP packets at a host's NIC (including those TCP
// never judged, e.g. a bad checksum) and the clock moving on.
//
// Several observers may watch one testbed (a trace log, state-coverage
// feedback, invariant checks, a reference oracle); each is attached to every
// host or to one. TCP events carry no host: an observer that must tell hosts
// apart attaches one instance per host.
#pragma once

#include <cstdint>
#include <span>

#include "stack/tcp/trace.h"
#include "stack/time/clock.h"

namespace tcpfuzz::testbed {

using HostId = uint32_t;

enum class Direction : uint8_t {
  kInbound,   // reaching the host's stack (after the link's faults)
  kOutbound,  // as the host's stack sent it (before the link's faults)
};

class Observer : public netstack::tcp::Tracer {
 public:
  // One whole IP packet crossing `host`'s NIC.
  virtual void on_packet(netstack::Instant /*at*/, HostId /*host*/, Direction /*direction*/,
                         std::span<const uint8_t> /*ip_packet*/) {}
  // The testbed moved the clock to `now`; every timer due by then has fired
  // (and reported itself through on_timer) before this is called.
  virtual void on_clock(netstack::Instant /*now*/) {}
};

}  // namespace tcpfuzz::testbed
