// Stack-wide counters. One list names them all, so printing, comparing and
// the fuzzers' "which drop reason happened" signal cannot drift apart.
#pragma once

#include <cstdint>
#include <string_view>

namespace netstack {

#define NETSTACK_STATS(X)                                                     \
  X(ip_received)             /* packets handed to Stack::deliver */           \
  X(ip_malformed)            /* failed IPv4/IPv6 header validation */         \
  X(ip_bad_checksum)         /* IPv4 header checksum wrong */                 \
  X(ip_fragments_dropped)    /* IPv4 fragments (no reassembly) */             \
  X(ip_v6_extension_dropped) /* IPv6 extension headers are not processed */   \
  X(ip_unknown_protocol)     /* not TCP */                                    \
  X(ip_not_for_us)           /* destination is none of the NIC's addresses */ \
  X(ip_sent)                 /* packets handed to a link */                   \
  X(ip_send_no_route)        /* no NIC owns the source address */             \
  X(ip_send_too_big)         /* packet larger than the link MTU */            \
  X(tcp_received)            /* segments that passed header and checksum */   \
  X(tcp_malformed)           /* bad data offset or truncated header */        \
  X(tcp_bad_checksum)                                                         \
  X(tcp_no_port)         /* no connection or listener matched */              \
  X(tcp_invalid_address) /* broadcast/multicast/unspecified source */         \
  X(icmp_packet_too_big) /* path MTU messages handed to a connection */       \
  X(icmp_errors)         /* other ICMP errors handed to a connection */       \
  X(icmp_ignored)        /* other ICMP, bad checksum, or no such connection */

struct Stats {
#define NETSTACK_STATS_FIELD(name) uint64_t name = 0;
  NETSTACK_STATS(NETSTACK_STATS_FIELD)
#undef NETSTACK_STATS_FIELD

  // Calls fn(name, value) for every counter, in declaration order.
  template <class Fn>
  void for_each(Fn&& fn) const {
#define NETSTACK_STATS_VISIT(name) fn(std::string_view(#name), name);
    NETSTACK_STATS(NETSTACK_STATS_VISIT)
#undef NETSTACK_STATS_VISIT
  }
};

}  // namespace netstack
