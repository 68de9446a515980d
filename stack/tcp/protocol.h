// Protocol: the TCP layer of one Stack. Owns every Endpoint, the
// configuration, the ISN key and the ephemeral-port allocator; answers
// segments that match no endpoint (RFC 9293 3.10.7.1); and is where the
// Tracer and the invariant checker attach.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "stack/stack.h"
#include "stack/tcp/allocation_faults.h"
#include "stack/tcp/config.h"
#include "stack/tcp/endpoint.h"
#include "stack/tcp/fast_open.h"
#include "stack/tcp/isn.h"
#include "stack/tcp/trace.h"

namespace netstack::tcp {

#define NETSTACK_TCP_STATS(X)                                                         \
  X(active_opens)  /* connect() sent a SYN */                                         \
  X(passive_opens) /* a listener accepted a SYN */                                    \
  X(established)   /* handshakes completed */                                         \
  X(resets_sent)                                                                      \
  X(resets_received)        /* RSTs that ended a connection */                        \
  X(challenge_acks)         /* RFC 5961 challenge ACKs sent */                        \
  X(challenge_acks_limited) /* suppressed by the rate limit */                        \
  X(segments_sent)                                                                    \
  X(segments_received)                                                                \
  X(retransmits)      /* data/SYN/FIN segments sent again */                          \
  X(timeouts)         /* connections ended by RTO/keepalive/user timeout */           \
  X(listen_overflows) /* SYNs or ACKs dropped for a full queue */                     \
  X(syncookies_sent)                                                                  \
  X(syncookies_accepted)                                                              \
  X(syncookies_failed)                                                                \
  X(paws_rejected)                                                                    \
  X(out_of_window)                                                                    \
  X(reassembly_dropped)  /* out-of-order segments with no room */                     \
  X(aborts_on_data)      /* data after close(): RST (Linux TCPAbortOnData) */         \
  X(allocation_failures) /* injected by AllocationFaults */                           \
  X(fast_recoveries)     /* loss recovery entered without a timeout */                \
  X(spurious_recoveries) /* reductions undone (D-SACK, timestamps) */                 \
  X(dsacks_received)                                                                  \
  X(path_mtu_reductions) /* ICMP "packet too big" lowered a connection's MSS */       \
  X(path_mtu_ignored)    /* quoting data not in flight, or no reduction */            \
  X(icmp_out_of_window)  /* quoting what is not in flight (TcpExtOutOfWindowIcmps) */ \
  X(icmp_request_drops)  /* a SYN-queue request dropped for an ICMP error */          \
  X(icmp_soft_errors)    /* an open connection noted an ICMP error */                 \
  X(md5_unexpected)      /* signed segments without a key (TcpExtTCPMD5Unexpected) */ \
  X(icmp_unused)         /* ICMP errors TCP does not act on (redirect, quench) */

struct TcpStats {
#define NETSTACK_TCP_STATS_FIELD(name) uint64_t name = 0;
  NETSTACK_TCP_STATS(NETSTACK_TCP_STATS_FIELD)
#undef NETSTACK_TCP_STATS_FIELD
  template <class Fn>
  void for_each(Fn&& fn) const {
#define NETSTACK_TCP_STATS_VISIT(name) fn(std::string_view(#name), name);
    NETSTACK_TCP_STATS(NETSTACK_TCP_STATS_VISIT)
#undef NETSTACK_TCP_STATS_VISIT
  }
};

class Protocol final : public SegmentHandler {
 public:
  explicit Protocol(Stack& stack, Config config = {});
  ~Protocol() override;
  Protocol(const Protocol&) = delete;
  Protocol& operator=(const Protocol&) = delete;

  // A new, unbound endpoint ("socket(AF_INET[6], SOCK_STREAM, 0)").
  EndpointId open(IpAddress::Family family);
  // nullptr once the endpoint has been reaped.
  Endpoint* find(EndpointId id);
  const Endpoint* find(EndpointId id) const;
  // Deletes endpoints that are CLOSED and released by their users.
  void reap();
  // Endpoints not yet reaped (including CLOSED ones awaiting reap()).
  size_t endpoint_count() const { return endpoints_.size(); }
  template <class Fn>
  void for_each_endpoint(Fn&& fn) const {
    for (const auto& [id, ep] : endpoints_) fn(*ep);
  }

  Stack& stack() { return stack_; }
  Config& config() { return config_; }
  const Config& config() const { return config_; }
  TcpStats& stats() { return stats_; }
  const TcpStats& stats() const { return stats_; }
  const IsnGenerator& isn() const { return isn_; }
  // net.ipv4.tcp_fastopen_key, or (unset) a key from the stack's seed where
  // Linux picks a random one on first use.
  std::array<uint32_t, 4> fast_open_key() const;
  // The client's Fast Open cookies per server (Linux tcp_metrics).
  FastOpenCache& fast_open_cache() { return fast_open_cache_; }
  // `ip tcp_metrics flush`: forget what was learnt per destination (Linux
  // tcp_metrics_flush_all(); here the Fast Open cookies).
  void flush_metrics() { fast_open_cache_.clear(); }
  void set_tracer(Tracer* t) { tracer_ = t; }
  Tracer* tracer() const { return tracer_; }
  // Memory pressure for tests and fuzzing (nullptr: allocations never fail).
  void set_allocation_faults(AllocationFaults* faults) { allocation_faults_ = faults; }
  // Whether the allocation at `site` fails now (counted when it does).
  bool allocation_fails(AllocationSite site);

  // Called with a readable report when an invariant fails (TCPFUZZ_INVARIANTS
  // builds). The default prints the report and aborts.
  void set_invariant_failure_handler(std::function<void(const std::string&)> h) {
    on_invariant_failure_ = std::move(h);
  }
  void report_invariant_failure(const std::string& report);

  // A free local port for a connection to remote:remote_port (bind port 0).
  std::optional<uint16_t> ephemeral_port(const IpAddress& local);

  // Begin SegmentHandler implementation: segments that matched nothing.
  void handle_segment(InboundSegment& in) override;
  // End SegmentHandler implementation.

  // RFC 9293 3.10.7.1: the RST that answers `in` (nothing for a RST).
  void send_reset_reply(const InboundSegment& in, EndpointId from, State state);

 private:
  friend class Endpoint;
  Endpoint& create(IpAddress::Family family);
  // For endpoints: the listener bound to local:port, if any (a TIME-WAIT
  // reopened by a SYN hands the SYN to it).
  Endpoint* find_listener(const IpAddress& local, uint16_t port);
  // For a child connection: its listener's queue, and nothing else of it.
  ListenQueue* listen_queue(EndpointId listener);

  Stack& stack_;
  Config config_;
  IsnGenerator isn_;
  FastOpenCache fast_open_cache_;
  TcpStats stats_;
  Tracer* tracer_ = nullptr;
  AllocationFaults* allocation_faults_ = nullptr;
  std::function<void(const std::string&)> on_invariant_failure_;
  std::unordered_map<EndpointId, std::unique_ptr<Endpoint>> endpoints_;
  EndpointId next_id_ = 1;
  uint16_t next_ephemeral_offset_ = 0;
};

}  // namespace netstack::tcp
