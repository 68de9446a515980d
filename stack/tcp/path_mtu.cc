// Path MTU discovery (RFC 1191, RFC 8201): an ICMP "packet too big" for a
// segment in flight lowers the MSS and resends what no longer fits, the way
// Linux's tcp_v4_mtu_reduced() / tcp_simple_retransmit() do (gVisor's
// notifyMTUChanged / updateMaxPayloadSize).
#include <algorithm>

#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

void Endpoint::handle_packet_too_big(uint32_t mtu, uint32_t seq) {
  // RFC 5927 4.1 / Linux tcp_v4_err(): only a quote of data in flight is
  // believed; anything else may be forged.
  const seqnum::Value quoted(seq);
  const bool in_flight = quoted.greater_equal(snd_una_) && quoted.less_equal(snd_nxt_);
  if (!is_synchronized(state_) || state_ == State::kTimeWait || !in_flight) {
    ++protocol_.stats().path_mtu_ignored;
    return;
  }
  // Linux ip_rt_min_pmtu (552) for IPv4; IPv6 links carry 1280 (RFC 8200 5).
  const bool v4 = family_ == IpAddress::Family::kV4;
  mtu = std::max<uint32_t>(mtu, v4 ? 552 : 1280);
  const uint32_t current = path_mtu_ != 0 ? path_mtu_ : protocol_.stack().mtu(nic_);
  if (mtu >= current) {
    ++protocol_.stats().path_mtu_ignored;
    return;
  }
  path_mtu_ = mtu;
  // Linux tcp_sync_mss(): the MTU less IP and TCP headers and the options
  // every segment carries.
  const uint32_t headers = (v4 ? 20u : 40u) + 20u + (ts_enabled_ ? 12u : 0u);
  const uint32_t mss = std::max<uint32_t>(mtu - headers, 48);
  if (mss >= snd_mss_) {
    ++protocol_.stats().path_mtu_ignored;
    return;
  }
  snd_mss_ = mss;
  ++protocol_.stats().path_mtu_reductions;
  // Linux tcp_simple_retransmit(): what is in flight and too big is lost;
  // it goes again at the new size. Not a congestion signal: ssthresh keeps
  // the window, and the loss state only paces the resend.
  bool lost = false;
  for (SentSegment& s : sent_.entries()) {
    const uint32_t payload = s.start.size_to(s.end).bytes() - (s.fin ? 1 : 0);
    if (payload > snd_mss_ && !s.sacked) {
      sent_.mark_lost(s);
      lost = true;
    }
  }
  if (!lost) return;
  recovery_.on_non_congestion_loss(snd_nxt_);
  send_data();
  after_event();
}

}  // namespace netstack::tcp
