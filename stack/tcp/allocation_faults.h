// Memory pressure, injected: the places where the TCP layer allocates and
// a real kernel can fail to (no skb, no request sock, no room in the
// socket's memory accounting) ask an AllocationFaults first. A failure
// drops the SYN, segment or ACK, as Linux does, and the protocol's own
// recovery (retransmission, delayed-ACK retry) repairs it, or the call
// reports EAGAIN; where Linux's retry timers differ, each site says so.
// Production stacks leave it unset; the fuzz harnesses drive it from their
// input to test those paths.
#pragma once

#include <cstdint>
#include <string_view>

namespace netstack::tcp {

enum class AllocationSite : uint8_t {
  kRequestSock,    // a listener's child for a SYN (Linux inet_reqsk_alloc)
  kReceiveQueue,   // in-order data into the receive queue (tcp_try_rmem_schedule)
  kOutOfOrder,     // a segment into the out-of-order queue (tcp_data_queue_ofo)
  kSendBuffer,     // write() data into the send queue (sk_stream_alloc_skb)
  kOutputSegment,  // a segment to transmit (tcp_transmit_skb, __tcp_send_ack)
};
inline constexpr size_t kAllocationSiteCount = 5;
std::string_view to_string(AllocationSite site);

class AllocationFaults {
 public:
  virtual ~AllocationFaults() = default;
  // True: the allocation at `site` fails this time.
  virtual bool fail(AllocationSite site) = 0;
};

}  // namespace netstack::tcp
