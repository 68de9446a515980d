// Path MTU discovery (RFC 1191, RFC 8201): an ICMP "packet too big" for a
// segment in flight lowers the MSS and resends what no longer fits, the way
// Linux's tcp_v4_mtu_reduced() / tcp_simple_retransmit() do (gVisor's
// notifyMTUChanged / updateMaxPayloadSize). The quote was checked by
// handle_icmp_error().
#include <algorithm>
#include <cerrno>

#include "stack/tcp/endpoint.h"
#include "stack/tcp/protocol.h"

namespace netstack::tcp {

uint32_t Endpoint::route_mtu() const {
  const uint32_t link = protocol_.stack().mtu(nic_);
  return path_mtu_ != 0 ? std::min(path_mtu_, link) : link;
}

uint32_t Endpoint::mss_for_mtu(uint32_t mtu) const {
  // Linux tcp_mtu_to_mss(): the MTU less IP and TCP headers and the options
  // every segment carries, at least TCP_MIN_SND_MSS.
  const bool v4 = family_ == IpAddress::Family::kV4;
  const uint32_t headers = (v4 ? 20u : 40u) + 20u + (ts_enabled_ ? 12u : 0u);
  return std::max<uint32_t>(mtu > headers ? mtu - headers : 0, 48);
}

void Endpoint::sync_mss_to_route() {
  // Linux tcp_current_mss() -> tcp_sync_mss(): when the route's MTU is not
  // the one the MSS was sized for (the device's MTU changed), the MSS
  // follows it, up to what the peer allows.
  const uint32_t mtu = route_mtu();
  if (mss_mtu_ == 0 || mtu == mss_mtu_) return;
  mss_mtu_ = mtu;
  uint32_t clamp = peer_mss_;
  if (user_mss_ != 0) clamp = std::min<uint32_t>(clamp, user_mss_);
  const uint32_t options = ts_enabled_ ? 12 : 0;
  const uint32_t by_mtu = mss_for_mtu(mtu);
  set_path_mss(std::max<uint32_t>(std::min(by_mtu, clamp > options ? clamp - options : 0), 48));
}

void Endpoint::set_path_mss(uint32_t mss) {
  path_mss_ = mss;
  bound_mss_to_window();
}

void Endpoint::bound_mss_to_window() {
  // Linux tcp_bound_to_half_wnd(), applied by tcp_sync_mss() whenever the
  // peer's largest window grows: segments of at most half that window
  // (all of it below the default MSS of 536), but not below 68 bytes less
  // the TCP header. A peer that offers tiny windows gets no SWS-sized runts.
  const uint32_t cutoff = max_snd_wnd_ > 536 ? max_snd_wnd_ / 2 : max_snd_wnd_;
  const uint32_t floor = 68 - (20 + (ts_enabled_ ? 12 : 0));
  snd_mss_ = cutoff != 0 && path_mss_ > cutoff ? std::max(cutoff, floor) : path_mss_;
}

void Endpoint::handle_packet_too_big(uint32_t mtu) {
  // Linux ip_rt_min_pmtu (552) for IPv4; IPv6 links carry 1280 (RFC 8200 5).
  const bool v4 = family_ == IpAddress::Family::kV4;
  mtu = std::max<uint32_t>(mtu, v4 ? 552 : 1280);
  const uint32_t current = route_mtu();
  if (mtu >= current) {
    ++protocol_.stats().path_mtu_ignored;
    return;
  }
  path_mtu_ = mtu;
  // Linux tcp_v4_mtu_reduced(): remembered in case the connection fails.
  soft_error_ = EMSGSIZE;
  if (state_ == State::kSynSent) {
    ++protocol_.stats().path_mtu_reductions;
    // Linux tcp_simple_retransmit(), since "tcp: Add logic to check for SYN
    // w/ data in tcp_simple_retransmit": Fast Open data in the SYN is taken
    // as lost, and the SYN goes again at once without it (and with the
    // smaller MSS); the data follows the handshake.
    if (syn_data_.empty() || syn_resent_) return;
    syn_resent_ = true;
    ++total_retransmits_;
    ++protocol_.stats().retransmits;
    rtt_probe_.reset();
    send_syn();
    after_event();
    return;
  }
  const uint32_t mss = std::min(mss_for_mtu(mtu), path_mss_);
  if (mss >= path_mss_) {
    ++protocol_.stats().path_mtu_ignored;
    return;
  }
  set_path_mss(mss);
  mss_mtu_ = route_mtu();
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
