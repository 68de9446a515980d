#include "fuzz/import/host_settings.h"

#include <initializer_list>

#include "stack/header/tcp.h"
#include "stack/header/tcp_options.h"
#include "stack/tcp/receive_window.h"

namespace tcpfuzz::import {

namespace {

namespace flag = netstack::header::tcp_flag;
using netstack::header::TcpOptions;
using netstack::tcp::Config;

constexpr uint32_t kDefaultMtu = 1500;
constexpr uint32_t kTimestampOption = 12;  // TCPOLEN_TSTAMP_ALIGNED

const CapturedSegment* first_syn(const Conversation& c, bool from_stack) {
  for (const CapturedSegment* s : c.segments) {
    if ((s->flags & flag::kSyn) != 0 && c.from_stack(*s) == from_stack) return s;
  }
  return nullptr;
}

class Inference {
 public:
  Inference(const Conversation& c, const TcpOptions& own, const TcpOptions& peer, uint16_t window)
      : c_(c), own_(own), peer_(peer), window_(window) {}

  HostSettings run() {
    feature("tcp_timestamps", "timestamps", &Config::timestamps, own_.timestamps.has_value(),
            peer_.timestamps.has_value());
    feature("tcp_sack", "SACK", &Config::sack, own_.sack_permitted, peer_.sack_permitted);
    feature("tcp_window_scaling", "window scaling", &Config::window_scaling,
            own_.window_scale.has_value(), peer_.window_scale.has_value());
    mtu();
    receive_buffer();
    s_.notes.emplace_back(
        "Not inferred (the defaults kept): tcp_wmem, congestion control, the initial congestion "
        "window, TCP_QUICKACK (Linux has no delayed-ACK sysctl; the ACK times are the "
        "capture's).");
    return std::move(s_);
  }

 private:
  bool server() const { return c_.role == StackRole::kServer; }
  const char* own_syn() const { return server() ? "SYN-ACK" : "SYN"; }

  // A client's SYN offers what is on; a server's SYN-ACK answers what the
  // peer offered, so it shows only those (tcp_syn_options(),
  // tcp_synack_options()).
  void feature(const std::string& sysctl, const std::string& what, bool Config::*knob, bool own,
               bool peer) {
    const std::string name = "net.ipv4." + sysctl;
    if (server() && !peer) {
      note(name + " not shown (the peer did not offer " + what + "): the default " +
           (s_.config.*knob ? "1" : "0") + " kept.");
      return;
    }
    s_.config.*knob = own;
    note(name + "=" + (own ? "1" : "0") + ": the " + own_syn() + (own ? " offers " : " lacks ") +
         what + ".");
  }

  void mtu() {
    const uint32_t headers = c_.ipv6 ? 60 : 40;
    if (!own_.mss) {
      note("MTU not shown (the " + std::string(own_syn()) +
           " has no MSS option): the default kept.");
      return;
    }
    s_.mtu = *own_.mss + headers;
    note("MTU " + std::to_string(*s_.mtu) + ": the " + own_syn() + "'s MSS " +
         std::to_string(*own_.mss) + " (TCP_MAXSEG on a larger MTU would look the same).");
  }

  // tcp_rmem[1] from the window field, then tcp_rmem[2] from the scale.
  void receive_buffer() {
    const uint32_t headers = c_.ipv6 ? 60 : 40;
    const uint32_t advmss = own_.mss.value_or(kDefaultMtu - headers);
    // The window is whole segments of what a segment carries: a SYN-ACK that
    // takes timestamps counts them out (tcp_openreq_init_rwin()), a SYN not.
    const uint32_t mss = advmss - (server() && own_.timestamps ? kTimestampOption : 0);
    const uint32_t w = window_;
    const Config defaults;
    // Buffers from 2w to 2(w + mss) give w: a power of two is the likelier
    // setting, and keeps the windows that follow closer to the capture's.
    uint32_t power_of_two = 1;
    while (power_of_two < 2 * w) power_of_two <<= 1;
    const uint32_t covering_max = 2 * ((65535 / mss + 1) * mss);  // a window capped at 65535
    for (uint32_t rcvbuf : {defaults.rmem_default, power_of_two, 2 * w, covering_max}) {
      if (rcvbuf == 0) continue;
      netstack::tcp::ReceiveWindow rw;
      rw.configure(rcvbuf, /*locked=*/false);
      rw.initialize(mss);
      if (rw.syn_window() != w) continue;
      s_.config.rmem_default = rcvbuf;
      note("net.ipv4.tcp_rmem[1]=" + std::to_string(rcvbuf) + ": the " + own_syn() + "'s window " +
           std::to_string(w) + ".");
      return scale(rw);
    }
    note("tcp_rmem[1] not inferred: no receive buffer gives the " + std::string(own_syn()) +
         "'s window " + std::to_string(w) + " (SO_RCVBUF, a route's initrwnd?): the default " +
         "kept, replay with --ignore-window.");
    netstack::tcp::ReceiveWindow rw;
    rw.configure(s_.config.rmem_default, /*locked=*/false);
    scale(rw);
  }

  void scale(const netstack::tcp::ReceiveWindow& rw) {
    if (!own_.window_scale) return;  // window scaling off: said above
    const uint8_t want = *own_.window_scale;
    const uint32_t smallest = want >= 14 ? uint32_t{1} << 29 : uint32_t{1} << (want + 15);
    for (uint32_t rmem_max : {s_.config.rmem_max, smallest}) {
      if (rw.scale_to_offer(rmem_max) != want) continue;
      s_.config.rmem_max = rmem_max;
      note("net.ipv4.tcp_rmem[2]=" + std::to_string(rmem_max) + ": window scale " +
           std::to_string(want) +
           " (Linux scales for the larger of tcp_rmem[2] and net.core.rmem_max: the capturing "
           "host's tcp_rmem[2] may be smaller).");
      return;
    }
    note("tcp_rmem[2] not inferred: no buffer limit gives window scale " + std::to_string(want) +
         " with that tcp_rmem[1] (SO_RCVBUF?): the default kept.");
  }

  void note(std::string text) { s_.notes.push_back(std::move(text)); }

  const Conversation& c_;
  const TcpOptions own_;
  const TcpOptions peer_;
  const uint16_t window_;
  HostSettings s_;
};

}  // namespace

HostSettings infer_settings(const Conversation& c) {
  // conversation_of() found both SYNs.
  const CapturedSegment* own = first_syn(c, true);
  const CapturedSegment* peer = first_syn(c, false);
  if (own == nullptr || peer == nullptr) return {};
  return Inference(c, netstack::header::parse_tcp_options(own->options),
                   netstack::header::parse_tcp_options(peer->options), own->window)
      .run();
}

}  // namespace tcpfuzz::import
